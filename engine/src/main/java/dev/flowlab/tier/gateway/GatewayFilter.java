package dev.flowlab.tier.gateway;

/**
 * One step of a route's filter chain (Zuul 2's shape: inbound filters, the endpoint, outbound
 * filters; all on the request's event loop, none blocking). {@link #inbound} runs in chain
 * order and decides; {@link #outbound} runs in reverse order, once the response is known, for
 * every filter whose inbound let the request pass.
 */
interface GatewayFilter {
    /** The filter's name in events and the access log (snake_case, as Spring Cloud Gateway's filter names in logs). */
    String name();

    /**
     * Decides: {@link Verdict#CONTINUE}, a rejection (answered at once), or {@link Verdict#SUSPEND}
     * when the decision comes later (a queue): the filter then calls {@link GatewayExchange#resume}
     * or {@link GatewayExchange#reject} on the exchange's event loop.
     */
    Verdict inbound(GatewayExchange x);

    default void outbound(GatewayExchange x) {
    }

    /** A filter's decision. */
    final class Verdict {
        static final Verdict CONTINUE = new Verdict(0, null);
        static final Verdict SUSPEND = new Verdict(-1, null);

        final int status;
        final String reason;

        private Verdict(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        static Verdict reject(int status, String reason) {
            return new Verdict(status, reason);
        }

        boolean isRejection() {
            return status > 0;
        }
    }
}
