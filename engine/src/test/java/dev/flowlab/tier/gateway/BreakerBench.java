package dev.flowlab.tier.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Permissions acquired + recorded per second, one thread, and bytes allocated per call: the gateway's
 * breaker (Resilience4J behind its lock, its clock and its trial counts) vs Resilience4J alone.
 */
public class BreakerBench {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final RuntimeException FAIL = new RuntimeException("502");

    interface Call { void run(int i); }

    static void measure(String name, Call call, int n) {
        for (int r = 0; r < 5; r++) {
            long a0 = MX.getThreadAllocatedBytes(Thread.currentThread().getId());
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                call.run(i);
            }
            long t = System.nanoTime() - t0;
            long a = MX.getThreadAllocatedBytes(Thread.currentThread().getId()) - a0;
            System.out.printf("%-12s round %d: %,.0f calls/s, %.1f ns/call, %.1f bytes/call%n", name, r, n * 1e9 / t, (double) t / n, (double) a / n);
        }
    }

    /** Under the bench profile: {@code ./mvnw -B -Pbench -pl engine test -Dtest=BreakerBench}. */
    @org.junit.jupiter.api.Test
    void bench() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark: run with -Pbench");
        main(new String[0]);
    }

    public static void main(String[] args) {
        int n = 20_000_000;
        CircuitBreaker ours = new CircuitBreaker("api", 50, 100, 100, TimeUnit.SECONDS.toNanos(60), 10, System::nanoTime, (f, t, w) -> { });
        measure("gateway", i -> {
            if (ours.tryAcquirePermission()) {
                if (i % 10 == 0) ours.onError(); else ours.onSuccess();
            }
        }, n);
        io.github.resilience4j.circuitbreaker.CircuitBreaker r4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("api",
                CircuitBreakerConfig.custom().failureRateThreshold(50).slidingWindowSize(100).minimumNumberOfCalls(100)
                        .waitDurationInOpenState(Duration.ofSeconds(60)).permittedNumberOfCallsInHalfOpenState(10).build());
        r4j.getEventPublisher().onStateTransition(e -> { });
        measure("resilience4j", i -> {
            if (r4j.tryAcquirePermission()) {
                if (i % 10 == 0) r4j.onError(0, TimeUnit.NANOSECONDS, FAIL); else r4j.onSuccess(0, TimeUnit.NANOSECONDS);
            }
        }, n);
    }
}
