package dev.flowlab.tier.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The gateway's circuit breaker: Resilience4J's {@code CircuitBreaker} state machine (count-based
 * sliding window, no automatic OPEN -> HALF_OPEN transition, as Spring Cloud Gateway's default) on
 * the lab's clock, with the words the lab's CIRCUIT_STATE events need. CLOSED records the last
 * {@code slidingWindowSize} calls and opens once at least {@code minimumNumberOfCalls} were recorded
 * and the failure rate reaches {@code failureRateThreshold}; OPEN rejects every call until
 * {@code waitDurationInOpenState} has passed (Resilience4J: strictly after it), then, on the next
 * call, becomes HALF_OPEN, which permits {@code permittedNumberOfCallsInHalfOpenState} trial calls
 * and, once they are all recorded, closes or opens again by the same threshold. Outcomes of calls
 * that arrive while OPEN change nothing.
 *
 * <p>What the library does not keep is kept here: when the breaker opened (for the 503's "half-opens
 * in N ms") and the half-open trials' outcomes (the library resets its metrics on the transition, so
 * the HALF_OPEN -> CLOSED reason is rebuilt from them). Costs about 70 ns more per call than the
 * hand-written machine it replaced (BENCHMARKS.md, {@code BreakerBench}). Thread-safe: a short lock
 * around each call, so that a transition and the counts it is explained by belong together.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told of every transition, under the breaker's lock: keep it cheap. */
    interface Listener {
        void transition(State from, State to, String why);
    }

    private static final Throwable FAILED = new Exception("backend failed", null, false, false) { };

    private final String name;
    private final float failureRateThreshold;
    private final long waitNanos;
    private final int halfOpenCalls;
    private final LongSupplier nanoTime;
    private final Listener listener;
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker delegate;

    private long openedAt;
    private int trialsRecorded;
    private int trialsFailed;

    CircuitBreaker(String name, int failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls, long waitNanos,
                   int permittedNumberOfCallsInHalfOpenState, LongSupplier nanoTime, Listener listener) {
        this.name = name;
        this.failureRateThreshold = failureRateThreshold;
        this.waitNanos = waitNanos;
        this.halfOpenCalls = permittedNumberOfCallsInHalfOpenState;
        this.nanoTime = nanoTime;
        this.listener = listener;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRateThreshold)
                // Resilience4J: with a count-based window, at most the window's size of calls can be required
                .slidingWindow(slidingWindowSize, Math.min(minimumNumberOfCalls, slidingWindowSize),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(Duration.ofNanos(waitNanos))
                .permittedNumberOfCallsInHalfOpenState(permittedNumberOfCallsInHalfOpenState)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(new NanoClock(nanoTime))
                .currentTimestampFunction(clock -> nanoTime.getAsLong(), TimeUnit.NANOSECONDS)
                .build();
        this.delegate = io.github.resilience4j.circuitbreaker.CircuitBreaker.of(name, config);
        delegate.getEventPublisher().onStateTransition(e -> transitioned(
                State.valueOf(e.getStateTransition().getFromState().name()),
                State.valueOf(e.getStateTransition().getToState().name())));
    }

    String name() {
        return name;
    }

    synchronized State state() {
        return State.valueOf(delegate.getState().name());
    }

    /** Resilience4J's tryAcquirePermission: false means CallNotPermittedException (the gateway answers 503). */
    synchronized boolean tryAcquirePermission() {
        return delegate.tryAcquirePermission();
    }

    /** How long the breaker stays open from now, in nanoseconds (0 unless OPEN). */
    synchronized long remainingOpenNanos() {
        return state() == State.OPEN ? Math.max(0, waitNanos - (nanoTime.getAsLong() - openedAt)) : 0;
    }

    /** Resilience4J's releasePermission: the permitted call was never made, so it is not recorded. */
    synchronized void releasePermission() {
        delegate.releasePermission();
    }

    synchronized void onSuccess() {
        countTrial(false);
        delegate.onSuccess(0, TimeUnit.NANOSECONDS);
    }

    synchronized void onError() {
        countTrial(true);
        delegate.onError(0, TimeUnit.NANOSECONDS, FAILED);
    }

    private void countTrial(boolean failed) {
        if (delegate.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN) {
            trialsRecorded++;
            if (failed) {
                trialsFailed++;
            }
        }
    }

    /** On the calling thread, inside one of the methods above (so under the lock). */
    private void transitioned(State from, State to) {
        String threshold = (int) failureRateThreshold + "%";
        String why = switch (to) {
            case OPEN -> {
                openedAt = nanoTime.getAsLong();
                String cause = from == State.HALF_OPEN ? trials() + " >= threshold " + threshold
                        : String.format(Locale.ROOT, "failure rate %.1f%% over the last %d calls >= threshold %.0f%%",
                        delegate.getMetrics().getFailureRate(), delegate.getMetrics().getNumberOfBufferedCalls(), failureRateThreshold);
                yield cause + "; calls fail fast for waitDurationInOpenState "
                        + dev.flowlab.topology.Durations.format(Duration.ofNanos(waitNanos));
            }
            case HALF_OPEN -> {
                trialsRecorded = 0;
                trialsFailed = 0;
                yield "waitDurationInOpenState passed; permitting " + halfOpenCalls + " trial calls";
            }
            case CLOSED -> trials() + " < threshold " + threshold;
        };
        listener.transition(from, to, why);
    }

    private String trials() {
        float rate = trialsRecorded == 0 ? 0 : trialsFailed * 100f / trialsRecorded;
        return String.format(Locale.ROOT, "%d trial calls, failure rate %.1f%%", trialsRecorded, rate);
    }

    /** A {@link Clock} over a nanoTime source, for Resilience4J's OPEN wait: only differences of its instants mean anything. */
    private static final class NanoClock extends Clock {
        private final LongSupplier nanos;

        NanoClock(LongSupplier nanos) {
            this.nanos = nanos;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            long n = nanos.getAsLong();
            return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
        }

        @Override
        public long millis() {
            return Math.floorDiv(nanos.getAsLong(), 1_000_000L);
        }
    }
}
