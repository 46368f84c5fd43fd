package dev.flowlab.tier.gateway;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.topology.GatewayConfig;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Spring Cloud Gateway's CircuitBreaker filter over Resilience4J: a call is refused with 503
 * while the breaker is open; otherwise its TimeLimiter bounds the call (504 on expiry) and its
 * outcome is recorded: errors, timeouts and the listed statusCodes are failures.
 */
final class CircuitBreakerFilter implements GatewayFilter {
    private final CircuitBreaker breaker;
    private final long timeoutNanos;
    private final List<Integer> failureStatuses;

    CircuitBreakerFilter(String routeId, GatewayConfig.CircuitBreaker c, NodeContext context, LongSupplier nanoTime) {
        this.timeoutNanos = c.timeout().toNanos();
        this.failureStatuses = c.statusCodes() == null ? List.of() : List.copyOf(c.statusCodes());
        this.breaker = new CircuitBreaker(routeId, c.failureRateThreshold(), c.slidingWindowSize(), c.minimumNumberOfCalls(),
                c.waitDurationInOpenState().toNanos(), c.permittedNumberOfCallsInHalfOpenState(), nanoTime,
                (from, to, why) -> context.emit(EventType.CIRCUIT_STATE, null, null, 0, 0,
                        new Fact.CircuitChange(routeId, String.valueOf(from), String.valueOf(to), why)));
    }

    @Override
    public String name() {
        return "circuit_breaker";
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        if (!breaker.tryAcquirePermission()) {
            long left = breaker.remainingOpenNanos();
            return Verdict.reject(503, "CircuitBreaker '" + breaker.name() + "' is " + breaker.state()
                    + " and does not permit further calls" + (left > 0 ? " (half-opens in " + left / 1_000_000 + " ms)" : ""));
        }
        x.breakerPermitted = true;
        if (timeoutNanos > 0) {
            x.deadline(timeoutNanos, () -> x.timedOut(name(), "TimeLimiter: the call did not complete within "
                    + dev.flowlab.topology.Durations.format(java.time.Duration.ofNanos(timeoutNanos))));
        }
        x.filterEvent(name(), "permitted (" + breaker.state() + ")");
        return Verdict.CONTINUE;
    }

    @Override
    public void outbound(GatewayExchange x) {
        if (!x.breakerPermitted) {
            return;
        }
        x.breakerPermitted = false;
        if (x.status == 499) {
            return;
        }
        if (x.clientFault) {
            // nothing reached a backend: the request itself was bad
            breaker.releasePermission();
            return;
        }
        if (x.backendFailed || failureStatuses.contains(x.status)) {
            breaker.onError();
        } else {
            breaker.onSuccess();
        }
    }
}
