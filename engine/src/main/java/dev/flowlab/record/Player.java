package dev.flowlab.record;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.LinkActivity;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.metrics.NodeSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays a {@link Recording} back as the live view's frames, with nothing running: the recorded
 * events go, at their times, through a bus of the player's own into a {@link LinkActivity#driven
 * driven} link activity, whose figures and states come from the recorded snapshots. The timeline
 * is the caller's: {@link #advance} moves the position by a stretch of the caller's time times the
 * speed and makes one frame per {@link LinkActivity#PERIOD_MILLIS} of the recording; {@link #seek}
 * jumps (the second before the target is replayed at once, so rates read right at the target);
 * {@link #next} finds the next kill, failover, error burst or fault; {@link #markers} are the
 * faults and failovers to draw on a timeline. Not thread-safe beyond its synchronised methods.
 */
public final class Player implements AutoCloseable {
    public static final double MIN_SPEED = 0.1;
    public static final double MAX_SPEED = 10;
    /** A second with at least this many client failures, after one with fewer, starts an error burst. */
    static final int BURST_FAILURES = 5;
    private static final long PERIOD = LinkActivity.PERIOD_MILLIS;

    /** What a timeline can jump to. */
    public enum Landmark {
        KILL, FAILOVER, ERROR_BURST, FAULT;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A place on the timeline: when (ms from the start of the traffic), what, and a short label. */
    public record Marker(long tMillis, Landmark kind, String label) {
    }

    private final Recording recording;
    private final List<Marker> markers;
    private final CopyOnWriteArrayList<Consumer<ActivityFrame>> listeners = new CopyOnWriteArrayList<>();
    private final long startMillis;
    private EventBus bus;
    private LinkActivity activity;
    private long position;
    /** Where the next frame starts (in ms; frames close every PERIOD after it). */
    private long fedTo;
    /** Events before this (nanoseconds from the start) went into the bus. */
    private long cursor;
    private long carry;
    private double speed = 1;
    private boolean playing;

    public Player(Recording recording) {
        this.recording = recording;
        this.markers = List.copyOf(markersOf(recording));
        this.startMillis = recording.events().isEmpty() ? 0 : Math.min(0, TimeUnit.NANOSECONDS.toMillis(recording.events().get(0).nanos()));
        rebuild(startMillis);
    }

    public Recording recording() {
        return recording;
    }

    /** Where the timeline starts: 0, or earlier when the lab's start-up was recorded (negative times). */
    public long startMillis() {
        return startMillis;
    }

    public long lengthMillis() {
        return recording.lengthMillis();
    }

    public synchronized long positionMillis() {
        return position;
    }

    public synchronized boolean playing() {
        return playing;
    }

    public synchronized double speed() {
        return speed;
    }

    public synchronized void play() {
        if (position >= lengthMillis()) {
            seek(startMillis);
        }
        playing = true;
    }

    public synchronized void pause() {
        playing = false;
    }

    /** Sets the speed, 0.1x to 10x; anything else is an {@link IllegalArgumentException} saying so. */
    public synchronized void speed(double s) {
        if (!(s >= MIN_SPEED && s <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed " + s + " is not between " + MIN_SPEED + "x and " + MAX_SPEED + "x");
        }
        speed = s;
    }

    public List<Marker> markers() {
        return markers;
    }

    /** Frames, one per interval of the recording played; called on the caller's thread (the one that advances). */
    public Runnable subscribe(Consumer<ActivityFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * While playing, moves the position by {@code realMillis} times the speed (stopping at the end,
     * where playing stops) and makes the frames of the stretch; returns the frames made.
     */
    public synchronized int advance(long realMillis) {
        if (!playing || realMillis <= 0) {
            return 0;
        }
        double moved = realMillis * speed + carry / 1000.0;
        long whole = (long) moved;
        carry = Math.round((moved - whole) * 1000);
        long target = Math.min(lengthMillis(), position + whole);
        int frames = playTo(target, true, false);
        if (position >= lengthMillis()) {
            playing = false;
        }
        return frames;
    }

    /** Jumps to {@code tMillis} (clamped to the recording), replaying the second before it at once. */
    public synchronized void seek(long tMillis) {
        long target = Math.max(startMillis, Math.min(lengthMillis(), tMillis));
        rebuild(Math.max(startMillis, target - TimeUnit.SECONDS.toMillis(1)));
        // the frame at the target takes the target's own events (a jump to a kill shows the kill)
        playTo(target, false, true);
        if (fedTo < target || activity.latest() == null) {
            // a frame up to the target itself
            feed(TimeUnit.MILLISECONDS.toNanos(target) + 1);
            fedTo = target;
            activity.tickNow();
        }
        // the last frame is the one at the target: the view shows it
        publish(activity.latest());
    }

    /** The next place of this kind strictly after the position, if any (the caller seeks there). */
    public synchronized Optional<Marker> next(Landmark kind) {
        for (Marker m : markers) {
            if (m.kind() == kind && m.tMillis() > position) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The recorded events up to the position (the event log and the trace inspector read them). */
    public synchronized List<LabEvent> eventsSoFar() {
        return recording.eventsBetween(Long.MIN_VALUE, TimeUnit.MILLISECONDS.toNanos(position) + 1);
    }

    @Override
    public synchronized void close() {
        if (activity != null) {
            activity.close();
        }
    }

    private void rebuild(long at) {
        close();
        bus = new EventBus();
        Map<String, String> addresses = recording.addresses();
        activity = LinkActivity.driven(recording.scenario(), bus, () -> recording.snapshotAt(position),
                id -> stateAt(id), id -> address(addresses.get(id)), () -> position);
        position = at;
        cursor = Long.MIN_VALUE;
        // frames close on a grid of the recording's time: 0, 100, 200 ms...
        fedTo = Math.floorDiv(at, PERIOD) * PERIOD;
        carry = 0;
    }

    /**
     * Feeds the events up to {@code target} a frame's interval at a time; {@code announce}: hand each
     * frame to the listeners; {@code inclusive}: the last frame takes the events at the target too.
     */
    private int playTo(long target, boolean announce, boolean inclusive) {
        int frames = 0;
        while (fedTo + PERIOD <= target) {
            long to = fedTo + PERIOD;
            feed(TimeUnit.MILLISECONDS.toNanos(to) + (inclusive && to == target ? 1 : 0));
            fedTo = to;
            position = to;
            ActivityFrame f = activity.tickNow();
            frames++;
            if (announce) {
                publish(f);
            }
        }
        position = target;
        return frames;
    }

    /** Publishes the events from the cursor to {@code toNanos} (exclusive). */
    private void feed(long toNanos) {
        for (LabEvent e : recording.eventsBetween(cursor, toNanos)) {
            bus.publish(e);
        }
        cursor = Math.max(cursor, toNanos);
    }

    private void publish(ActivityFrame f) {
        if (f == null) {
            return;
        }
        for (Consumer<ActivityFrame> l : listeners) {
            l.accept(f);
        }
    }

    private String stateAt(String id) {
        MetricsSnapshot s = recording.snapshotAt(position);
        NodeSnapshot n = s == null ? null : s.node(id);
        return n == null ? "unknown" : n.state();
    }

    private static InetSocketAddress address(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(hostPort.substring(0, colon)),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** Kills, failovers, faults and the starts of error bursts, in time order. */
    static List<Marker> markersOf(Recording r) {
        List<Marker> out = new ArrayList<>();
        for (RecordedFault f : r.faults()) {
            out.add(new Marker(f.tMs(), Landmark.FAULT, f.action() + " " + f.node()));
        }
        java.util.TreeMap<Long, long[]> failuresBySecond = new java.util.TreeMap<>();
        for (LabEvent e : r.events()) {
            long ms = TimeUnit.NANOSECONDS.toMillis(e.nanos());
            if (e.type() == EventType.NODE_KILLED) {
                out.add(new Marker(ms, Landmark.KILL, "killed " + e.node()));
            } else if (e.type() == EventType.VIP_MOVED && e.fact() instanceof Fact.VipMoved v) {
                out.add(new Marker(ms, Landmark.FAILOVER, v.vip() + " to " + v.to()));
            } else if (e.type() == EventType.CLIENT_ERROR || (e.type() == EventType.CLIENT_RESPONSE && e.status() >= 500)) {
                long[] second = failuresBySecond.computeIfAbsent(Math.floorDiv(ms, 1000L), k -> new long[] {0, ms});
                second[0]++;
            }
        }
        long previous = Long.MIN_VALUE;
        for (Map.Entry<Long, long[]> s : failuresBySecond.entrySet()) {
            boolean burst = s.getValue()[0] >= BURST_FAILURES;
            boolean before = previous == s.getKey() - 1 && failuresBySecond.get(previous)[0] >= BURST_FAILURES;
            if (burst && !before) {
                // the burst starts at its first failure
                out.add(new Marker(s.getValue()[1], Landmark.ERROR_BURST, s.getValue()[0] + " failures in second " + s.getKey()));
            }
            previous = s.getKey();
        }
        out.sort(java.util.Comparator.comparingLong(Marker::tMillis));
        return out;
    }
}
