package dev.flowlab.tier.gateway;

import dev.flowlab.net.http.HttpFront;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway tier: an HTTP/1.1 API gateway on Netty. Each request is matched to a route by path
 * and runs the route's filter chain on its event loop, never blocking: trace id and access log,
 * risk control (403), authentication (401), rate limiting (429), traffic shaping (503), a circuit
 * breaker with a time limiter (503/504); then the endpoint converts it to the lab RPC protocol
 * and calls a Tomcat of the route's pool, chosen with nginx's balancing, retried as Spring Cloud
 * Gateway's Retry filter does. Configured by {@link dev.flowlab.topology.GatewayConfig}.
 *
 * <p>Pipeline of an accepted connection: {@value #CODEC}, {@value #AGGREGATOR}, {@value #CONNECTION}.
 */
public final class GatewayServer extends TcpServerNode {
    static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    static final String AGGREGATOR = "http-aggregator";
    static final String CONNECTION = "gateway-connection";
    /** Spring's default max in-memory size is 256 KB; the gateway buffers bodies to convert them, up to 1 MB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final GatewayRoutes routes;
    private final GatewayRoute notFound;
    final long clientHeaderTimeoutNanos;
    final long clientBodyTimeoutNanos;
    final long keepaliveTimeoutNanos;
    private volatile boolean draining;
    private final LongSupplier clock;

    public GatewayServer(NodeContext context) {
        this(context, context.clock());
    }

    /** With the clock the rate limiter and circuit breaker read (the lab's by default; a test may drive it). */
    public GatewayServer(NodeContext context, LongSupplier nanoTime) {
        super(context);
        this.clock = nanoTime;
        this.routes = new GatewayRoutes(this, context, nanoTime);
        this.notFound = new GatewayRoute("none", "", List.of(new TraceIdFilter(context.id())));
        dev.flowlab.topology.GatewayConfig raw = context.spec().configAs(dev.flowlab.topology.GatewayConfig.class);
        dev.flowlab.topology.GatewayConfig cfg = dev.flowlab.topology.Params.withDefaults(raw == null ? dev.flowlab.topology.GatewayConfig.EMPTY : raw);
        this.clientHeaderTimeoutNanos = cfg.clientHeaderTimeout().toNanos();
        this.clientBodyTimeoutNanos = cfg.clientBodyTimeout().toNanos();
        this.keepaliveTimeoutNanos = cfg.keepaliveTimeout().toNanos();
    }

    /** Now on the gateway's clock: every time the gateway measures or compares. */
    long nanos() {
        return clock.getAsLong();
    }

    NodeContext context() {
        return context;
    }

    GatewayRoutes routes() {
        return routes;
    }

    GatewayRoute notFoundRoute() {
        return notFound;
    }

    boolean draining() {
        return draining;
    }

    boolean emitting() {
        return context.events().hasSubscribers();
    }

    @Override
    protected void initChild(SocketChannel ch) {
        GatewayConnection conn = new GatewayConnection(this);
        HttpFront.install(ch.pipeline(), conn.gate, conn.timeouts,
                        new HttpServerCodec(new io.netty.handler.codec.http.HttpDecoderConfig(), Integer.MAX_VALUE))
                .addLast(HttpFront.BODY_BUDGET, conn.budget)
                .addLast(AGGREGATOR, new BodyLimit(conn))
                .addLast(CONNECTION, conn);
    }

    private static final class BodyLimit extends HttpObjectAggregator {
        private final GatewayConnection conn;

        BodyLimit(GatewayConnection conn) {
            super(MAX_BODY_BYTES, true);
            this.conn = conn;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            conn.rejectOversized();
        }
    }

    @Override
    public synchronized java.util.concurrent.CompletableFuture<java.net.InetSocketAddress> start() {
        draining = false;
        return super.start();
    }

    @Override
    protected void onDrain() {
        draining = true;
        for (Channel ch : connections) {
            GatewayConnection c = ch.pipeline().get(GatewayConnection.class);
            if (c != null && !c.busy()) {
                ch.close();
            }
        }
        routes.all().forEach(r -> r.endpoint().pool().closeAll());
    }

    @Override
    protected void onStopped() {
        routes.all().forEach(r -> r.endpoint().pool().closeAll());
    }

    /** Each route's circuit breaker state (routes without one are absent), for inspectors and tests. */
    public Map<String, String> circuitStates() {
        Map<String, String> out = new LinkedHashMap<>();
        for (GatewayRoute r : routes.all()) {
            CircuitBreakerFilter cb = r.filter(CircuitBreakerFilter.class);
            if (cb != null) {
                out.put(r.id(), cb.breaker().state().name());
            }
        }
        return out;
    }

    /** Route ids in matching order (longest prefix first). */
    public List<String> routeIds() {
        return routes.all().stream().map(GatewayRoute::id).toList();
    }

    /** Each route's filter chain by name, in order (the endpoint's steps last). */
    public Map<String, List<String>> filterChains() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (GatewayRoute r : routes.all()) {
            List<String> names = new java.util.ArrayList<>(r.filters().stream().map(GatewayFilter::name).toList());
            if (r.endpoint().retries()) {
                names.add("retry");
            }
            names.add("protocol_conversion");
            names.add("load_balancer");
            out.put(r.id(), names);
        }
        return out;
    }
}
