package dev.flowlab.tier.gateway;

import dev.flowlab.net.http.LabHeaders;
import java.util.concurrent.atomic.AtomicLong;

/** Accepts the caller's trace id (X-Lab-Trace) or assigns one, and echoes it on the response. Stateless but for a counter. */
final class TraceIdFilter implements GatewayFilter {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    TraceIdFilter(String nodeId) {
        this.prefix = nodeId + "-";
    }

    @Override
    public String name() {
        return "trace_id";
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        String given = x.request.headers().get(LabHeaders.X_LAB_TRACE);
        if (given != null && !given.isBlank() && given.length() <= 128) {
            x.traceId = given;
            x.filterEvent(name(), "accepted " + given);
        } else {
            x.traceId = prefix + counter.incrementAndGet();
            x.request.headers().set(LabHeaders.X_LAB_TRACE, x.traceId);
            x.filterEvent(name(), "assigned " + x.traceId);
        }
        return Verdict.CONTINUE;
    }

    @Override
    public void outbound(GatewayExchange x) {
        x.responseHeadersSetTrace();
    }
}
