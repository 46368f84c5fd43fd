package dev.flowlab.app.animate;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.Outcome;
import dev.flowlab.live.TrafficKind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.AnimationTimer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.Image;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Live traffic drawn over the topology: one Canvas, repainted on an {@link AnimationTimer}, sized to
 * and placed over the canvas it decorates. It knows the topology only through {@link LinkGeometry}
 * and {@link NodeBounds}.
 *
 * <p>Encoding: each dot is a sampled real request; a lane emits (its real requests/s) / N dots per
 * second, N shown in the legend ("1 dot = N req/s"), which flashes when N changes. Colour by kind
 * (page, static, API, DNS, health check, VRRP advert), shape by outcome on the way back (circle: OK,
 * square: rejected 4xx, diamond with a red edge: error). Requests run on one side of a link, answers
 * on the other; LVS DR answers take their own dashed path around the director. A link's stroke
 * grows with the connections open on it (the count is written by {@link LinkLabels}). Speed: the link's real
 * latency, slowed down by the slow-motion factor. Frames from the engine are taken as they come
 * ({@link #accept} from any thread, the newest wins); the engine never waits for a frame.
 */
public final class ParticleLayer extends Pane {
    private static final double LANE_OFFSET = 5;
    /**
     * Half the side of a dot's sprite, per outcome: as small as the shape allows (a circle or square
     * of radius 3.5 with its edge, a diamond of 5.25 with a 2-pixel edge), since every pixel of every
     * sprite is blended each frame.
     */
    private static int spriteHalf(Outcome outcome) {
        return outcome == Outcome.ERROR ? 7 : 5;
    }
    private static final Map<TrafficKind, Color> COLOURS = new EnumMap<>(Map.of(
            TrafficKind.PAGE, Color.web("#2563eb"), TrafficKind.STATIC, Color.web("#16a34a"),
            TrafficKind.API, Color.web("#9333ea"), TrafficKind.DNS, Color.web("#d97706"),
            TrafficKind.HEALTH, Color.web("#0891b2"), TrafficKind.VRRP, Color.web("#db2777"),
            TrafficKind.CONNECTION, Color.web("#475569"), TrafficKind.OTHER, Color.web("#6b7280")));
    private static final Color ERROR_EDGE = Color.web("#dc2626");
    private static final Color INK_LIGHT = Color.web("#0f172a");
    private static final Color INK_DARK = Color.web("#e6edf3");
    /** Drawn for the dark theme: light ink on a dark legend (set by the window when the theme changes). */
    private final javafx.beans.property.BooleanProperty dark = new javafx.beans.property.SimpleBooleanProperty(this, "dark");
    private static final Color REJECT_EDGE = Color.web("#ea580c");

    private final Canvas canvas = new Canvas();
    private final Canvas legendCanvas = new Canvas(300, 66);
    private final Canvas meterCanvas = new Canvas(METER_WIDTH, 18);
    /** The frame meter's box at the bottom right (link labels keep off it). */
    static final double METER_WIDTH = 720;
    /** Room around the lanes for a dot, its highlight ring and the widest connection stroke. */
    private static final double MARGIN = 18;
    private String legendDrawn;
    private long meterDrawnAt;
    private double viewX;
    private double viewY;
    private final LinkGeometry links;
    private final NodeBounds nodes;
    private final ParticleField field;
    private final FrameMeter meter = new FrameMeter();
    private final AtomicReference<ActivityFrame> incoming = new AtomicReference<>();
    private final DoubleProperty playbackSpeed = new SimpleDoubleProperty(this, "playbackSpeed", 1);
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused", false);
    private final BooleanProperty meterVisible = new SimpleBooleanProperty(this, "meterVisible", true);
    private final DoubleProperty maxFps = new SimpleDoubleProperty(this, "maxFps", 60);
    private long lastDrawnNanos;
    private final AnimationTimer timer;
    private ActivityFrame shown;
    private long lastNanos;
    private long legendFlashUntil;
    private String highlightedTrace;
    private final Image[] sprites = new Image[TrafficKind.values().length * Outcome.values().length];
    private StepDot step;
    // Each lane's ends, computed once per frame: dots only interpolate.
    private double[] laneGeometry = new double[0];

    /** A single request in step mode: on the link from -> to, at progress 0..1. */
    public record StepDot(String from, String to, double progress, String label, TrafficKind kind, Outcome outcome) {
    }

    public ParticleLayer(LinkGeometry links, NodeBounds nodes) {
        this(links, nodes, ParticleField.DEFAULT_BUDGET);
    }

    public ParticleLayer(LinkGeometry links, NodeBounds nodes, int budget) {
        this.links = links;
        this.nodes = nodes;
        this.field = new ParticleField(budget);
        setId("particle-layer");
        getStyleClass().add("particle-layer");
        setMouseTransparent(true);
        // Three canvases, each only as big as what it shows: with software rendering every frame
        // composites the dots' canvas over the scene pixel by pixel, so it covers the links' lanes
        // and no more; the legend and the meter change a few times a second, not every frame.
        canvas.setManaged(false);
        legendCanvas.setManaged(false);
        meterCanvas.setManaged(false);
        legendCanvas.relocate(10, 10);
        getChildren().addAll(canvas, legendCanvas, meterCanvas);
        meterCanvas.visibleProperty().bind(meterVisible);
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                onFrame(now);
            }
        };
    }

    /** Any thread: the newest frame replaces one not yet shown. */
    public void accept(ActivityFrame frame) {
        incoming.set(frame);
    }

    public void start() {
        lastNanos = 0;
        lastDrawnNanos = 0;
        incoming.set(null);
        setVisible(true);
        timer.start();
    }

    /**
     * Stops drawing and wipes what was drawn: the dots, the connection strokes, the legend and the
     * frame meter's line, so a stopped lab leaves no frozen traffic over the editor.
     */
    public void stop() {
        timer.stop();
        incoming.set(null);
        shown = null;
        step = null;
        highlightedTrace = null;
        field.clear();
        for (Canvas c : new Canvas[]{canvas, legendCanvas, meterCanvas}) {
            c.getGraphicsContext2D().clearRect(0, 0, c.getWidth(), c.getHeight());
        }
        legendDrawn = null;
        meterDrawnAt = 0;
        setVisible(false);
    }

    /**
     * An export's frames: {@code true} stops the layer's own timer (the exporter calls {@link #pulse}
     * at each frame's time instead), {@code false} gives the layer its timer back.
     */
    public void manualPulses(boolean manual) {
        if (manual) {
            timer.stop();
        } else {
            lastNanos = 0;
            lastDrawnNanos = 0;
            timer.start();
        }
    }

    /** FX thread: draws the frame at {@code now} (nanoseconds on the caller's clock), as the timer would. */
    public void pulse(long now) {
        lastDrawnNanos = 0;
        onFrame(now);
    }

    public DoubleProperty playbackSpeedProperty() {
        return playbackSpeed;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public BooleanProperty meterVisibleProperty() {
        return meterVisible;
    }

    public FrameMeter meter() {
        return meter;
    }

    public ParticleField field() {
        return field;
    }

    public String legend() {
        return field.scale().legend();
    }

    /** Dots of this trace are drawn with a ring. */
    public void highlight(String traceId) {
        this.highlightedTrace = traceId;
    }

    /** Step mode: live dots hidden, this one drawn alone (null: back to live traffic). */
    public void showStep(StepDot dot) {
        this.step = dot;
        if (dot != null) {
            field.clear();
        }
    }

    /** The trace id of the dot nearest to the point, within a few pixels, or null. */
    public String traceAt(double x, double y) {
        double best = 8 * 8;
        String found = null;
        for (int i = 0; i < field.count(); i++) {
            Point2D p = position(field.laneOf(i), field.progressOf(i));
            if (p == null) {
                continue;
            }
            double d = p.distance(x, y);
            if (d * d < best && field.traceOf(i) != null) {
                best = d * d;
                found = field.traceOf(i);
            }
        }
        return found;
    }

    /**
     * The most frames per second the layer draws (60 by default). With software rendering each frame
     * repaints the whole canvas: a lower cap leaves CPU to the engine on a small machine.
     */
    public DoubleProperty maxFpsProperty() {
        return maxFps;
    }

    void onFrame(long now) {
        // A little slack, so a 60 Hz pulse is not skipped for arriving a hair early.
        if (lastDrawnNanos != 0 && now - lastDrawnNanos < 0.9e9 / Math.max(1, maxFps.get())) {
            return;
        }
        lastDrawnNanos = now;
        meter.frame(now);
        long t0 = System.nanoTime();
        ActivityFrame f = incoming.getAndSet(null);
        if (f != null) {
            shown = f;
            field.update(f);
        }
        double dt = lastNanos == 0 ? 0 : Math.min(0.25, (now - lastNanos) / 1e9);
        lastNanos = now;
        if (!paused.get() && step == null) {
            field.advance(dt * playbackSpeed.get());
        }
        if (field.takeScaleChanged()) {
            legendFlashUntil = now + 1_500_000_000L;
        }
        draw(now);
        meter.drew(System.nanoTime() - t0);
    }

    private void draw(long now) {
        layoutLanes();
        fitCanvas();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.save();
        g.translate(-viewX, -viewY);
        drawConnections(g);
        if (step != null) {
            drawStep(g);
        } else {
            drawDots(g);
        }
        g.restore();
        drawLegend(now);
        if (meterVisible.get() && now - meterDrawnAt > 250_000_000L) {
            meterDrawnAt = now;
            drawMeter();
        }
    }

    /**
     * Places the dots' canvas over the box of every lane (plus a margin), within the layer; the
     * whole layer in step mode (the step's caption may go anywhere). Resized only when that box
     * changes (the topology was panned, zoomed or edited).
     */
    private void fitCanvas() {
        double x0 = 0;
        double y0 = 0;
        double x1 = getWidth();
        double y1 = getHeight();
        if (step == null) {
            double minX = Double.POSITIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            double[] geo = laneGeometry;
            int lanes = field.lanes().size();
            for (int li = 0; li < lanes && li * 4 + 3 < geo.length; li++) {
                int o = li * 4;
                if (Double.isNaN(geo[o])) {
                    continue;
                }
                minX = Math.min(minX, Math.min(geo[o], geo[o + 2]));
                maxX = Math.max(maxX, Math.max(geo[o], geo[o + 2]));
                minY = Math.min(minY, Math.min(geo[o + 1], geo[o + 3]));
                maxY = Math.max(maxY, Math.max(geo[o + 1], geo[o + 3]));
            }
            if (minX > maxX) {
                x1 = x0;
                y1 = y0;
            } else {
                x0 = Math.max(0, Math.floor(minX - MARGIN));
                y0 = Math.max(0, Math.floor(minY - MARGIN));
                x1 = Math.min(getWidth(), Math.ceil(maxX + MARGIN));
                y1 = Math.min(getHeight(), Math.ceil(maxY + MARGIN));
            }
        }
        double w = Math.max(0, x1 - x0);
        double h = Math.max(0, y1 - y0);
        if (x0 != viewX || y0 != viewY) {
            viewX = x0;
            viewY = y0;
            canvas.relocate(x0, y0);
        }
        if (w != canvas.getWidth() || h != canvas.getHeight()) {
            canvas.setWidth(w);
            canvas.setHeight(h);
        }
        meterCanvas.relocate(Math.max(0, getWidth() - METER_WIDTH - 8), Math.max(0, getHeight() - meterCanvas.getHeight() - 4));
    }

    private void drawConnections(GraphicsContext g) {
        for (ParticleField.Lane l : field.lanes()) {
            if (l.answers && !l.direct) {
                continue;
            }
            Point2D a = start(l);
            Point2D b = end(l);
            if (a == null || b == null) {
                continue;
            }
            if (l.direct) {
                g.setStroke(Color.web("#94a3b8"));
                g.setLineWidth(1);
                g.setLineDashes(4, 4);
                g.strokeLine(a.getX(), a.getY(), b.getX(), b.getY());
                g.setLineDashes(null);
                continue;
            }
            int conns = l.openConnections();
            if (conns > 0) {
                // Logarithmic: 2 connections and 200 must both read, and neither hide the dots.
                double w = Math.min(9, 1 + 1.2 * (Math.log(1 + conns) / Math.log(2)));
                g.setStroke(Color.rgb(59, 130, 246, 0.16));
                g.setLineWidth(w);
                g.strokeLine(a.getX(), a.getY(), b.getX(), b.getY());
            }
        }
    }

    private void layoutLanes() {
        var lanes = field.lanes();
        if (laneGeometry.length < lanes.size() * 4) {
            laneGeometry = new double[lanes.size() * 4];
        }
        for (int li = 0; li < lanes.size(); li++) {
            Point2D a = start(lanes.get(li));
            Point2D b = end(lanes.get(li));
            int o = li * 4;
            laneGeometry[o] = a == null || b == null ? Double.NaN : a.getX();
            laneGeometry[o + 1] = a == null ? 0 : a.getY();
            laneGeometry[o + 2] = b == null ? 0 : b.getX();
            laneGeometry[o + 3] = b == null ? 0 : b.getY();
        }
    }

    private void drawDots(GraphicsContext g) {
        double[] geo = laneGeometry;
        for (int i = 0; i < field.count(); i++) {
            int o = field.laneIndexOf(i) * 4;
            if (o + 3 >= geo.length || Double.isNaN(geo[o])) {
                continue;
            }
            double p = field.progressOf(i);
            double x = geo[o] + (geo[o + 2] - geo[o]) * p;
            double y = geo[o + 1] + (geo[o + 3] - geo[o + 1]) * p;
            boolean ring = highlightedTrace != null && highlightedTrace.equals(field.traceOf(i));
            if (ring) {
                dot(g, x, y, field.kindOf(i), field.outcomeOf(i), 6, true);
            } else {
                Image sprite = sprite(field.kindOf(i), field.outcomeOf(i));
                double half = sprite.getWidth() / 2;
                g.drawImage(sprite, x - half, y - half);
            }
        }
    }

    /**
     * A dot drawn once and blitted since: with software rendering, rasterising a thousand small
     * anti-aliased shapes each frame costs far more than copying a thousand tiny images.
     */
    private Image sprite(TrafficKind kind, Outcome outcome) {
        int k = kind.ordinal() * Outcome.values().length + outcome.ordinal();
        Image img = sprites[k];
        if (img == null) {
            int half = spriteHalf(outcome);
            Canvas c = new Canvas(2 * half, 2 * half);
            dot(c.getGraphicsContext2D(), half, half, kind, outcome, 3.5, false);
            SnapshotParameters p = new SnapshotParameters();
            p.setFill(Color.TRANSPARENT);
            img = c.snapshot(p, null);
            sprites[k] = img;
        }
        return img;
    }

    private void drawStep(GraphicsContext g) {
        Point2D a = links.start(step.from(), step.to());
        Point2D b = links.end(step.from(), step.to());
        if (a == null || b == null) {
            a = center(step.from());
            b = center(step.to());
        }
        if (a == null || b == null) {
            return;
        }
        Point2D p = a.add(b.subtract(a).multiply(step.progress()));
        dot(g, p.getX(), p.getY(), step.kind(), step.outcome(), 8, true);
        g.setFont(Font.font(12));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.setFill(ink());
        g.fillText(step.label(), p.getX() + 12, p.getY() + 6);
    }

    private static void dot(GraphicsContext g, double x, double y, TrafficKind kind, Outcome outcome, double r, boolean ring) {
        g.setFill(COLOURS.getOrDefault(kind, Color.GRAY));
        switch (outcome) {
            case OK -> g.fillOval(x - r, y - r, 2 * r, 2 * r);
            case REJECTED -> {
                g.fillRect(x - r, y - r, 2 * r, 2 * r);
                g.setStroke(REJECT_EDGE);
                g.setLineWidth(1.5);
                g.strokeRect(x - r, y - r, 2 * r, 2 * r);
            }
            case ERROR -> {
                double d = r * 1.5;
                double[] xs = {x, x + d, x, x - d};
                double[] ys = {y - d, y, y + d, y};
                g.fillPolygon(xs, ys, 4);
                g.setStroke(ERROR_EDGE);
                g.setLineWidth(2);
                g.strokePolygon(xs, ys, 4);
            }
        }
        if (ring) {
            g.setStroke(Color.web("#f59e0b"));
            g.setLineWidth(2);
            g.strokeOval(x - r - 4, y - r - 4, 2 * r + 8, 2 * r + 8);
        }
    }

    private void drawLegend(long now) {
        boolean flash = now < legendFlashUntil;
        String state = field.scale().legend() + '|' + flash + '|' + field.slowMotion() / playbackSpeed.get() + '|' + paused.get()
                + '|' + dark.get();
        if (state.equals(legendDrawn)) {
            return;
        }
        legendDrawn = state;
        GraphicsContext g = legendCanvas.getGraphicsContext2D();
        g.clearRect(0, 0, legendCanvas.getWidth(), legendCanvas.getHeight());
        double x = 1;
        double y = 1;
        g.setFill(flash ? Color.web("#fde68a") : dark.get() ? Color.rgb(22, 27, 34, 0.9) : Color.rgb(255, 255, 255, 0.88));
        g.fillRoundRect(x, y, 296, 64, 8, 8);
        g.setStroke(flash ? Color.web("#d97706") : dark.get() ? Color.web("#30363d") : Color.web("#cbd5e1"));
        g.setLineWidth(flash ? 2 : 1);
        g.strokeRoundRect(x, y, 296, 64, 8, 8);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        Color legendInk = flash ? INK_LIGHT : ink();
        g.setFill(legendInk);
        g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 13));
        g.fillText(field.scale().legend(), x + 8, y + 5);
        g.setFont(Font.font(10));
        g.fillText(String.format(Locale.ROOT, "time x1/%.0f%s", field.slowMotion() / playbackSpeed.get(),
                paused.get() ? " · paused" : ""), x + 150, y + 8);
        double kx = x + 8;
        for (TrafficKind k : new TrafficKind[]{TrafficKind.PAGE, TrafficKind.STATIC, TrafficKind.API, TrafficKind.DNS,
                TrafficKind.HEALTH, TrafficKind.VRRP}) {
            dot(g, kx + 4, y + 32, k, Outcome.OK, 4, false);
            g.setFill(legendInk);
            g.fillText(k.name().toLowerCase(Locale.ROOT), kx + 10, y + 26);
            kx += 40;
        }
        dot(g, x + 12, y + 52, TrafficKind.OTHER, Outcome.REJECTED, 4, false);
        g.setFill(legendInk);
        g.fillText("rejected (401/403/429)", x + 20, y + 46);
        dot(g, x + 142, y + 52, TrafficKind.OTHER, Outcome.ERROR, 3.5, false);
        g.setFill(legendInk);
        g.fillText("error (5xx, reset, timeout)", x + 150, y + 46);
    }

    private Color ink() {
        return dark.get() ? INK_DARK : INK_LIGHT;
    }

    /** Whether the legend, the meter and step labels are drawn for the dark theme. */
    public javafx.beans.property.BooleanProperty darkProperty() {
        return dark;
    }

    private void drawMeter() {
        GraphicsContext g = meterCanvas.getGraphicsContext2D();
        g.clearRect(0, 0, meterCanvas.getWidth(), meterCanvas.getHeight());
        String text = meter.summary() + String.format(Locale.ROOT, " · %d dots", field.count())
                + (shown == null ? "" : " · events lost " + shown.eventsDropped());
        g.setFont(Font.font("Monospaced", 11));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.BOTTOM);
        g.setFill(dark.get() ? Color.rgb(230, 237, 243, 0.85) : Color.rgb(15, 23, 42, 0.75));
        g.fillText(text, meterCanvas.getWidth() - 2, meterCanvas.getHeight() - 2);
    }

    private Point2D position(ParticleField.Lane l, double progress) {
        Point2D a = start(l);
        Point2D b = end(l);
        if (a == null || b == null) {
            return null;
        }
        return a.add(b.subtract(a).multiply(progress));
    }

    /** Where a lane's dots start, shifted to its side of the link. */
    private Point2D start(ParticleField.Lane l) {
        Point2D a;
        Point2D b;
        if (l.direct) {
            a = center(l.from);
            b = center(l.to);
            if (a == null || b == null) {
                return null;
            }
            return border(l.from, a, b).add(offset(a, b, 3 * LANE_OFFSET));
        }
        a = links.start(l.from, l.to);
        b = links.end(l.from, l.to);
        if (a == null || b == null) {
            return null;
        }
        Point2D shift = offset(a, b, l.answers ? -LANE_OFFSET : LANE_OFFSET);
        return (l.answers ? b : a).add(shift);
    }

    private Point2D end(ParticleField.Lane l) {
        if (l.direct) {
            Point2D a = center(l.from);
            Point2D b = center(l.to);
            if (a == null || b == null) {
                return null;
            }
            return border(l.to, b, a).add(offset(a, b, 3 * LANE_OFFSET));
        }
        Point2D a = links.start(l.from, l.to);
        Point2D b = links.end(l.from, l.to);
        if (a == null || b == null) {
            return null;
        }
        Point2D shift = offset(a, b, l.answers ? -LANE_OFFSET : LANE_OFFSET);
        return (l.answers ? a : b).add(shift);
    }

    private Point2D border(String node, Point2D center, Point2D toward) {
        Bounds b = nodes.of(node);
        return b == null ? center : TopologyViewGeometry.borderPoint(b, center, toward);
    }

    private Point2D center(String node) {
        Bounds b = nodes.of(node);
        return b == null ? null : TopologyViewGeometry.center(b);
    }

    private static Point2D offset(Point2D a, Point2D b, double by) {
        Point2D d = b.subtract(a);
        double len = d.magnitude();
        if (len < 1) {
            return Point2D.ZERO;
        }
        return new Point2D(-d.getY() / len * by, d.getX() / len * by);
    }
}
