package dev.flowlab.tier.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Spring Cloud Gateway's redis-rate-limiter, in memory: a token bucket per key holding at most
 * {@code burstCapacity} tokens, refilled at {@code replenishRate} tokens a second, a request
 * costing {@code requestedTokens}. A new key starts with a full bucket. Refill is continuous
 * (SCG's Lua script refills by whole seconds of Redis time; the lab's clock is finer). The clock
 * is injected so tests drive it.
 */
final class TokenBucketLimiter {
    /** The decision and what the X-RateLimit-Remaining header says. */
    record Decision(boolean allowed, long remaining) {
    }

    /** Buckets kept before idle full ones are dropped (a flood of new keys must not grow memory without bound). */
    static final int MAX_KEYS = 100_000;

    private final int replenishRate;
    private final int burstCapacity;
    private final int requestedTokens;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.refilledAt = at;
        }
    }

    TokenBucketLimiter(int replenishRate, int burstCapacity, int requestedTokens, LongSupplier nanoTime) {
        this.replenishRate = replenishRate;
        this.burstCapacity = burstCapacity;
        this.requestedTokens = requestedTokens;
        this.nanoTime = nanoTime;
    }

    int replenishRate() {
        return replenishRate;
    }

    int burstCapacity() {
        return burstCapacity;
    }

    int requestedTokens() {
        return requestedTokens;
    }

    Decision tryConsume(String key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= MAX_KEYS && !buckets.containsKey(key)) {
            evictFull(now);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burstCapacity, now));
        synchronized (b) {
            refill(b, now);
            boolean allowed = b.tokens >= requestedTokens;
            if (allowed) {
                b.tokens -= requestedTokens;
            }
            return new Decision(allowed, (long) Math.floor(b.tokens));
        }
    }

    private void refill(Bucket b, long now) {
        long elapsed = now - b.refilledAt;
        if (elapsed > 0) {
            b.tokens = Math.min(burstCapacity, b.tokens + elapsed * (double) replenishRate / 1e9);
            b.refilledAt = now;
        }
    }

    /** A full bucket carries no information: the key starts full again next time. */
    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                refill(e.getValue(), now);
                return e.getValue().tokens >= burstCapacity;
            }
        });
    }

    int keys() {
        return buckets.size();
    }
}
