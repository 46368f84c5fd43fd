package dev.flowlab.app.animate;

import java.util.List;
import java.util.function.ToDoubleFunction;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** A tiny line of one figure over time, scaled to its own maximum. */
public final class Sparkline extends Canvas {
    private final Color colour;

    public Sparkline(double width, double height, Color colour) {
        super(width, height);
        this.colour = colour;
        getStyleClass().add("sparkline");
    }

    public <T> void show(List<T> points, ToDoubleFunction<T> value) {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.clearRect(0, 0, w, h);
        if (points.size() < 2) {
            return;
        }
        double max = 0;
        for (T p : points) {
            max = Math.max(max, value.applyAsDouble(p));
        }
        if (max <= 0) {
            max = 1;
        }
        g.setStroke(colour);
        g.setLineWidth(1.5);
        g.beginPath();
        for (int i = 0; i < points.size(); i++) {
            double x = i * (w - 2) / (points.size() - 1) + 1;
            double y = h - 1 - value.applyAsDouble(points.get(i)) / max * (h - 2);
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
    }
}
