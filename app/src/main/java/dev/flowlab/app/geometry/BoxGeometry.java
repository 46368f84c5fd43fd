package dev.flowlab.app.geometry;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;

/**
 * Where a link between two node boxes starts and ends: the one geometry of the editor's arrows
 * (canvas/LinkArrow) and the live view's links and dots (animate/TopologyViewGeometry).
 */
public final class BoxGeometry {
    private BoxGeometry() {
    }

    /** The box's centre. */
    public static Point2D center(Bounds b) {
        return new Point2D(b.getMinX() + b.getWidth() / 2, b.getMinY() + b.getHeight() / 2);
    }

    /** Where the segment from the box's centre towards {@code toward} leaves the box (the centre when they coincide). */
    public static Point2D borderPoint(Bounds box, Point2D center, Point2D toward) {
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

    /** Where a link from box {@code a} to box {@code b} starts (on a's border). */
    public static Point2D start(Bounds a, Bounds b) {
        return borderPoint(a, center(a), center(b));
    }

    /** Where a link from box {@code a} to box {@code b} ends (on b's border). */
    public static Point2D end(Bounds a, Bounds b) {
        return borderPoint(b, center(b), center(a));
    }
}
