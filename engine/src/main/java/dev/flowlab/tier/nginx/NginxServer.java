package dev.flowlab.tier.nginx;

import dev.flowlab.net.http.HttpFront;
import dev.flowlab.balance.PeerStatus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.Channel;
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
    protected void initChild(SocketChannel ch) {
        if (connections.size() > site.workerConnections) {
            // ngx_event_accept: no free connection, the accepted socket is closed at once
            context.metrics().error("worker_connections");
            if (emitting()) {
                context.emit(EventType.REJECTED, null, null, 0, 0, new Fact.Failure("worker_connections", site.workerConnections
                        + " worker_connections are not enough: connection closed"));
            }
            ch.close();
            return;
        }
        ClientConnection conn = new ClientConnection(this, site);
        long maxBody = site.maxBodyBytes <= 0 ? Integer.MAX_VALUE : Math.min(Integer.MAX_VALUE, site.maxBodyBytes);
        HttpFront.install(ch.pipeline(), conn.gate, conn.timeouts, new HttpServerCodec(HeaderNames.decoderConfig(
                        site.headerBufferBytes, site.headerBufferBytes * site.headerBufferCount, 8192), Integer.MAX_VALUE))
                .addLast(HEAD_CHECKS, new RequestHeadChecks(site.headerBufferBytes))
                .addLast(BODILESS, new BodilessRequests())
                .addLast(HttpFront.BODY_BUDGET, conn.budget)
                .addLast(BODY, new ClientBodyBuffer((int) maxBody, conn))
                .addLast(REQUEST, conn);
    }

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
