package dev.flowlab.tier.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, written when the response is known (so it runs first inbound, last outbound):
 * one line per request in the spirit of Reactor Netty's access log (Spring Cloud Gateway's), as a
 * debug log line and an event.
 */
final class AccessLogFilter implements GatewayFilter {
    static final Logger ACCESS = LoggerFactory.getLogger("dev.flowlab.gateway.access");

    @Override
    public String name() {
        return "access_log";
    }

    @Override
    public Verdict inbound(GatewayExchange x) {
        return Verdict.CONTINUE;
    }

    @Override
    public void outbound(GatewayExchange x) {
        if (!x.server.emitting() && !ACCESS.isDebugEnabled()) {
            return;
        }
        long micros = (x.server.nanos() - x.startNanos) / 1000;
        String line = x.sourceIp + " - " + (x.principal == null ? "-" : x.principal) + " \"" + x.request.method() + " "
                + x.request.uri() + " " + x.request.protocolVersion() + "\" " + x.status + " route=" + x.route.id()
                + " backend=" + (x.backend == null ? "-" : x.backend) + " " + micros + "us";
        ACCESS.debug("{}: {}", x.server.id(), line);
        x.filterEvent(name(), line);
    }
}
