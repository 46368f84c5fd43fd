package dev.flowlab.app.animate;

import javafx.geometry.Point2D;

/**
 * Where a link is drawn, in the particle layer's coordinates: the layer draws along it without
 * knowing how the canvas draws links (the read-only view now, the editor's canvas later).
 */
public interface LinkGeometry {
    /** Where the link leaves its {@code from} node, or null when either node is not on the canvas. */
    Point2D start(String from, String to);

    /** Where the link reaches its {@code to} node, or null. */
    Point2D end(String from, String to);
}
