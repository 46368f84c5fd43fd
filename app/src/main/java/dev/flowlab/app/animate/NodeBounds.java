package dev.flowlab.app.animate;

import javafx.geometry.Bounds;

/** A node's box in the particle layer's coordinates, or null when it is not on the canvas. */
@FunctionalInterface
public interface NodeBounds {
    Bounds of(String nodeId);
}
