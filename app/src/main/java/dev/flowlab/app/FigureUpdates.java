package dev.flowlab.app;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import javafx.animation.AnimationTimer;

/**
 * Live figures (a card's req/s, a badge's, a link's connection count) arrive ten times a second
 * for every node and link. Applied as they come, one frame in six re-rendered some eighty labels
 * at once, and with software rendering JavaFX merges that many dirty areas into one covering the
 * whole canvas: those frames took twice as long and missed their 16.7 ms. So a figure's new text
 * goes through here: applied a few per frame, in turn, each label at most every
 * {@link #MIN_INTERVAL_MILLIS} (the newest text wins; what a label shows is never older than that
 * plus a frame or two). Changes a learner must not miss (a node going down) do not go through here.
 * FX thread only.
 */
public final class FigureUpdates {
    public static final long MIN_INTERVAL_MILLIS = 500;
    /** Few enough changed labels per frame that JavaFX keeps their dirty areas apart. */
    public static final int PER_FRAME = 3;
    private static FigureUpdates shared;

    private final LinkedHashMap<Object, Runnable> pending = new LinkedHashMap<>();
    /** Weak: a label that left the scene (a deleted node's card) is not kept for its last time. */
    private final Map<Object, Long> lastApplied = new WeakHashMap<>();
    /** Null in tests, which call {@link #pulse} themselves. */
    private final AnimationTimer timer;
    private boolean running;

    private FigureUpdates(boolean paced) {
        timer = !paced ? null : new AnimationTimer() {
            @Override
            public void handle(long now) {
                pulse(now);
            }
        };
    }

    /** Without a timer: {@link #pulse} is called by hand (tests). */
    static FigureUpdates unpaced() {
        return new FigureUpdates(false);
    }

    /** The one queue of the application (FX thread). */
    public static FigureUpdates shared() {
        if (shared == null) {
            shared = new FigureUpdates(true);
        }
        return shared;
    }

    /** Applies {@code update} to {@code target} (a label) in its turn; replaces one still waiting. */
    public void submit(Object target, Runnable update) {
        pending.put(target, update);
        if (!running && timer != null) {
            running = true;
            timer.start();
        }
    }

    /** Drops what waits for {@code target} (it left the scene) and forgets it. */
    public void forget(Object target) {
        pending.remove(target);
        lastApplied.remove(target);
    }

    /** Applies everything waiting now, whatever its turn (an export's frame shows the figures of its time). */
    public void flush() {
        java.util.Map<Object, Runnable> all = new LinkedHashMap<>(pending);
        pending.clear();
        long now = System.nanoTime();
        all.forEach((target, update) -> {
            lastApplied.put(target, now);
            update.run();
        });
    }

    void pulse(long now) {
        int applied = 0;
        Iterator<Map.Entry<Object, Runnable>> it = pending.entrySet().iterator();
        while (it.hasNext() && applied < PER_FRAME) {
            Map.Entry<Object, Runnable> e = it.next();
            Long last = lastApplied.get(e.getKey());
            if (last != null && now - last < MIN_INTERVAL_MILLIS * 1_000_000L) {
                continue;
            }
            it.remove();
            lastApplied.put(e.getKey(), now);
            e.getValue().run();
            applied++;
        }
        if (pending.isEmpty() && timer != null) {
            running = false;
            timer.stop();
        }
    }

    int waiting() {
        return pending.size();
    }
}
