package dev.flowlab.app.animate;

import org.HdrHistogram.Histogram;

/**
 * Frame times as the user feels them: the interval between two frames the animation timer
 * handled, and the time the layer spent drawing within each. Microsecond histograms: since the
 * last {@link #reset} (what a benchmark reads), and over the last {@link #WINDOW_NANOS} or so
 * (what the overlay shows: a stall at start-up or a minute ago does not stay in its p99 forever).
 */
public final class FrameMeter {
    /** The overlay's figures cover the frames of the last 10 to 20 seconds (two 10 s halves). */
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final Histogram intervals = new Histogram(10_000_000L, 3);
    private final Histogram drawing = new Histogram(10_000_000L, 3);
    private Histogram recentIntervals = new Histogram(10_000_000L, 3);
    private Histogram recentDrawing = new Histogram(10_000_000L, 3);
    private Histogram olderIntervals = new Histogram(10_000_000L, 3);
    private Histogram olderDrawing = new Histogram(10_000_000L, 3);
    private final Histogram shownIntervals = new Histogram(10_000_000L, 3);
    private final Histogram shownDrawing = new Histogram(10_000_000L, 3);
    private long lastFrameNanos;
    private long halfStartedNanos;

    /** A frame began at {@code now} (the timer's timestamp). */
    public void frame(long now) {
        if (halfStartedNanos == 0) {
            halfStartedNanos = now;
        } else if (now - halfStartedNanos >= WINDOW_NANOS) {
            // The older half drops out; the current one becomes the older.
            Histogram i = olderIntervals;
            Histogram d = olderDrawing;
            olderIntervals = recentIntervals;
            olderDrawing = recentDrawing;
            recentIntervals = i;
            recentDrawing = d;
            recentIntervals.reset();
            recentDrawing.reset();
            halfStartedNanos = now;
        }
        if (lastFrameNanos != 0) {
            long micros = Math.min(10_000_000L, Math.max(0, (now - lastFrameNanos) / 1000));
            intervals.recordValue(micros);
            recentIntervals.recordValue(micros);
        }
        lastFrameNanos = now;
    }

    public void drew(long nanos) {
        long micros = Math.min(10_000_000L, Math.max(0, nanos / 1000));
        drawing.recordValue(micros);
        recentDrawing.recordValue(micros);
    }

    public void reset() {
        intervals.reset();
        drawing.reset();
        recentIntervals.reset();
        recentDrawing.reset();
        olderIntervals.reset();
        olderDrawing.reset();
        lastFrameNanos = 0;
        halfStartedNanos = 0;
    }

    public long frames() {
        return intervals.getTotalCount();
    }

    /** Since the last reset. */
    public double intervalMs(double percentile) {
        return ms(intervals, percentile);
    }

    /** Since the last reset. */
    public double drawMs(double percentile) {
        return ms(drawing, percentile);
    }

    /** Since the last reset: the share of frames that came a whole frame late or more. */
    public double lateShare() {
        return late(intervals);
    }

    public double fps() {
        double mean = intervals.getTotalCount() == 0 ? 0 : intervals.getMean();
        return mean == 0 ? 0 : 1_000_000.0 / mean;
    }

    /**
     * The overlay's line, over the last 10 to 20 seconds. "interval": the time between frames as
     * the user sees them (16.7 ms at 60 fps; the work of a frame, JavaFX's pulse, is what
     * {@code LiveBench} reads as frame time).
     */
    public String summary() {
        shownIntervals.reset();
        shownIntervals.add(olderIntervals);
        shownIntervals.add(recentIntervals);
        shownDrawing.reset();
        shownDrawing.add(olderDrawing);
        shownDrawing.add(recentDrawing);
        return format(shownIntervals, shownDrawing);
    }

    private static String format(Histogram intervals, Histogram drawing) {
        long n = intervals.getTotalCount();
        double mean = n == 0 ? 0 : intervals.getMean();
        return String.format(java.util.Locale.ROOT, "interval p50 %.1f ms · p99 %.1f ms · %.1f%% late · draw p99 %.1f ms · %.0f fps",
                ms(intervals, 50), ms(intervals, 99), late(intervals) * 100, ms(drawing, 99), mean == 0 ? 0 : 1_000_000.0 / mean);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Share of frames that came a whole frame late or more (an interval of 1.5 x 16.7 ms or longer). */
    private static double late(Histogram intervals) {
        long n = intervals.getTotalCount();
        return n == 0 ? 0 : (double) intervals.getCountBetweenValues(25_000, intervals.getHighestTrackableValue()) / n;
    }
}
