package dev.flowlab.tier.gateway;

import dev.flowlab.topology.GatewayConfig;
import java.util.concurrent.RejectedExecutionException;

/**
 * Traffic shaping for a route: at most maxConcurrent requests in flight to its backends; more
 * wait in a bounded FIFO queue for up to queueTimeout; a full queue or an expired wait is 503
 * (as Zuul's concurrency protection and Envoy's overflow answer).
 */
final class ShapingFilter implements GatewayFilter {
    private final ConcurrencyLimiter limiter;
    private final long queueTimeoutNanos;

    ShapingFilter(GatewayConfig.Shaping effective) {
        this.limiter = new ConcurrencyLimiter(effective.maxConcurrent(), effective.maxQueue());
        this.queueTimeoutNanos = effective.queueTimeout().toNanos();
    }

    @Override
    public String name() {
        return "shaping";
    }

    ConcurrencyLimiter limiter() {
        return limiter;
    }

    /** A queued request: granted on another thread, hops back to its own loop. */
    private final class Ticket implements ConcurrencyLimiter.Waiter {
        final GatewayExchange x;
        boolean admitted;

        Ticket(GatewayExchange x) {
            this.x = x;
        }

        @Override
        public void granted() {
            try {
                x.loop.execute(() -> {
                    admitted = true;
                    x.cancelDeadline();
                    if (x.done()) {
                        limiter.release();
                        return;
                    }
                    x.filterEvent(name(), "admitted from the queue (" + limiter.inFlight() + "/" + limiter.maxConcurrent() + " in flight)");
                    x.resume();
                });
            } catch (RejectedExecutionException e) {
                limiter.release();
            }
        }
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        Ticket t = new Ticket(x);
        x.shapingTicket = t;
        int r = limiter.acquireOrEnqueue(t);
        if (r == ConcurrencyLimiter.ADMITTED) {
            t.admitted = true;
            x.filterEvent(name(), "admitted (" + limiter.inFlight() + "/" + limiter.maxConcurrent() + " in flight)");
            return Verdict.CONTINUE;
        }
        if (r == ConcurrencyLimiter.REJECTED) {
            x.shapingTicket = null;
            return Verdict.reject(503, "concurrency limit " + limiter.maxConcurrent() + " reached and the queue is full");
        }
        x.filterEvent(name(), "queued at position " + r + " (" + limiter.maxConcurrent() + " in flight)");
        x.deadline(queueTimeoutNanos, () -> {
            if (limiter.cancel(t)) {
                x.shapingTicket = null;
                x.reject(name(), 503, "waited queueTimeout for a slot");
            }
        });
        return Verdict.SUSPEND;
    }

    @Override
    public void outbound(GatewayExchange x) {
        if (x.shapingTicket instanceof Ticket t) {
            x.shapingTicket = null;
            if (t.admitted) {
                limiter.release();
            } else if (!limiter.cancel(t)) {
                // the slot is on its way to this ticket; granted() sees the exchange done and frees it
                return;
            }
        }
    }
}
