package dev.flowlab.tier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gateway's breaker: Resilience4J's state machine and defaults, with a clock the test moves, and the reasons its events give. */
class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<String> transitions = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();

    /** Resilience4J's defaults: 50%, window 100, minimum 100 calls, 60 s open, 10 half-open calls. */
    private CircuitBreaker defaults() {
        return new CircuitBreaker("api", 50, 100, 100, TimeUnit.SECONDS.toNanos(60), 10, now::get,
                (from, to, why) -> {
                    transitions.add(from + "->" + to);
                    reasons.add(why);
                });
    }

    private static void calls(CircuitBreaker cb, int ok, int failed) {
        for (int i = 0; i < ok; i++) {
            assertThat(cb.tryAcquirePermission()).isTrue();
            cb.onSuccess();
        }
        for (int i = 0; i < failed; i++) {
            assertThat(cb.tryAcquirePermission()).isTrue();
            cb.onError();
        }
    }

    @Test
    void staysClosedUntilMinimumNumberOfCalls_thenOpensAtFiftyPercent() {
        CircuitBreaker cb = defaults();
        calls(cb, 0, 99);
        assertThat(cb.state()).as("99 failures, fewer than minimumNumberOfCalls").isEqualTo(CircuitBreaker.State.CLOSED);
        calls(cb, 0, 1);
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void belowThreshold_staysClosed_overASlidingWindow() {
        CircuitBreaker cb = defaults();
        calls(cb, 51, 49);
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        // the window slides: the oldest successes leave, one more failure makes 50 of the last 100
        calls(cb, 0, 1);
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void open_failsFast_untilWaitDurationInOpenState_thenHalfOpen_andClosesAfterGoodTrials() {
        CircuitBreaker cb = defaults();
        calls(cb, 0, 100);
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(cb.tryAcquirePermission()).isFalse();
        assertThat(cb.remainingOpenNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(cb.tryAcquirePermission()).as("Resilience4J half-opens strictly after the wait").isFalse();
        now.addAndGet(1);
        for (int i = 0; i < 10; i++) {
            assertThat(cb.tryAcquirePermission()).as("trial call " + i).isTrue();
        }
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(cb.tryAcquirePermission()).as("the 11th call while the trials run").isFalse();
        for (int i = 0; i < 10; i++) {
            cb.onSuccess();
        }
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        assertThat(reasons).containsExactly(
                "failure rate 100.0% over the last 100 calls >= threshold 50%; calls fail fast for waitDurationInOpenState 1m",
                "waitDurationInOpenState passed; permitting 10 trial calls",
                "10 trial calls, failure rate 0.0% < threshold 50%");
    }

    @Test
    void halfOpen_withFailingTrials_opensAgain_forAnotherWait() {
        CircuitBreaker cb = defaults();
        calls(cb, 0, 100);
        now.addAndGet(TimeUnit.SECONDS.toNanos(60) + 1);
        calls(cb, 5, 5);
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(cb.tryAcquirePermission()).isFalse();
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
        assertThat(reasons.get(2)).startsWith("10 trial calls, failure rate 50.0% >= threshold 50%");
    }

    @Test
    void outcomesArrivingWhileOpen_areIgnored() {
        CircuitBreaker cb = new CircuitBreaker("api", 50, 10, 10, TimeUnit.SECONDS.toNanos(1), 2, now::get, (f, t, w) -> { });
        for (int i = 0; i < 5; i++) {
            cb.tryAcquirePermission();
        }
        calls(cb, 0, 10);
        cb.onSuccess();
        cb.onError();
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
