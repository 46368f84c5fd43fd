package dev.flowlab.app.canvas;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;

/**
 * A link drawn as an arrow from one card's border to another's, following the cards when they
 * move or change size. Style classes {@code link}, {@code link-line}, {@code link-head}.
 */
public final class LinkArrow extends Group {
    private static final double HEAD_LENGTH = 11;
    private static final double HEAD_HALF_WIDTH = 5.5;

    private final NodeCard from;
    private final NodeCard to;
    private final Line line = new Line();
    private final Polygon head = new Polygon();

    public LinkArrow(NodeCard from, NodeCard to) {
        this.from = from;
        this.to = to;
        setId("link-" + from.node().id() + "-" + to.node().id());
        getStyleClass().add("link");
        line.getStyleClass().add("link-line");
        head.getStyleClass().add("link-head");
        getChildren().addAll(line, head);
        setManaged(false);
        from.boundsInParentProperty().addListener((obs, was, now) -> update());
        to.boundsInParentProperty().addListener((obs, was, now) -> update());
        update();
    }

    private void update() {
        Bounds a = from.getBoundsInParent();
        Bounds b = to.getBoundsInParent();
        Point2D ca = center(a);
        Point2D cb = center(b);
        Point2D start = borderPoint(a, ca, cb);
        Point2D end = borderPoint(b, cb, ca);
        line.setStartX(start.getX());
        line.setStartY(start.getY());
        Point2D direction = end.subtract(start);
        double length = direction.magnitude();
        if (length < 1) {
            line.setEndX(start.getX());
            line.setEndY(start.getY());
            head.getPoints().clear();
            return;
        }
        Point2D unit = direction.multiply(1 / length);
        Point2D base = end.subtract(unit.multiply(HEAD_LENGTH));
        Point2D normal = new Point2D(-unit.getY(), unit.getX()).multiply(HEAD_HALF_WIDTH);
        line.setEndX(base.getX());
        line.setEndY(base.getY());
        head.getPoints().setAll(end.getX(), end.getY(),
                base.getX() + normal.getX(), base.getY() + normal.getY(),
                base.getX() - normal.getX(), base.getY() - normal.getY());
    }

    private static Point2D center(Bounds b) {
        return new Point2D(b.getMinX() + b.getWidth() / 2, b.getMinY() + b.getHeight() / 2);
    }

    /** Where the segment from the box's center towards {@code toward} leaves the box. */
    static Point2D borderPoint(Bounds box, Point2D center, Point2D toward) {
        double dx = toward.getX() - center.getX();
        double dy = toward.getY() - center.getY();
        if (dx == 0 && dy == 0) {
            return center;
        }
        double halfW = box.getWidth() / 2;
        double halfH = box.getHeight() / 2;
        double scaleX = dx == 0 ? Double.POSITIVE_INFINITY : halfW / Math.abs(dx);
        double scaleY = dy == 0 ? Double.POSITIVE_INFINITY : halfH / Math.abs(dy);
        double scale = Math.min(scaleX, scaleY);
        return new Point2D(center.getX() + dx * scale, center.getY() + dy * scale);
    }
}
