package dev.flowlab.app.animate;

import dev.flowlab.live.LinkStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;

/**
 * Each link's open connections and request rate, in a pill beside the link, placed by
 * {@link LinkLabelPlacement} so it never covers a node card (and, when there is room, no badge and
 * no other label); a label that had to move away from its link gets a thin leader to it. Updated
 * with the badges, ten times a second; the placement is worked out again only when the cards, the
 * links or a label's size class change, so a label does not wander as its figures change.
 * Ids {@code link-label-<from>-<to>}; looks from live.css ({@code .link-label}, {@code .link-label-leader}).
 */
public final class LinkLabels extends Pane {
    /** Widths are rounded up to this, so a label keeps its place while its digits change. */
    private static final double WIDTH_STEP = 12;

    private final LinkGeometry links;
    private final NodeBounds nodes;
    private final Map<String, Shown> shown = new HashMap<>();
    private List<Double> placedFor = List.of();
    private List<LinkLabelPlacement.Placed> placed = List.of();

    private static final class Shown {
        final Label label = new Label();
        final Line leader = new Line();
    }

    public LinkLabels(LinkGeometry links, NodeBounds nodes) {
        this.links = links;
        this.nodes = nodes;
        setId("link-labels");
        getStyleClass().add("link-labels");
        setMouseTransparent(true);
        setPickOnBounds(false);
    }

    /**
     * FX thread: the frame's links. {@code cards} are the nodes whose cards labels must keep off;
     * {@code soft} what they avoid when they can (the badges).
     */
    public void show(List<LinkStats> stats, List<String> cards, List<Bounds> soft) {
        List<LinkLabelPlacement.Request> requests = new ArrayList<>(stats.size());
        List<Shown> order = new ArrayList<>(stats.size());
        Set<String> keys = new HashSet<>();
        for (LinkStats l : stats) {
            Point2D a = links.start(l.from(), l.to());
            Point2D b = links.end(l.from(), l.to());
            if (a == null || b == null) {
                continue;
            }
            String key = l.from() + "-" + l.to();
            keys.add(key);
            Shown s = shown.computeIfAbsent(key, this::create);
            String text = text(l);
            String was = s.label.getText();
            if (was == null || was.length() != text.length()) {
                // A new width may move the label: now, before placing.
                dev.flowlab.app.FigureUpdates.shared().forget(s.label);
                s.label.setText(text);
            } else if (!text.equals(was)) {
                // Same width (digits are as wide as each other): the figures in turn, with every other label's.
                Label target = s.label;
                dev.flowlab.app.FigureUpdates.shared().submit(target, () -> target.setText(text));
            }
            s.label.applyCss();
            double w = Math.ceil(s.label.prefWidth(-1) / WIDTH_STEP) * WIDTH_STEP;
            double h = Math.ceil(s.label.prefHeight(-1));
            requests.add(new LinkLabelPlacement.Request(key, a, b, w, h));
            order.add(s);
        }
        shown.entrySet().removeIf(e -> {
            if (!keys.contains(e.getKey())) {
                getChildren().removeAll(e.getValue().leader, e.getValue().label);
                return true;
            }
            return false;
        });
        List<Bounds> cardBoxes = new ArrayList<>(cards.size());
        for (String id : cards) {
            Bounds box = nodes.of(id);
            if (box != null) {
                cardBoxes.add(box);
            }
        }
        Bounds area = getWidth() > 0 && getHeight() > 0 ? new BoundingBox(0, 0, getWidth(), getHeight()) : null;
        List<Double> inputs = signature(requests, cardBoxes, soft, area);
        if (!inputs.equals(placedFor)) {
            placed = LinkLabelPlacement.place(requests, cardBoxes, soft, area);
            placedFor = inputs;
        }
        for (int i = 0; i < order.size(); i++) {
            lay(order.get(i), placed.get(i));
        }
    }

    /** FX thread: no labels (the lab stopped). */
    public void clear() {
        getChildren().clear();
        shown.clear();
        placedFor = List.of();
        placed = List.of();
    }

    /** The label of a link, if shown (for tests). */
    public Label label(String from, String to) {
        Shown s = shown.get(from + "-" + to);
        return s == null ? null : s.label;
    }

    private Shown create(String key) {
        Shown s = new Shown();
        s.label.setId("link-label-" + key);
        s.label.getStyleClass().add("link-label");
        s.label.setManaged(false);
        s.label.setCache(true); // re-rendered when its figures change, blitted under the other frames
        s.leader.getStyleClass().add("link-label-leader");
        s.leader.setManaged(false);
        s.leader.setVisible(false);
        getChildren().addAll(s.leader, s.label);
        return s;
    }

    private static void lay(Shown s, LinkLabelPlacement.Placed p) {
        Bounds box = p.box();
        double w = Math.min(box.getWidth(), s.label.prefWidth(-1));
        double h = Math.min(box.getHeight(), s.label.prefHeight(-1));
        // Centred in its box: the box is what was kept off the cards.
        s.label.resizeRelocate(box.getMinX() + (box.getWidth() - w) / 2, box.getMinY() + (box.getHeight() - h) / 2, w, h);
        if (p.detached()) {
            Point2D to = LinkLabelPlacement.nearestPoint(box, p.anchor());
            s.leader.setStartX(p.anchor().getX());
            s.leader.setStartY(p.anchor().getY());
            s.leader.setEndX(to.getX());
            s.leader.setEndY(to.getY());
            s.leader.setVisible(true);
        } else {
            s.leader.setVisible(false);
        }
    }

    static String text(LinkStats l) {
        double rps = l.requestsPerSecond();
        return l.openConnections() + " conn · " + (rps >= 100 ? String.format(Locale.ROOT, "%.0f req/s", rps)
                : String.format(Locale.ROOT, "%.1f req/s", rps));
    }

    /** What a placement depends on, rounded to half pixels. */
    private static List<Double> signature(List<LinkLabelPlacement.Request> requests, List<Bounds> cards, List<Bounds> soft, Bounds area) {
        List<Double> out = new ArrayList<>(requests.size() * 6 + (cards.size() + soft.size() + 1) * 4);
        for (LinkLabelPlacement.Request r : requests) {
            out.add(r.key().hashCode() * 1.0);
            add(out, r.start().getX(), r.start().getY(), r.end().getX(), r.end().getY());
            out.add(r.width());
            out.add(r.height());
        }
        for (List<Bounds> boxes : List.of(cards, soft)) {
            out.add(-1.0);
            for (Bounds b : boxes) {
                add(out, b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight());
            }
        }
        if (area != null) {
            add(out, area.getMinX(), area.getMinY(), area.getWidth(), area.getHeight());
        }
        return out;
    }

    private static void add(List<Double> out, double... values) {
        for (double v : values) {
            out.add(Math.rint(v * 2) / 2);
        }
    }
}
