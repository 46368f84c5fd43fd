package dev.flowlab.tier.gateway;

import java.util.function.LongSupplier;

/**
 * Resilience4J's CircuitBreaker state machine with a count-based sliding window, its defaults and
 * its words: CLOSED records the last {@code slidingWindowSize} calls and opens once at least
 * {@code minimumNumberOfCalls} were recorded and the failure rate reaches
 * {@code failureRateThreshold}; OPEN rejects every call until {@code waitDurationInOpenState}
 * has passed, then (on the next call, as Resilience4J without automatic transition) becomes
 * HALF_OPEN, which permits {@code permittedNumberOfCallsInHalfOpenState} trial calls and, once
 * they are all recorded, closes or opens again by the same threshold. Outcomes of calls that
 * arrive while OPEN are ignored, as Resilience4J does.
 *
 * <p>Written here rather than taken from resilience4j-circuitbreaker: the state machine is small,
 * the clock must be injectable and the transitions must become lab events synchronously; the
 * library would also fit (it is lock-light and non-blocking). Thread-safe (a short lock).
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told of every transition, under the breaker's lock: keep it cheap. */
    interface Listener {
        void transition(State from, State to, String why);
    }

    private final String name;
    private final float failureRateThreshold;
    private final int windowSize;
    private final int minimumCalls;
    private final long waitNanos;
    private final int halfOpenCalls;
    private final LongSupplier nanoTime;
    private final Listener listener;

    private State state = State.CLOSED;
    private final boolean[] window;
    private int windowNext;
    private int windowCount;
    private int windowFailures;
    private long openedAt;
    private int halfOpenPermitted;
    private int halfOpenRecorded;
    private int halfOpenFailures;

    CircuitBreaker(String name, int failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls, long waitNanos,
                   int permittedNumberOfCallsInHalfOpenState, LongSupplier nanoTime, Listener listener) {
        this.name = name;
        this.failureRateThreshold = failureRateThreshold;
        this.windowSize = slidingWindowSize;
        // Resilience4J: with a count-based window, at most the window's size of calls can be required
        this.minimumCalls = Math.min(minimumNumberOfCalls, slidingWindowSize);
        this.waitNanos = waitNanos;
        this.halfOpenCalls = permittedNumberOfCallsInHalfOpenState;
        this.nanoTime = nanoTime;
        this.listener = listener;
        this.window = new boolean[slidingWindowSize];
    }

    String name() {
        return name;
    }

    synchronized State state() {
        return state;
    }

    /** Resilience4J's tryAcquirePermission: false means CallNotPermittedException (the gateway answers 503). */
    synchronized boolean tryAcquirePermission() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoTime.getAsLong() - openedAt < waitNanos) {
                    return false;
                }
                toHalfOpen();
                // fall through: the first trial call
            case HALF_OPEN:
            default:
                if (halfOpenPermitted >= halfOpenCalls) {
                    return false;
                }
                halfOpenPermitted++;
                return true;
        }
    }

    /** How long the breaker stays open from now, in nanoseconds (0 unless OPEN). */
    synchronized long remainingOpenNanos() {
        return state == State.OPEN ? Math.max(0, waitNanos - (nanoTime.getAsLong() - openedAt)) : 0;
    }

    /** Resilience4J's releasePermission: the permitted call was never made, so it is not recorded. */
    synchronized void releasePermission() {
        if (state == State.HALF_OPEN && halfOpenPermitted > 0) {
            halfOpenPermitted--;
        }
    }

    synchronized void onSuccess() {
        record(false);
    }

    synchronized void onError() {
        record(true);
    }

    private void record(boolean failed) {
        switch (state) {
            case CLOSED -> {
                if (windowCount == windowSize) {
                    if (window[windowNext]) {
                        windowFailures--;
                    }
                } else {
                    windowCount++;
                }
                window[windowNext] = failed;
                if (failed) {
                    windowFailures++;
                }
                windowNext = (windowNext + 1) % windowSize;
                if (windowCount >= minimumCalls) {
                    float rate = windowFailures * 100f / windowCount;
                    if (rate >= failureRateThreshold) {
                        toOpen(String.format(java.util.Locale.ROOT, "failure rate %.1f%% over the last %d calls >= threshold %.0f%%",
                                rate, windowCount, failureRateThreshold));
                    }
                }
            }
            case HALF_OPEN -> {
                halfOpenRecorded++;
                if (failed) {
                    halfOpenFailures++;
                }
                if (halfOpenRecorded >= halfOpenCalls) {
                    float rate = halfOpenFailures * 100f / halfOpenRecorded;
                    String why = String.format(java.util.Locale.ROOT, "%d trial calls, failure rate %.1f%%", halfOpenRecorded, rate);
                    if (rate >= failureRateThreshold) {
                        toOpen(why + " >= threshold " + (int) failureRateThreshold + "%");
                    } else {
                        toClosed(why + " < threshold " + (int) failureRateThreshold + "%");
                    }
                }
            }
            case OPEN -> {
                // a call permitted before the breaker opened: Resilience4J does not count it
            }
        }
    }

    private void toOpen(String why) {
        State from = state;
        state = State.OPEN;
        openedAt = nanoTime.getAsLong();
        listener.transition(from, State.OPEN, why + "; calls fail fast for waitDurationInOpenState "
                + dev.flowlab.topology.Durations.format(java.time.Duration.ofNanos(waitNanos)));
    }

    private void toHalfOpen() {
        state = State.HALF_OPEN;
        halfOpenPermitted = 0;
        halfOpenRecorded = 0;
        halfOpenFailures = 0;
        listener.transition(State.OPEN, State.HALF_OPEN, "waitDurationInOpenState passed; permitting " + halfOpenCalls + " trial calls");
    }

    private void toClosed(String why) {
        State from = state;
        state = State.CLOSED;
        windowCount = 0;
        windowNext = 0;
        windowFailures = 0;
        listener.transition(from, State.CLOSED, why);
    }
}
