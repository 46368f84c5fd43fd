package dev.flowlab.app.export;

import dev.flowlab.app.FigureUpdates;
import dev.flowlab.app.animate.LiveView;
import dev.flowlab.app.animate.ReplayBar;
import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.record.Player;
import dev.flowlab.topology.Scenario;
import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.transform.Transform;

/**
 * Drives a shown replay to each frame's time and takes the picture of its canvas (FX thread, every
 * method). {@link #begin} takes the player from the timeline bar (paused, speed 1, the particles'
 * timer off, the frame meter hidden); {@link #frame} moves the player to the frame's time (a jump
 * for the first, then the recording played forward, so the dots move as they do on screen), draws
 * the frames it made, pulses the particles at that time and snapshots the canvas node;
 * {@link #end} puts the bar back where it was.
 */
public final class ReplayRenderer {
    private final LiveView live;
    private final ReplayBar bar;
    private final EditorCanvas canvas;
    /** The particles' clock during the export: a fixed origin plus the frame's time. */
    private final long origin = System.nanoTime();
    private long savedPosition;
    private double savedSpeed;
    private boolean savedMeter;
    private boolean begun;

    public ReplayRenderer(LiveView live, ReplayBar bar, EditorCanvas canvas) {
        this.live = live;
        this.bar = bar;
        this.canvas = canvas;
    }

    public Player player() {
        return bar.player();
    }

    public Scenario scenario() {
        return bar.player().recording().scenario();
    }

    /** The node an export draws: the canvas with its live layers. */
    public Region view() {
        return live.canvasView();
    }

    public LiveView live() {
        return live;
    }

    public EditorCanvas canvas() {
        return canvas;
    }

    /** The canvas's width now, in pixels (the default width of an export). */
    public int canvasWidth() {
        return (int) Math.round(view().getWidth());
    }

    public void begin() {
        if (begun) {
            return;
        }
        begun = true;
        bar.stop();
        bar.setDisable(true);
        Player p = bar.player();
        savedPosition = p.positionMillis();
        savedSpeed = p.speed();
        p.speed(1);
        savedMeter = live.particles().meterVisibleProperty().get();
        live.particles().meterVisibleProperty().set(false);
        live.particles().manualPulses(true);
    }

    /** Moves the replay to {@code tMillis} ({@code jump}: seek there; else play forward to it) and draws it. */
    public void moveTo(long tMillis, boolean jump) {
        Player p = bar.player();
        if (jump || tMillis < p.positionMillis()) {
            bar.seek(tMillis);
        } else if (tMillis > p.positionMillis()) {
            p.play();
            p.advance(tMillis - p.positionMillis());
            p.pause();
        }
        live.drawNow();
        FigureUpdates.shared().flush();
        live.badges().settle();
        live.particles().pulse(origin + TimeUnit.MILLISECONDS.toNanos(tMillis));
    }

    /** The canvas as it is drawn now, {@code width} pixels wide (0: its own width), the height in proportion. */
    public BufferedImage snapshot(int width) {
        Region v = view();
        v.applyCss();
        v.layout();
        double w = Math.max(1, v.getWidth());
        double h = Math.max(1, v.getHeight());
        double scale = width <= 0 ? 1 : width / w;
        int outW = width <= 0 ? (int) Math.round(w) : width;
        int outH = Math.max(1, (int) Math.round(h * scale));
        SnapshotParameters params = new SnapshotParameters();
        params.setTransform(Transform.scale(scale, scale));
        params.setViewport(new Rectangle2D(0, 0, outW, outH));
        params.setFill(background());
        WritableImage image = v.snapshot(params, new WritableImage(outW, outH));
        int[] argb = new int[outW * outH];
        image.getPixelReader().getPixels(0, 0, outW, outH, PixelFormat.getIntArgbInstance(), argb, 0, outW);
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, outW, outH, argb, 0, outW);
        return out;
    }

    /** The canvas's own background colour (white where it has none). */
    Color background() {
        for (Region r : new Region[] {canvas, view()}) {
            if (r.getBackground() != null && !r.getBackground().getFills().isEmpty()) {
                Paint fill = r.getBackground().getFills().get(0).getFill();
                if (fill instanceof Color c && c.getOpacity() > 0) {
                    return c;
                }
            }
        }
        return Color.WHITE;
    }

    public void end() {
        if (!begun) {
            return;
        }
        begun = false;
        Player p = bar.player();
        p.speed(savedSpeed);
        live.particles().meterVisibleProperty().set(savedMeter);
        live.particles().manualPulses(false);
        bar.setDisable(false);
        bar.seek(savedPosition);
    }
}
