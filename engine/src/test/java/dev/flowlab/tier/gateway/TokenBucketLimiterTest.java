package dev.flowlab.tier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket driven by a clock the test moves: no sleeps. */
class TokenBucketLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TokenBucketLimiter limiter = new TokenBucketLimiter(10, 20, 1, now::get);

    private int burst(String key, int n) {
        int allowed = 0;
        for (int i = 0; i < n; i++) {
            if (limiter.tryConsume(key).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void hundredAtOnce_burstCapacityPass_theRestAreDenied() {
        assertThat(burst("alice", 100)).isEqualTo(20);
        assertThat(limiter.tryConsume("alice").remaining()).isZero();
    }

    @Test
    void bucketRefillsAtReplenishRate_upToBurstCapacity() {
        burst("alice", 100);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(burst("alice", 100)).isEqualTo(5);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(burst("alice", 100)).isEqualTo(10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(burst("alice", 100)).as("never more than burstCapacity").isEqualTo(20);
    }

    @Test
    void remainingCountsDown_andKeysHaveTheirOwnBuckets() {
        assertThat(limiter.tryConsume("alice").remaining()).isEqualTo(19);
        assertThat(limiter.tryConsume("alice").remaining()).isEqualTo(18);
        assertThat(limiter.tryConsume("bob").remaining()).isEqualTo(19);
    }

    @Test
    void requestedTokens_costMoreThanOne() {
        TokenBucketLimiter costly = new TokenBucketLimiter(10, 20, 5, now::get);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (costly.tryConsume("k").allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(4);
    }
}
