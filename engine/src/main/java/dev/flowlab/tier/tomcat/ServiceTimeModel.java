package dev.flowlab.tier.tomcat;

import dev.flowlab.topology.ServiceTime;
import java.time.Duration;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long the application holds a worker for one request: a delay drawn from the configured
 * distribution (served by a timer, never by sleeping), plus an optional real busy-spin.
 */
final class ServiceTimeModel {
    private final Kind kind;
    private final long meanNanos;
    private final long minNanos;
    private final long maxNanos;
    private final long cpuBurnNanos;

    private enum Kind { FIXED, UNIFORM, EXPONENTIAL }

    /** @param st effective values (defaults filled in) */
    ServiceTimeModel(ServiceTime st) {
        this.kind = switch (st.distribution()) {
            case "uniform" -> Kind.UNIFORM;
            case "exponential" -> Kind.EXPONENTIAL;
            default -> Kind.FIXED;
        };
        this.meanNanos = nanos(st.mean());
        long lo = nanos(st.min());
        long hi = nanos(st.max());
        this.minNanos = Math.min(lo, hi);
        this.maxNanos = Math.max(lo, hi);
        this.cpuBurnNanos = nanos(st.cpuBurn());
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : Math.max(0, d.toNanos());
    }

    /** True when no request ever waits for a timer (the path the benchmarks measure). */
    boolean isInstant() {
        return cpuBurnNanos == 0 && switch (kind) {
            case FIXED, EXPONENTIAL -> meanNanos == 0;
            case UNIFORM -> maxNanos == 0;
        };
    }

    /**
     * One request's application work on {@code loop}: burns the CPU share, then runs {@code done}
     * at once (zero service time: nothing scheduled) or after the service time. Returns the pending
     * timer, or null when {@code done} already ran.
     */
    ScheduledFuture<?> serve(EventExecutor loop, Runnable done) {
        return serve(loop, done, nextDelayNanos());
    }

    /** As {@link #serve(EventExecutor, Runnable)} with a service time already drawn (a traced request reports it). */
    ScheduledFuture<?> serve(EventExecutor loop, Runnable done, long delay) {
        burnCpu();
        if (delay <= 0) {
            done.run();
            return null;
        }
        return loop.schedule(done, delay, TimeUnit.NANOSECONDS);
    }

    long nextDelayNanos() {
        return switch (kind) {
            case FIXED -> meanNanos;
            case UNIFORM -> minNanos == maxNanos ? minNanos : ThreadLocalRandom.current().nextLong(minNanos, maxNanos + 1);
            case EXPONENTIAL -> meanNanos == 0 ? 0
                    : (long) (-meanNanos * Math.log(1.0 - ThreadLocalRandom.current().nextDouble()));
        };
    }

    /** The distribution in words: "fixed 20 ms", "uniform 5-50 ms", "exponential, mean 20 ms". */
    String describe() {
        return switch (kind) {
            case FIXED -> "fixed " + millis(meanNanos);
            case UNIFORM -> "uniform " + millis(minNanos) + " to " + millis(maxNanos);
            case EXPONENTIAL -> "exponential, mean " + millis(meanNanos);
        };
    }

    private static String millis(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms"
                : String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    long cpuBurnNanos() {
        return cpuBurnNanos;
    }

    /**
     * Spins on the calling thread, an event loop, for the configured CPU time: a CPU-bound
     * application really does occupy a core, and that is the point of the demo (other nodes
     * sharing the loop slow down too).
     */
    void burnCpu() {
        if (cpuBurnNanos == 0) {
            return;
        }
        long end = System.nanoTime() + cpuBurnNanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
