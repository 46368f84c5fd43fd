package dev.flowlab.tier.gateway;

import dev.flowlab.event.EventType;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.net.rpc.RpcFrame;
import dev.flowlab.event.Fact;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request through the gateway (Zuul's SessionContext): the request, what the filters learned
 * (trace id, source address, principal), headers they add to the response, and the chain's
 * position. Confined to the client connection's event loop.
 */
final class GatewayExchange {
    final GatewayServer server;
    final GatewayConnection conn;
    final FullHttpRequest request;
    final GatewayRoute route;
    final long startNanos;
    final EventLoop loop;
    final HttpHeaders responseHeaders = new DefaultHttpHeaders();

    String traceId;
    /** The client's address as the filters judge it (X-Real-IP set by a proxy in front, else the peer). */
    String sourceIp;
    String principal;
    String apiKey;
    /** The backend call failed (error, timeout, no live backend): the circuit breaker counts it. */
    boolean backendFailed;
    /** The request was refused as the client's fault before any backend was called: no breaker or health counts it. */
    boolean clientFault;
    /** Which backend answered, for the access log. */
    String backend;
    RpcFrame rpcRequest;
    /** The endpoint's state for this request's backend call(s). */
    RpcEndpoint.Call call;
    /** Per-filter state: the shaping filter's waiter while queued or admitted. */
    Object shapingTicket;
    boolean breakerPermitted;
    int status;

    private final List<GatewayFilter> ran = new ArrayList<>(8);
    private int next;
    private boolean done;
    private ScheduledFuture<?> deadline;
    private Runnable onDeadline;

    GatewayExchange(GatewayServer server, GatewayConnection conn, FullHttpRequest request, GatewayRoute route, long startNanos) {
        this.server = server;
        this.conn = conn;
        this.request = request;
        this.route = route;
        this.startNanos = startNanos;
        this.loop = conn.channel().eventLoop();
    }

    boolean done() {
        return done;
    }

    /** Runs the inbound filters from where the chain stands, then the endpoint. */
    void proceed() {
        List<GatewayFilter> filters = route.filters();
        while (next < filters.size() && !done) {
            GatewayFilter f = filters.get(next++);
            GatewayFilter.Verdict v;
            try {
                v = f.inbound(this);
            } catch (RuntimeException e) {
                GatewayServer.log.warn("{}: filter {} failed on {} {}", server.id(), f.name(), request.method(), request.uri(), e);
                reject(f.name(), 500, "filter " + f.name() + " failed: " + e);
                return;
            }
            if (v.isRejection()) {
                reject(f.name(), v.status, v.reason);
                return;
            }
            ran.add(f);
            if (v == GatewayFilter.Verdict.SUSPEND) {
                return;
            }
        }
        if (!done) {
            route.endpoint().call(this);
        }
    }

    /** A suspended filter let the request go on (call on {@link #loop}). */
    void resume() {
        if (!done) {
            proceed();
        }
    }

    /** A filter's decision, as a step of the trace. */
    void filterEvent(String filter, String decision) {
        if (server.emitting()) {
            server.context().emit(EventType.FILTER, sourceIp, traceId, 0, server.nanos() - startNanos, new Fact.FilterDecision(filter, decision));
        }
    }

    /** Answers from the gateway itself: a filter refused, or the backend call could not be made. */
    void reject(String filter, int code, String reason) {
        if (done) {
            return;
        }
        if (server.emitting()) {
            server.context().emit(code >= 500 && !"circuit_breaker".equals(filter) && !"shaping".equals(filter) ? EventType.ERROR : EventType.REJECTED,
                    sourceIp, traceId, code, server.nanos() - startNanos, new Fact.FilterRefusal(filter, code, reason));
        }
        server.context().metrics().error(filter + "_" + code);
        respond(GatewayResponses.error(conn.channel().alloc(), code, filter, reason));
    }

    /** The call's deadline passed (time limiter or responseTimeout): the backend call is dropped, 504. */
    void timedOut(String filter, String reason) {
        if (done) {
            return;
        }
        backendFailed = true;
        route.endpoint().abandon(this);
        reject(filter, 504, reason);
    }

    boolean hasDeadline() {
        return deadline != null;
    }

    void responseHeadersSetTrace() {
        if (traceId != null) {
            responseHeaders.set(LabHeaders.X_LAB_TRACE, traceId);
        }
    }

    /** Sets (or replaces) the deadline of the backend call: the time limiter, or responseTimeout. */
    void deadline(long nanos, Runnable expired) {
        cancelDeadline();
        onDeadline = expired;
        deadline = loop.schedule(() -> {
            deadline = null;
            if (!done) {
                onDeadline.run();
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** The response is known: outbound filters in reverse order, then it goes to the client. */
    void respond(FullHttpResponse response) {
        if (done) {
            ReferenceCountUtil.release(response);
            return;
        }
        done = true;
        cancelDeadline();
        status = response.status().code();
        response.headers().add(responseHeaders);
        response.headers().set(LabHeaders.X_SERVED_BY, response.headers().get(LabHeaders.X_SERVED_BY, server.id()));
        for (int i = ran.size() - 1; i >= 0; i--) {
            GatewayFilter f = ran.get(i);
            try {
                f.outbound(this);
            } catch (RuntimeException e) {
                GatewayServer.log.warn("{}: outbound filter {} failed", server.id(), f.name(), e);
            }
        }
        conn.respond(this, response);
    }

    /** The client went away: nothing to answer, but filters give back what they hold. */
    void abandon() {
        if (done) {
            return;
        }
        done = true;
        cancelDeadline();
        status = 499;
        if (route.endpoint() != null) {
            route.endpoint().abandon(this);
        }
        for (int i = ran.size() - 1; i >= 0; i--) {
            ran.get(i).outbound(this);
        }
    }
}
