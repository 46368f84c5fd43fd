package dev.flowlab.tier.gateway;

import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.balance.Selection;
import dev.flowlab.event.EventType;
import dev.flowlab.net.http.HttpDates;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.net.proxy.UpstreamConnector;
import dev.flowlab.net.rpc.RpcFrame;
import dev.flowlab.net.rpc.RpcFrameDecoder;
import dev.flowlab.net.rpc.RpcFrameEncoder;
import dev.flowlab.net.rpc.RpcProtocolException;
import dev.flowlab.net.rpc.RpcTap;
import dev.flowlab.net.rpc.RpcWire;
import dev.flowlab.event.Fact;
import dev.flowlab.topology.GatewayConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A route's endpoint (Zuul's ProxyEndpoint): protocol conversion from HTTP/JSON to the lab RPC
 * protocol and back, load balancing over the route's pool with the shared nginx algorithms and
 * passive health, Spring Cloud Gateway's Retry, and the pooled RPC connections to the Tomcats.
 */
final class RpcEndpoint {
    /** Headers that describe one HTTP hop, not the call: they do not become attachments. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "host", "content-length", LabHeaders.X_LAB_TRACE.toString(), "expect");
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final GatewayServer server;
    private final GatewayRoute route;
    private final PeerGroup group;
    private final KeepalivePool pool;
    private final GatewayConfig.Retry retry;
    private final Set<Integer> retryStatuses;
    private final Set<String> retryMethods;
    private final long connectTimeoutNanos;
    private final long responseTimeoutNanos;
    private final RpcTap tap;

    RpcEndpoint(GatewayServer server, GatewayRoute route, PeerGroup group, KeepalivePool pool, GatewayConfig.Retry retry,
                long connectTimeoutNanos, long responseTimeoutNanos) {
        this.server = server;
        this.route = route;
        this.group = group;
        this.pool = pool;
        this.retry = retry;
        this.retryStatuses = retry == null || retry.statuses() == null ? null : Set.copyOf(retry.statuses());
        this.retryMethods = retry == null ? Set.of() : Set.copyOf((retry.methods() == null ? List.of("GET") : retry.methods())
                .stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.responseTimeoutNanos = responseTimeoutNanos;
        this.tap = new RpcTap(server.context());
    }

    PeerGroup group() {
        return group;
    }

    KeepalivePool pool() {
        return pool;
    }

    boolean retries() {
        return retry != null;
    }

    /** Protocol conversion: the RPC call an HTTP request stands for. */
    static RpcFrame toRpc(GatewayExchange x, long requestId) {
        QueryStringDecoder q = new QueryStringDecoder(x.request.uri());
        Map<String, String> params = new LinkedHashMap<>();
        q.parameters().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        Map<String, String> attachments = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : x.request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name)) {
                attachments.putIfAbsent(name, h.getValue());
            }
        }
        ByteBuf content = x.request.content();
        byte[] body = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), body);
        return RpcFrame.request(requestId, x.traceId, x.request.method().name(), q.rawPath(), params, attachments, body);
    }

    /** Protocol conversion back: the HTTP response an RPC reply stands for. */
    static FullHttpResponse toHttp(GatewayExchange x, RpcFrame reply) {
        ByteBuf body = x.conn.channel().alloc().buffer(reply.body().length);
        body.writeBytes(reply.body());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), body);
        reply.attachments().forEach((k, v) -> r.headers().set(k, v));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.DATE, HttpDates.now());
        return r;
    }

    /** The request as it arrived over HTTP, for the trace: request line and headers. */
    private static String httpForm(GatewayExchange x) {
        StringBuilder s = new StringBuilder(128).append("HTTP ").append(x.request.method()).append(' ').append(x.request.uri())
                .append(' ').append(x.request.protocolVersion()).append(" [");
        boolean first = true;
        for (Map.Entry<String, String> h : x.request.headers()) {
            s.append(first ? "" : ", ").append(h.getKey()).append(": ").append(h.getValue());
            first = false;
        }
        return s.append("] body ").append(x.request.content().readableBytes()).append(" B").toString();
    }

    void call(GatewayExchange x) {
        x.rpcRequest = toRpc(x, REQUEST_IDS.incrementAndGet());
        RpcWire.Unencodable bad = RpcWire.check(x.rpcRequest);
        if (bad != null) {
            // The client's request has no RPC form (a lowercase or odd method, too many headers...):
            // the client's fault, answered here; no backend is called, none is blamed.
            x.clientFault = true;
            x.reject("protocol_conversion", bad.httpStatus(), "cannot convert the request to RPC: " + bad.reason());
            return;
        }
        x.filterEvent("protocol_conversion", httpForm(x) + " -> " + x.rpcRequest.summary());
        if (responseTimeoutNanos > 0 && !x.hasDeadline()) {
            x.deadline(responseTimeoutNanos, () -> x.timedOut("response_timeout", "no reply within responseTimeout"));
        }
        byte[] addr = x.sourceIp == null ? null : NetUtil.createByteArrayFromIpAddressString(x.sourceIp);
        Call c = new Call(x, addr);
        x.call = c;
        c.attempt();
    }

    /** The exchange ended without this call's reply (timeout, client gone): drop the connection. */
    void abandon(GatewayExchange x) {
        Call c = x.call;
        if (c != null) {
            c.drop();
        }
    }

    /** One request's backend calls: the first attempt and SCG Retry's retries. */
    final class Call implements RpcClientHandler.Call {
        private final GatewayExchange x;
        private final byte[] clientAddress;
        private Selection selection;
        private Peer peer;
        private Channel channel;
        private boolean reused;
        private int retriesDone;
        private long attemptStart;

        Call(GatewayExchange x, byte[] clientAddress) {
            this.x = x;
            this.clientAddress = clientAddress;
            this.selection = group.newSelection(clientAddress, null, 0);
        }

        void attempt() {
            if (x.done()) {
                return;
            }
            long now = server.nanos();
            if (selection.triesLeft() <= 0) {
                selection = group.newSelection(clientAddress, null, 0);
            }
            selection.explain(server.context().events().traceMarks().watched(x.traceId));
            peer = group.pick(selection, now);
            if (peer == null) {
                selection = group.newSelection(clientAddress, null, 0);
                x.backendFailed = true;
                x.reject("load_balancer", 503, "no live backend in the pool of route " + route.id());
                return;
            }
            if (server.emitting()) {
                server.context().emit(EventType.UPSTREAM_CHOSEN, peer.name(), x.traceId, 0, now - x.startNanos,
                        new Fact.UpstreamChosen(route.id(), peer.name(), group.algorithm().id(), selection.reason(), "load_balancer",
                                null, selection.lastState().stream().map(p -> new Fact.PeerState(p.name(), p.weight(),
                                        p.effectiveWeight(), p.currentWeight(), p.conns(), p.available())).toList()));
            }
            InetSocketAddress target = server.context().addressOf(peer.name());
            if (target == null) {
                failed(new ConnectException("node " + peer.name() + " has no address (never started)"));
                return;
            }
            attemptStart = now;
            Channel cached = UpstreamConnector.pooled(pool, x.loop, target);
            if (cached != null) {
                reused = true;
                send(cached);
                return;
            }
            reused = false;
            ChannelFuture cf = UpstreamConnector.connect(x.loop, target, server.context().sourceAddress(), connectTimeoutNanos, true, server.context().metrics(),
                    ch -> ch.pipeline().addLast("rpc-decoder", new RpcFrameDecoder(tap))
                            .addLast("rpc-encoder", RpcFrameEncoder.INSTANCE)
                            .addLast(RpcClientHandler.NAME, new RpcClientHandler(pool)));
            server.track(cf.channel());
            channel = cf.channel();
            Peer attemptPeer = peer;
            cf.addListener((ChannelFutureListener) f -> {
                if (x.done() || channel != f.channel() || peer != attemptPeer) {
                    f.channel().close();
                    return;
                }
                if (f.isSuccess()) {
                    send(f.channel());
                } else {
                    failed(f.cause());
                }
            });
        }

        private void send(Channel ch) {
            channel = ch;
            ((RpcClientHandler) ch.pipeline().get(RpcClientHandler.NAME)).attach(this);
            tap.writeAndFlush(ch, ch, x.rpcRequest).addListener(f -> {
                if (!f.isSuccess() && channel == ch) {
                    if (f.cause() instanceof EncoderException) {
                        notSent(f.cause());
                    } else {
                        failed(f.cause());
                    }
                }
            });
        }

        /** The call could not be encoded (checked before, so a bug here, never the backend's failure): 500, nobody blamed. */
        private void notSent(Throwable cause) {
            Channel ch = channel;
            channel = null;
            if (ch != null) {
                ch.close();
            }
            if (x.done()) {
                return;
            }
            GatewayServer.log.warn("{}: could not encode the call to {}", server.id(), peer.name(), cause);
            group.free(selection, PeerGroup.Outcome.OK, server.nanos());
            x.clientFault = true;
            x.reject("protocol_conversion", 500, "the call could not be encoded: " + cause.getMessage());
        }

        @Override
        public void replied(RpcFrame reply) {
            Channel ch = channel;
            channel = null;
            if (x.done()) {
                ch.close();
                return;
            }
            if (reply.isRequest() || reply.requestId() != x.rpcRequest.requestId()) {
                ch.close();
                failed(new RpcProtocolException("reply #" + reply.requestId() + " to call #" + x.rpcRequest.requestId()));
                return;
            }
            if (pool.enabled() && !server.draining() && ch.isActive() && pool.countRequest(ch)) {
                pool.release(ch);
            } else {
                ch.close();
            }
            long now = server.nanos();
            group.free(selection, PeerGroup.Outcome.OK, now);
            int status = reply.status();
            if (retryable(status) && retriesLeft()) {
                retriesDone++;
                retryEvent("status " + status + " from " + peer.name());
                attempt();
                return;
            }
            x.backend = peer.name();
            if (server.emitting()) {
                server.context().emit(EventType.RESPONSE_RETURNED, peer.name(), x.traceId, status, now - attemptStart,
                        new Fact.ProtocolConversion(RpcTap.message(reply), status, HttpResponseStatus.valueOf(status).reasonPhrase()));
            }
            FullHttpResponse r = toHttp(x, reply);
            if (!r.headers().contains(LabHeaders.X_SERVED_BY)) {
                r.headers().set(LabHeaders.X_SERVED_BY, peer.name());
            }
            x.respond(r);
        }

        @Override
        public void failed(Throwable cause) {
            Channel ch = channel;
            channel = null;
            if (ch != null) {
                ch.close();
            }
            if (x.done()) {
                return;
            }
            long now = server.nanos();
            String why = describe(cause);
            if (reused && !(cause instanceof RpcProtocolException)) {
                // a pooled connection the server had closed meanwhile: try again on a fresh one, not counted
                group.free(selection, PeerGroup.Outcome.NEXT, now);
                selection.giveTryBack();
                retryEvent("pooled connection to " + peer.name() + " was closed: " + why);
                reused = false;
                attempt();
                return;
            }
            group.free(selection, PeerGroup.Outcome.FAILED, now);
            server.context().metrics().error(cause instanceof ConnectTimeoutException ? "backend_timeout" : "backend_error");
            if (retriesLeft() && retryMethods.contains(x.request.method().name())) {
                retriesDone++;
                retryEvent(why + " (" + peer.name() + ")");
                attempt();
                return;
            }
            x.backendFailed = true;
            x.backend = peer.name();
            x.reject("load_balancer", cause instanceof ConnectTimeoutException ? 504 : 502, "backend " + peer.name() + ": " + why);
        }

        void drop() {
            Channel ch = channel;
            channel = null;
            if (ch != null) {
                RpcClientHandler h = (RpcClientHandler) ch.pipeline().get(RpcClientHandler.NAME);
                if (h != null) {
                    h.detach();
                }
                ch.close();
            }
            if (selection.current() != null) {
                group.free(selection, x.backendFailed ? PeerGroup.Outcome.FAILED : PeerGroup.Outcome.OK, server.nanos());
            }
        }

        private boolean retryable(int status) {
            if (retry == null || !retryMethods.contains(x.request.method().name())) {
                return false;
            }
            return retryStatuses == null ? status >= 500 && status <= 599 : retryStatuses.contains(status);
        }

        private boolean retriesLeft() {
            return retry != null && retriesDone < retry.retries();
        }

        private void retryEvent(String why) {
            if (server.emitting()) {
                server.context().emit(EventType.RETRY, peer == null ? null : peer.name(), x.traceId, 0,
                        server.nanos() - x.startNanos,
                        new Fact.GatewayRetry(peer == null ? null : peer.name(), why, retriesDone, retry == null ? 0 : retry.retries()));
            }
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "connection closed before the reply";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        String m = t.getMessage();
        if (m != null && m.contains("Connection reset")) {
            return "connection reset by peer";
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
