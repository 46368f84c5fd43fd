package dev.flowlab.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a lab runs: event loop threads (default: the cores, or -Dflowlab.io.threads), distinct loopback addresses per node,
 * where the demo site is, the metrics interval, the drain time of a graceful stop.
 */
public record LabOptions(int ioThreads, boolean distinctLoopback, Path siteRoot, Duration metricsInterval,
                         Duration drainTimeout) {

    public static LabOptions defaults() {
        int threads = Integer.getInteger("flowlab.io.threads", Runtime.getRuntime().availableProcessors());
        return new LabOptions(Math.max(1, threads), AddressPlan.distinctLoopbackSupported(),
                Assets.siteRoot(), Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public LabOptions withIoThreads(int n) {
        return new LabOptions(n, distinctLoopback, siteRoot, metricsInterval, drainTimeout);
    }

    public LabOptions withDrainTimeout(Duration d) {
        return new LabOptions(ioThreads, distinctLoopback, siteRoot, metricsInterval, d);
    }
}
