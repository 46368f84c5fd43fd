package dev.flowlab.topology;

/** Where a node sits on the canvas, in canvas units (not pixels: the canvas zooms). */
public record Position(double x, double y) {
    public static final Position ORIGIN = new Position(0, 0);
}
