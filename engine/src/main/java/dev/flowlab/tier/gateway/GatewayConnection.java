package dev.flowlab.tier.gateway;

import dev.flowlab.event.EventType;
import dev.flowlab.net.http.BodyBudget;
import dev.flowlab.net.http.ClientTimeouts;
import dev.flowlab.net.http.ReadGate;
import dev.flowlab.net.http.RefusedRequest;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.event.Fact;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import dev.flowlab.net.http.LabHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection of the gateway (Zuul's ClientRequestReceiver and ClientResponseWriter):
 * whole requests in, one answered at a time in order, keep-alive, malformed input answered 400
 * and closed, reading paused while the client does not take its responses.
 */
final class GatewayConnection extends ChannelInboundHandlerAdapter {
    private final GatewayServer server;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private Channel channel;
    private String peerIp;
    private GatewayExchange current;
    /** No more requests are read: the stream cannot be trusted past a malformed or refused one. */
    private boolean inputDone;
    final ClientTimeouts timeouts;
    final BodyBudget.Account budget;
    final ReadGate gate = new ReadGate();

    GatewayConnection(GatewayServer server) {
        this.server = server;
        this.timeouts = new ClientTimeouts(server.clientHeaderTimeoutNanos, server.clientBodyTimeoutNanos, server.keepaliveTimeoutNanos,
                this::timedOut);
        this.budget = new BodyBudget.Account(BodyBudget.SHARED, this::budgetSpent);
    }

    Channel channel() {
        return channel;
    }

    boolean busy() {
        return current != null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        peerIp = remote == null ? "" : remote.getAddress().getHostAddress();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inputDone) {
            req.release();
            return;
        }
        if (req.decoderResult().isFailure()) {
            // answered in its turn, after the requests before it; nothing after it is read
            inputDone = true;
        }
        queued.add(req);
        processNext();
    }

    /** One request answered at a time, only while the client takes its responses; at most one read ahead. */
    private void processNext() {
        while (current == null && !queued.isEmpty() && channel.isActive() && channel.isWritable()) {
            handle(queued.poll());
        }
        gate.reading(!inputDone && queued.isEmpty() && channel.isActive() && channel.isWritable());
    }

    private void handle(FullHttpRequest req) {
        timeouts.busy();
        if (req.decoderResult().isFailure()) {
            rejectMalformed(req);
            return;
        }
        long start = server.nanos();
        server.context().metrics().requestStarted();
        server.context().metrics().bytesIn(req.content().readableBytes());
        String traceId = req.headers().get(LabHeaders.X_LAB_TRACE);
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, peerIp, traceId, 0, 0, HeaderCapture.of("request received",
                    channel, req.method() + " " + req.uri() + " " + req.protocolVersion(), req.headers()));
        }
        GatewayRoute route = req.uri().startsWith("/") ? server.routes().match(req.uri()) : null;
        if (route == null) {
            current = new GatewayExchange(server, this, req, server.notFoundRoute(), start);
            current.sourceIp = sourceIp(req);
            if (server.emitting()) {
                server.context().emit(EventType.REQUEST_RECEIVED, peerIp, null, 0, 0, new Fact.RequestSeen(req.method().name(), req.uri(), peerIp, null, true));
            }
            current.reject("routing", 404, "no route matches " + abbreviate(req.uri()));
            return;
        }
        GatewayExchange x = new GatewayExchange(server, this, req, route, start);
        current = x;
        x.sourceIp = sourceIp(req);
        if (server.emitting()) {
            server.context().emit(EventType.REQUEST_RECEIVED, peerIp, traceId, 0, 0,
                    new Fact.RequestSeen(req.method().name(), req.uri(), peerIp, route.id(), false));
        }
        x.proceed();
    }

    /** X-Real-IP from a proxy in front (every lab node is trusted: the lab is one machine), else the peer's address. */
    private String sourceIp(FullHttpRequest req) {
        String real = req.headers().get("X-Real-IP");
        return real != null && !real.isBlank() ? real.trim() : peerIp;
    }

    /** The exchange's response: keep-alive decided here, the request released, the next one started. */
    void respond(GatewayExchange x, FullHttpResponse response) {
        FullHttpResponse r = response;
        if (x != current) {
            ReferenceCountUtil.release(response);
            return;
        }
        current = null;
        FullHttpRequest req = x.request;
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !server.draining();
        r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            r.setProtocolVersion(req.protocolVersion());
        }
        if (req.method().equals(HttpMethod.HEAD) && r.content().isReadable()) {
            // a HEAD answer carries the GET answer's headers (Content-Length included) and no body
            r = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
        }
        int status = r.status().code();
        if (server.context().events().traceMarks().watched(x.traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, x.sourceIp, x.traceId, status, 0, HeaderCapture.of("response sent",
                    channel, r.protocolVersion() + " " + r.status(), r.headers()));
        }
        long took = server.nanos() - x.startNanos;
        server.context().metrics().bytesOut(r.content().readableBytes());
        server.context().metrics().requestCompleted(status, took);
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, x.sourceIp, x.traceId, status, took,
                    new Fact.Answered(req.method().name(), req.uri(), status, x.backend == null ? "the gateway" : x.backend, null));
        }
        budget.done(req.content().readableBytes());
        req.release();
        var written = channel.writeAndFlush(r);
        if (!keepAlive) {
            inputDone = true;
            gate.reading(false);
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        timeouts.idle();
        processNext();
    }

    /** The HTTP codec could not parse the request: 414, 431 or 400, and close (as Reactor Netty answers). */
    private void rejectMalformed(FullHttpRequest req) {
        Throwable cause = req.decoderResult().cause();
        if (cause instanceof RefusedRequest refused) {
            req.release();
            refuse(refused.status, refused.error, refused.getMessage());
            return;
        }
        int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String why = (status == 414 ? "request line too long: " : status == 431 ? "request header fields too large: " : "malformed HTTP request: ")
                + (cause == null ? "unknown" : cause.getMessage());
        GatewayServer.log.debug("{}: {} from {}", server.id(), why, channel.remoteAddress());
        server.context().metrics().requestStarted();
        server.context().metrics().error("bad_request");
        server.context().metrics().requestCompleted(status, 0);
        server.context().emit(EventType.REJECTED, peerIp, null, status, 0, new Fact.Failure("bad_request", why));
        req.release();
        FullHttpResponse r = GatewayResponses.error(channel.alloc(), status, "http", why);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        gate.reading(false);
        channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** A request refused before its body was read: it takes its turn, so the answers before it go first. */
    private void enqueueRefusal(RefusedRequest r) {
        if (inputDone) {
            return;
        }
        inputDone = true;
        gate.reading(false);
        queued.add(r.marker());
        processNext();
    }

    private void refuse(int status, String error, String why) {
        server.context().metrics().requestStarted();
        server.context().metrics().error(error);
        server.context().metrics().requestCompleted(status, 0);
        server.context().emit(EventType.REJECTED, peerIp, null, status, 0, new Fact.Failure(error, why));
        FullHttpResponse r = GatewayResponses.error(channel.alloc(), status, "http", why);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** A body over the gateway's limit: 413 and close. */
    void rejectOversized() {
        enqueueRefusal(new RefusedRequest(413, "body_too_large", "request body larger than " + GatewayServer.MAX_BODY_BYTES + " bytes", null));
    }

    /** The JVM's budget for buffered request bodies is spent: 503 and close, never an OutOfMemoryError. */
    private void budgetSpent() {
        enqueueRefusal(new RefusedRequest(503, "body_budget_spent", "request bodies in memory reached the lab's budget of "
                + BodyBudget.SHARED.limit() / (1024 * 1024) + " MB; body refused", null));
    }

    private void timedOut(ClientTimeouts.Phase phase, long waitedNanos) {
        if (phase == ClientTimeouts.Phase.HEADER || phase == ClientTimeouts.Phase.BODY) {
            server.context().emit(EventType.REJECTED, peerIp, null, 408, waitedNanos, new Fact.Failure("client_timeout",
                    phase == ClientTimeouts.Phase.HEADER ? "client_header_timeout: client timed out while sending the request header"
                    : "client_body_timeout: client timed out while sending the request body"));
            server.context().metrics().error("client_timeout");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        processNext();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        GatewayExchange x = current;
        current = null;
        if (x != null) {
            x.abandon();
            server.context().metrics().error("client_closed");
            server.context().metrics().requestCompleted(499, server.nanos() - x.startNanos);
            x.request.release();
        }
        for (FullHttpRequest r; (r = queued.poll()) != null; ) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        GatewayServer.log.debug("{}: client connection {} failed: {}", server.id(), ctx.channel(), cause.toString());
        ctx.close();
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
