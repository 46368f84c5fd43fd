package dev.flowlab.app.live;

import dev.flowlab.app.canvas.TopologyView;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;

/**
 * Geometry read from the read-only {@link TopologyView}: node cards' boxes, links from border to
 * border between their centres (as the view's arrows are drawn). The layer must sit at the view's
 * origin (same parent coordinates).
 */
public final class TopologyViewGeometry implements LinkGeometry, NodeBounds {
    private final TopologyView view;

    public TopologyViewGeometry(TopologyView view) {
        this.view = view;
    }

    @Override
    public Bounds of(String nodeId) {
        return view.card(nodeId).map(c -> c.getBoundsInParent()).orElse(null);
    }

    @Override
    public Point2D start(String from, String to) {
        Bounds a = of(from);
        Bounds b = of(to);
        return a == null || b == null ? null : borderPoint(a, center(a), center(b));
    }

    @Override
    public Point2D end(String from, String to) {
        Bounds a = of(from);
        Bounds b = of(to);
        return a == null || b == null ? null : borderPoint(b, center(b), center(a));
    }

    static Point2D center(Bounds b) {
        return new Point2D(b.getMinX() + b.getWidth() / 2, b.getMinY() + b.getHeight() / 2);
    }

    /** Where the segment from the box's centre towards {@code toward} leaves the box. */
    static Point2D borderPoint(Bounds box, Point2D center, Point2D toward) {
        double dx = toward.getX() - center.getX();
        double dy = toward.getY() - center.getY();
        if (dx == 0 && dy == 0) {
            return center;
        }
        double scaleX = dx == 0 ? Double.POSITIVE_INFINITY : box.getWidth() / 2 / Math.abs(dx);
        double scaleY = dy == 0 ? Double.POSITIVE_INFINITY : box.getHeight() / 2 / Math.abs(dy);
        double scale = Math.min(scaleX, scaleY);
        return new Point2D(center.getX() + dx * scale, center.getY() + dy * scale);
    }
}
