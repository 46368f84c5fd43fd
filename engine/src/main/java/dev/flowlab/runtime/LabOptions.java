package dev.flowlab.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a lab runs: event loop threads (default: the cores, or -Dflowlab.io.threads), distinct loopback addresses per node,
 * where the demo site is, the metrics interval, the drain time of a graceful stop, and the Java priority of the
 * engine's threads ({@link Thread#NORM_PRIORITY} by default), and the lab's {@link LabClock}
 * (null: a fresh {@code System.nanoTime()} clock per lab, its origin the lab's making).
 *
 * <p>The desktop app gives its lab {@link #BACKGROUND_PRIORITY}: on a small machine, traffic the engine serves
 * as fast as it can must not take the CPU the UI needs to draw each frame in time. Java maps thread priorities to
 * Linux nice values only with {@code -XX:ThreadPriorityPolicy=1} (the {@code lab} launcher passes it; lowering a
 * priority needs no privilege); without it the priority is a hint the JVM ignores.
 */
public record LabOptions(int ioThreads, boolean distinctLoopback, Path siteRoot, Duration metricsInterval,
                         Duration drainTimeout, int threadPriority, LabClock clock) {

    /** The engine's threads when a UI shares the machine: below the UI's (nice 4 with ThreadPriorityPolicy=1). */
    public static final int BACKGROUND_PRIORITY = Thread.MIN_PRIORITY;

    public LabOptions {
        if (threadPriority < Thread.MIN_PRIORITY || threadPriority > Thread.MAX_PRIORITY) {
            throw new IllegalArgumentException("thread priority " + threadPriority + " is not in 1..10");
        }
    }

    public static LabOptions defaults() {
        int threads = Integer.getInteger("flowlab.io.threads", Runtime.getRuntime().availableProcessors());
        return new LabOptions(Math.max(1, threads), AddressPlan.distinctLoopbackSupported(),
                Assets.siteRoot(), Duration.ofMillis(100), Duration.ofSeconds(5), Thread.NORM_PRIORITY, null);
    }

    public LabOptions withIoThreads(int n) {
        return new LabOptions(n, distinctLoopback, siteRoot, metricsInterval, drainTimeout, threadPriority, clock);
    }

    public LabOptions withDrainTimeout(Duration d) {
        return new LabOptions(ioThreads, distinctLoopback, siteRoot, metricsInterval, d, threadPriority, clock);
    }

    /** The engine's threads (event loops, metrics) at this Java priority. */
    public LabOptions withThreadPriority(int priority) {
        return new LabOptions(ioThreads, distinctLoopback, siteRoot, metricsInterval, drainTimeout, priority, clock);
    }

    /**
     * The lab runs on this clock instead of {@link System#nanoTime()} (see {@link LabClock}): a test
     * drives a {@link LabClock#manual()} one so that schedules, timeouts and windows do not depend on
     * the machine's speed. A clock belongs to one lab at a time.
     */
    public LabOptions withClock(LabClock c) {
        return new LabOptions(ioThreads, distinctLoopback, siteRoot, metricsInterval, drainTimeout, threadPriority, c);
    }
}
