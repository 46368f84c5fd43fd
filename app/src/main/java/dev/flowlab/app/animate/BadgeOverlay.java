package dev.flowlab.app.animate;

import dev.flowlab.live.NodeBadge;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.animation.Animation;
import javafx.animation.ScaleTransition;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.util.Duration;

/**
 * A badge above each node: its state word (running, killed, marked down, master, backup, fault) and,
 * on a second line, its figures (req/s, connections, p99, errors). Badges are drawn at their own
 * size whatever the zoom (this layer is not scaled with the canvas) and sized to their text, never
 * cut short: a badge wider than its card wraps to another line. A change of state word pulses the badge and sets
 * the {@code :changed} pseudo-class for a few seconds, so a node going down, a server marked down by
 * a balancer or a VIP moving cannot be missed. Ids {@code live-badge-<node>}; looks from live.css.
 */
public final class BadgeOverlay extends Pane {
    private static final PseudoClass CHANGED = PseudoClass.getPseudoClass("changed");
    private static final Duration CHANGED_FOR = Duration.seconds(4);
    /** The width a badge may take when its card is narrower (zoomed out): a line of figures fits. */
    private static final double MIN_WIDTH = 150;
    /** How far a badge may reach past its card's right edge (less than the gap between two columns of cards). */
    private static final double OVERHANG = 16;
    /** The gap between a badge and its card. */
    private static final double GAP = 2;

    private final NodeBounds nodes;
    private final Map<String, Badge> badges = new HashMap<>();

    public BadgeOverlay(NodeBounds nodes) {
        this.nodes = nodes;
        setId("badge-overlay");
        getStyleClass().add("badge-overlay");
        setPickOnBounds(false);
        setMouseTransparent(true);
    }

    /** FX thread: shows the frame's badges. */
    public void show(List<NodeBadge> frameBadges) {
        for (NodeBadge b : frameBadges) {
            Badge badge = badges.computeIfAbsent(b.node(), this::create);
            badge.update(b);
            Bounds box = nodes.of(b.node());
            if (box != null) {
                // About as wide as its card, so neighbours' badges do not cover each other; taller when it must be.
                double max = maxWidth(box);
                if (badge.label.getMaxWidth() != max) {
                    badge.label.setMaxWidth(max);
                    badge.label.autosize();
                }
                badge.label.relocate(box.getMinX(), box.getMinY() - badge.label.getHeight() - GAP);
            }
        }
    }

    /**
     * Where the badges may be drawn: above each card, as wide as the widest a badge may grow,
     * whatever its text is this tenth of a second (so what avoids them need not move with it).
     */
    public List<Bounds> zones() {
        List<Bounds> out = new java.util.ArrayList<>(badges.size());
        for (String node : badges.keySet()) {
            Bounds box = nodes.of(node);
            if (box != null) {
                double h = badges.get(node).label.getHeight();
                out.add(new javafx.geometry.BoundingBox(box.getMinX(), box.getMinY() - h - GAP, maxWidth(box), h));
            }
        }
        return out;
    }

    /** FX thread: no badges (the lab stopped, or another scenario replaced the one they were about). */
    public void clear() {
        for (Badge b : badges.values()) {
            if (b.pulse != null) {
                b.pulse.stop();
            }
            dev.flowlab.app.FigureUpdates.shared().forget(b.label);
        }
        badges.clear();
        getChildren().clear();
    }

    /**
     * FX thread: ends the badges' pulses (their scale back to 1): an export's frame shows the badges
     * as they read, not at a moment of an animation that runs on the wall clock.
     */
    public void settle() {
        for (Badge b : badges.values()) {
            if (b.pulse != null) {
                b.pulse.stop();
                b.pulse = null;
                b.label.setScaleX(1);
                b.label.setScaleY(1);
            }
        }
    }

    /** How many badges are shown (for tests). */
    public int count() {
        return badges.size();
    }

    private static double maxWidth(Bounds card) {
        return Math.max(MIN_WIDTH, card.getWidth() + OVERHANG);
    }

    public String headline(String node) {
        Badge b = badges.get(node);
        return b == null ? null : b.headline;
    }

    private Badge create(String node) {
        Badge b = new Badge(new Label());
        b.label.setId("live-badge-" + node);
        b.label.getStyleClass().add("live-badge");
        b.label.setCache(true); // blitted under each particle frame; re-rendered only when its text changes
        b.label.setManaged(false);
        b.label.setWrapText(true);
        getChildren().add(b.label);
        return b;
    }

    /** A latency as short as it reads: "0.8 ms", "42 ms", "2.9 s". */
    static String millis(double ms) {
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        return String.format(Locale.ROOT, ms >= 10 ? "%.0f ms" : "%.1f ms", ms);
    }

    private static final class Badge {
        final Label label;
        String headline;
        PseudoClass shown;
        long changedAt;
        Animation pulse;

        Badge(Label label) {
            this.label = label;
        }

        void update(NodeBadge b) {
            String word = b.headline();
            boolean changed = headline != null && !headline.equals(word);
            boolean headlineChanged = headline == null || changed;
            if (changed) {
                changedAt = System.nanoTime();
                label.pseudoClassStateChanged(CHANGED, true);
                if (pulse != null) {
                    pulse.stop();
                }
                ScaleTransition t = new ScaleTransition(Duration.millis(350), label);
                t.setFromX(1);
                t.setFromY(1);
                t.setToX(1.35);
                t.setToY(1.35);
                t.setAutoReverse(true);
                t.setCycleCount(6);
                pulse = t;
                t.play();
            } else if (changedAt != 0 && System.nanoTime() - changedAt > CHANGED_FOR.toMillis() * 1_000_000L) {
                changedAt = 0;
                label.pseudoClassStateChanged(CHANGED, false);
            }
            headline = word;
            PseudoClass state = PseudoClass.getPseudoClass(word.replace(' ', '-'));
            if (shown != state) {
                if (shown != null) {
                    label.pseudoClassStateChanged(shown, false);
                }
                label.pseudoClassStateChanged(state, true);
                shown = state;
            }
            StringBuilder s = new StringBuilder(word);
            if (b.markedDownBy() != null) {
                // "marked down by gateway-1": one line on a card-wide badge, as the word and its cause read.
                s.append(" by\u00a0").append(b.markedDownBy());
            }
            if ("running".equals(b.state())) {
                // No-break spaces inside each figure: a narrow badge wraps between figures.
                if ("lvs".equals(b.kind())) {
                    // a director: new connections per second and the sockets it holds (0 in DR), no latency of its own
                    s.append(String.format(Locale.ROOT, "\n%.0f\u00a0conn/s · %d\u00a0sockets", b.rps(), b.connections()));
                } else {
                    s.append(String.format(Locale.ROOT, "\n%.0f\u00a0req/s · %d\u00a0conn · p99\u00a0%s", b.rps(), b.connections(),
                            millis(b.p99Ms()).replace(' ', '\u00a0')));
                }
                if (b.errorRate() > 0) {
                    s.append(String.format(Locale.ROOT, " · err\u00a0%.0f%%", b.errorRate() * 100));
                }
            }
            String text = s.toString();
            // Unmanaged (a layout root): a badge's new text lays out the badge alone, not the
            // overlay and the canvas under it. A new headline shows at once; new figures in turn.
            Runnable apply = () -> {
                label.setText(text);
                // The :changed border (3 px, not 1) must be in the size, or the second line is cut to "...".
                label.applyCss();
                label.autosize();
            };
            if (headlineChanged) {
                dev.flowlab.app.FigureUpdates.shared().forget(label);
                apply.run();
            } else if (!text.equals(label.getText())) {
                dev.flowlab.app.FigureUpdates.shared().submit(label, apply);
            }
        }
    }
}
