package dev.flowlab.tier.nginx;

import dev.flowlab.net.http.HttpFront;
import dev.flowlab.balance.PeerStatus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Nginx tier: an HTTP/1.1 reverse proxy with nginx's locations, upstream blocks (balancing,
 * keepalive cache, passive health), proxy_next_upstream retries, a static file server and a proxy
 * cache. Configured by {@link dev.flowlab.topology.NginxConfig}.
 */
public final class NginxServer extends TcpServerNode {
    /** The pipeline's own steps after {@link HttpFront}'s, by name. */
    static final String HEAD_CHECKS = "request-head-checks";
    static final String BODILESS = "bodiless";
    static final String BODY = "client-body";
    static final String REQUEST = "nginx-request";

    static final String CACHE_STATUS_HEADER = "X-Cache-Status";
    static final String X_REAL_IP = "X-Real-IP";
    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    /** Rebuilt at each restart: a new nginx process forgets its upstream peers' failures. */
    private volatile NginxSite site;
    private boolean startedBefore;
    private volatile boolean draining;

    public NginxServer(NodeContext context) {
        super(context);
        this.site = new NginxSite(context);
    }

    /** multipart/byteranges boundaries: numbered from 1 per server (nginx's ngx_next_temp_number in a fresh process). */
    private final java.util.concurrent.atomic.AtomicLong boundaries = new java.util.concurrent.atomic.AtomicLong();

    long nextBoundary() {
        return boundaries.incrementAndGet();
    }

    NodeContext context() {
        return context;
    }

    boolean draining() {
        return draining;
    }

    boolean emitting() {
        return context.events().hasSubscribers();
    }

    /** $upstream_cache_status of a request: HIT and the stale answers are hits, the rest misses; {@code note} may be null. */
    /** As {@link #emitCache(boolean, String, String, String, String)}, with the answering entry's age and freshness at {@code now}. */
    void emitCache(boolean hit, String traceId, String status, String key, String note, ProxyCache.Entry entry, long now) {
        if (emitting()) {
            context.emit(hit ? EventType.CACHE_HIT : EventType.CACHE_MISS, null, traceId, 0, 0, new Fact.CacheStatus(status, key,
                    note, (now - entry.storedNanos()) / 1_000_000, (entry.expiresNanos() - now) / 1_000_000));
        }
    }

    void emitCache(boolean hit, String traceId, String status, String key, String note) {
        if (emitting()) {
            context.emit(hit ? EventType.CACHE_HIT : EventType.CACHE_MISS, null, traceId, 0, 0, new Fact.CacheStatus(status, key, note));
        }
    }

    @Override
    protected boolean countsClosesItself() {
        return true; // ClientConnection.channelInactive
    }

    /** A client connection's end, once (from its handler's channelInactive). */
    void clientClosed() {
        connectionClosed();
    }

    @Override
    protected void initChild(SocketChannel ch) {
        if (connections.size() > site.workerConnections) {
            // ngx_event_accept: no free connection, the accepted socket is closed at once
            context.metrics().error("worker_connections");
            if (emitting()) {
                context.emit(EventType.REJECTED, null, null, 0, 0, new Fact.Failure("worker_connections", site.workerConnections
                        + " worker_connections are not enough: connection closed"));
            }
            ch.close();
            connectionClosed();
            return;
        }
        ClientConnection conn = new ClientConnection(this, site);
        ch.pipeline().addLast(REQUEST, conn);
        buildFront(ch.pipeline(), conn);
    }

    /**
     * The steps before the connection handler (named {@link #REQUEST}): for a new connection, and
     * again for a parked one woken by the first bytes of its next request.
     */
    void buildFront(ChannelPipeline p, ClientConnection conn) {
        NginxSite site = conn.site();
        long maxBody = site.maxBodyBytes <= 0 ? Integer.MAX_VALUE : Math.min(Integer.MAX_VALUE, site.maxBodyBytes);
        HttpFront.installBefore(p, REQUEST, conn.gate, conn.timeouts, new HttpServerCodec(HeaderNames.decoderConfig(
                        site.headerBufferBytes, site.headerBufferBytes * site.headerBufferCount, 8192), Integer.MAX_VALUE))
                .addBefore(REQUEST, HEAD_CHECKS, new RequestHeadChecks(site.headerBufferBytes))
                .addBefore(REQUEST, BODILESS, new BodilessRequests())
                .addBefore(REQUEST, HttpFront.BODY_BUDGET, conn.budget)
                .addBefore(REQUEST, BODY, new ClientBodyBuffer((int) maxBody, conn));
    }

    /** An idle connection's pipeline down to its connection handler: {@link #buildFront}'s steps removed. */
    void stripFront(ChannelPipeline p) {
        p.remove(HttpFront.READ_GATE);
        p.remove(HttpFront.CLIENT_TIMEOUTS);
        p.remove(HttpFront.CODEC);
        p.remove(HttpFront.REQUEST_PHASES);
        p.remove(HEAD_CHECKS);
        p.remove(BODILESS);
        p.remove(HttpFront.BODY_BUDGET);
        p.remove(BODY);
    }

    private static final VarHandle COMBINED_INBOUND;
    private static final VarHandle CUMULATION;

    static {
        VarHandle in = null;
        VarHandle cum = null;
        try {
            in = MethodHandles.privateLookupIn(CombinedChannelDuplexHandler.class, MethodHandles.lookup())
                    .findVarHandle(CombinedChannelDuplexHandler.class, "inboundHandler", ChannelInboundHandler.class);
            cum = MethodHandles.privateLookupIn(ByteToMessageDecoder.class, MethodHandles.lookup())
                    .findVarHandle(ByteToMessageDecoder.class, "cumulation", ByteBuf.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            in = cum = null; // never parked: no way to see whether the codec holds bytes
        }
        COMBINED_INBOUND = in;
        CUMULATION = cum;
    }

    /** Whether the HTTP codec holds bytes of a request not yet decoded (true where that cannot be seen). */
    static boolean codecHoldsInput(ChannelPipeline p) {
        if (CUMULATION == null || !(p.get(HttpFront.CODEC) instanceof HttpServerCodec codec)) {
            return true;
        }
        Object decoder = COMBINED_INBOUND.get(codec);
        if (!(decoder instanceof ByteToMessageDecoder d)) {
            return true;
        }
        ByteBuf buffered = (ByteBuf) CUMULATION.get(d);
        return buffered != null && buffered.isReadable();
    }

    /** Keep-alive connections idle on this channel's event loop. */
    IdleConnections idle(Channel ch) {
        EventLoop loop = ch.eventLoop();
        IdleConnections list = idle.get(loop);
        if (list == null) {
            list = new IdleConnections(loop);
            IdleConnections raced = idle.putIfAbsent(loop, list);
            if (raced != null) {
                list = raced;
            }
        }
        return list;
    }

    /** Idle keep-alive client connections whose pipeline is stripped right now, on all loops (for tests and inspectors). */
    public int parkedConnections() {
        int n = 0;
        for (Channel ch : connections) {
            if (ch.pipeline().last() instanceof ClientConnection c && c.parked()) {
                n++;
            }
        }
        return n;
    }

    private final java.util.concurrent.ConcurrentHashMap<EventLoop, IdleConnections> idle = new java.util.concurrent.ConcurrentHashMap<>();

    /** proxy_request_buffering on: the whole body is read before proxying; beyond client_max_body_size, 413. */
    private static final class ClientBodyBuffer extends HttpObjectAggregator {
        private final ClientConnection conn;

        ClientBodyBuffer(int maxContentLength, ClientConnection conn) {
            super(maxContentLength, true);
            this.conn = conn;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            conn.rejectOversized(oversized.headers());
        }
    }

    @Override
    public synchronized java.util.concurrent.CompletableFuture<java.net.InetSocketAddress> start() {
        draining = false;
        if (startedBefore && state() != dev.flowlab.runtime.NodeState.RUNNING && state() != dev.flowlab.runtime.NodeState.STARTING) {
            // Failures seen while the old process died (its own upstream connections reset) would
            // otherwise keep every server "temporarily disabled" for fail_timeout after the restart.
            site = new NginxSite(context);
            idle.clear(); // the old process's idle connections are closed with it
        }
        startedBefore = true;
        return super.start();
    }

    @Override
    protected void onDrain() {
        draining = true;
        for (Channel ch : connections) {
            ClientConnection c = ch.pipeline().get(ClientConnection.class);
            if (c != null && !c.busy()) {
                ch.close();
            }
        }
        site.upstreams.values().forEach(u -> u.pool().closeAll());
    }

    @Override
    protected void onStopped() {
        site.upstreams.values().forEach(u -> u.pool().closeAll());
    }

    /** Each upstream block's servers and their balancing and health state, for inspectors and tests. */
    public Map<String, List<PeerStatus>> upstreamStatus() {
        Map<String, List<PeerStatus>> out = new LinkedHashMap<>();
        long now = System.nanoTime();
        site.upstreams.forEach((name, u) -> out.put(name, u.group() == null ? List.of() : new ArrayList<>(u.group().status(now))));
        return out;
    }

    /** Idle keepalive connections cached to each upstream block right now. */
    public Map<String, Integer> idleUpstreamConnections() {
        Map<String, Integer> out = new LinkedHashMap<>();
        site.upstreams.forEach((name, u) -> out.put(name, u.pool().idleCount()));
        return out;
    }
}
