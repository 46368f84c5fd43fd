package dev.flowlab.tier.gateway;

import dev.flowlab.topology.GatewayConfig;
import java.util.function.LongSupplier;

/**
 * Spring Cloud Gateway's RequestRateLimiter: a token bucket per key (the principal by default,
 * or the API key, or the client's address); 429 when the bucket is empty. The X-RateLimit-*
 * headers go on every response of the route, allowed or not (SCG's include-headers default).
 */
final class RateLimitFilter implements GatewayFilter {
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String REPLENISH_RATE = "X-RateLimit-Replenish-Rate";
    static final String BURST_CAPACITY = "X-RateLimit-Burst-Capacity";
    static final String REQUESTED_TOKENS = "X-RateLimit-Requested-Tokens";

    private final TokenBucketLimiter limiter;
    private final String keyResolver;
    private final boolean denyEmptyKey;

    RateLimitFilter(GatewayConfig.RateLimit effective, LongSupplier nanoTime) {
        this.limiter = new TokenBucketLimiter(effective.replenishRate(), effective.burstCapacity(), effective.requestedTokens(), nanoTime);
        this.keyResolver = effective.keyResolver();
        this.denyEmptyKey = effective.denyEmptyKey();
    }

    @Override
    public String name() {
        return "rate_limit";
    }

    TokenBucketLimiter limiter() {
        return limiter;
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        String key = switch (keyResolver) {
            case "apiKey" -> x.apiKey;
            case "ip" -> x.sourceIp;
            default -> x.principal;
        };
        if (key == null || key.isEmpty()) {
            if (denyEmptyKey) {
                return Verdict.reject(403, "no " + keyResolver + " to key the rate limit on (deny-empty-key)");
            }
            x.filterEvent(name(), "skipped: no " + keyResolver + " (deny-empty-key false)");
            return Verdict.CONTINUE;
        }
        TokenBucketLimiter.Decision d = limiter.tryConsume(keyResolver + ":" + key);
        x.responseHeaders.set(REMAINING, Long.toString(d.remaining()))
                .set(REPLENISH_RATE, Integer.toString(limiter.replenishRate()))
                .set(BURST_CAPACITY, Integer.toString(limiter.burstCapacity()))
                .set(REQUESTED_TOKENS, Integer.toString(limiter.requestedTokens()));
        if (!d.allowed()) {
            return Verdict.reject(429, "bucket of " + keyResolver + " " + key + " is empty (replenishRate "
                    + limiter.replenishRate() + "/s, burstCapacity " + limiter.burstCapacity() + ")");
        }
        x.filterEvent(name(), "allowed " + keyResolver + " " + key + ", " + d.remaining() + " of " + limiter.burstCapacity() + " tokens left");
        return Verdict.CONTINUE;
    }
}
