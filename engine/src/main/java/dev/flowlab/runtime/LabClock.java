package dev.flowlab.runtime;

/** The lab's monotonic clock: nanoTime-based, with times relative to the lab's start for outputs. */
public final class LabClock {
    private final long originNanos = System.nanoTime();

    public long nanos() {
        return System.nanoTime();
    }

    public long originNanos() {
        return originNanos;
    }

    /** Milliseconds from the lab's start to the given nanoTime. */
    public long millisSinceStart(long nanos) {
        return (nanos - originNanos) / 1_000_000L;
    }

    public long millisSinceStart() {
        return millisSinceStart(System.nanoTime());
    }
}
