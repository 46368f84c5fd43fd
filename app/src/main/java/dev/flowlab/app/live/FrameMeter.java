package dev.flowlab.app.live;

import org.HdrHistogram.Histogram;

/**
 * Frame times as the user feels them: the interval between two frames the animation timer
 * handled, and the time the layer spent drawing within each. Microsecond histograms, reset at will.
 */
public final class FrameMeter {
    private final Histogram intervals = new Histogram(10_000_000L, 3);
    private final Histogram drawing = new Histogram(10_000_000L, 3);
    private long lastFrameNanos;

    /** A frame began at {@code now} (the timer's timestamp). */
    public void frame(long now) {
        if (lastFrameNanos != 0) {
            intervals.recordValue(Math.min(10_000_000L, Math.max(0, (now - lastFrameNanos) / 1000)));
        }
        lastFrameNanos = now;
    }

    public void drew(long nanos) {
        drawing.recordValue(Math.min(10_000_000L, Math.max(0, nanos / 1000)));
    }

    public void reset() {
        intervals.reset();
        drawing.reset();
        lastFrameNanos = 0;
    }

    public long frames() {
        return intervals.getTotalCount();
    }

    public double intervalMs(double percentile) {
        return intervals.getTotalCount() == 0 ? 0 : intervals.getValueAtPercentile(percentile) / 1000.0;
    }

    public double drawMs(double percentile) {
        return drawing.getTotalCount() == 0 ? 0 : drawing.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Share of frames that came a whole frame late or more (an interval of 1.5 x 16.7 ms or longer). */
    public double lateShare() {
        long n = intervals.getTotalCount();
        return n == 0 ? 0 : (double) intervals.getCountBetweenValues(25_000, intervals.getHighestTrackableValue()) / n;
    }

    public double fps() {
        double mean = intervals.getTotalCount() == 0 ? 0 : intervals.getMean();
        return mean == 0 ? 0 : 1_000_000.0 / mean;
    }

    /**
     * The overlay's line. "interval": the time between frames as the user sees them (16.7 ms
     * at 60 fps; the work of a frame, JavaFX's pulse, is what {@code LiveBench} reads as frame time).
     */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "interval p50 %.1f ms · p99 %.1f ms · %.1f%% late · draw p99 %.1f ms · %.0f fps",
                intervalMs(50), intervalMs(99), lateShare() * 100, drawMs(99), fps());
    }
}
