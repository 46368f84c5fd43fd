package dev.flowlab.tier.gateway;

import dev.flowlab.balance.Algorithm;
import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.balance.PeerSpec;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A gateway's routes, resolved once at creation: defaults filled in, each route's filter chain
 * built in the lab's fixed order (trace id, access log, risk control, authentication, rate limit,
 * shaping, circuit breaker; retry, protocol conversion and balancing in the endpoint), routes
 * ordered for longest-prefix matching.
 */
final class GatewayRoutes {
    /** Idle RPC connections kept per event loop and route pool (as nginx's keepalive 32 the lab sets). */
    static final int POOL_IDLE_PER_LOOP = 64;
    /** Below Tomcat's default keepAliveTimeout (60 s) so the gateway, not Tomcat, closes idle connections. */
    static final long POOL_IDLE_NANOS = Duration.ofSeconds(50).toNanos();

    private final List<GatewayRoute> routes = new ArrayList<>();

    GatewayRoutes(GatewayServer server, NodeContext context, LongSupplier nanoTime) {
        GatewayConfig raw = context.spec().configAs(GatewayConfig.class);
        GatewayConfig cfg = raw == null ? GatewayConfig.EMPTY : raw;
        long connectTimeout = (cfg.connectTimeout() == null ? Durations.parse("30s") : cfg.connectTimeout()).toNanos();
        long responseTimeout = cfg.responseTimeout() == null ? 0 : cfg.responseTimeout().toNanos();
        List<GatewayConfig.Route> written = cfg.routes() != null ? cfg.routes()
                : GatewayConfig.defaultRoutes(context.id());
        TraceIdFilter trace = new TraceIdFilter(context.id());
        AccessLogFilter access = new AccessLogFilter();
        for (GatewayConfig.Route r : written) {
            String id = r.id() == null || r.id().isBlank() ? r.path() : r.id();
            if (r.path() == null || !r.path().startsWith("/")) {
                throw new IllegalArgumentException("node " + context.id() + ": route " + id + ": path must start with /");
            }
            GatewayConfig.Filters f = (r.filters() == null ? GatewayConfig.Filters.NONE : r.filters()).over(cfg.defaultFilters());
            List<GatewayFilter> chain = new ArrayList<>();
            chain.add(trace);
            chain.add(access);
            if (f.riskControl() != null) {
                chain.add(new RiskControlFilter(f.riskControl()));
            }
            if (f.auth() != null) {
                chain.add(new AuthFilter(Params.withDefaults(f.auth()), cfg.credentials()));
            }
            if (f.rateLimit() != null) {
                chain.add(new RateLimitFilter(Params.withDefaults(f.rateLimit()), nanoTime));
            }
            if (f.shaping() != null) {
                chain.add(new ShapingFilter(Params.withDefaults(f.shaping())));
            }
            if (f.circuitBreaker() != null) {
                chain.add(new CircuitBreakerFilter(id, Params.withDefaults(f.circuitBreaker()), context, nanoTime));
            }
            GatewayRoute route = new GatewayRoute(id, r.path(), chain);
            List<String> servers = r.servers() != null ? r.servers() : context.downstream().stream().map(NodeSpec::id).toList();
            List<PeerSpec> specs = new ArrayList<>();
            int maxFails = r.maxFails() == null ? 1 : r.maxFails();
            Duration failTimeout = r.failTimeout() == null ? Duration.ofSeconds(10) : r.failTimeout();
            for (String s : servers) {
                if (context.scenario().node(s).isEmpty()) {
                    throw new IllegalArgumentException("node " + context.id() + ": route " + id + " names server '" + s + "', which is not a node");
                }
                specs.add(PeerSpec.of(s).withMaxFails(maxFails, failTimeout));
            }
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("node " + context.id() + ": route " + id + " has no servers (link the gateway to Tomcats)");
            }
            Algorithm algorithm = Algorithm.of(r.balance() == null ? "round_robin" : r.balance(), false);
            if (algorithm.usesKey()) {
                throw new IllegalArgumentException("node " + context.id() + ": route " + id + ": balance hash needs a key; use round_robin, least_conn or ip_hash");
            }
            PeerGroup group = new PeerGroup(id, algorithm, specs, new HealthEvents(context, id));
            GatewayConfig.Retry retry = f.retry() == null ? null : Params.withDefaults(f.retry());
            route.endpoint(new RpcEndpoint(server, route, group,
                    new KeepalivePool(POOL_IDLE_PER_LOOP, POOL_IDLE_NANOS, Integer.MAX_VALUE), retry, connectTimeout, responseTimeout));
            routes.add(route);
        }
        routes.sort(Comparator.comparingInt((GatewayRoute x) -> x.prefix().length()).reversed());
    }

    /** The longest prefix that matches, or null (404). */
    GatewayRoute match(String uri) {
        for (GatewayRoute r : routes) {
            if (uri.startsWith(r.prefix())) {
                return r;
            }
        }
        return null;
    }

    List<GatewayRoute> all() {
        return routes;
    }

    private record HealthEvents(NodeContext context, String route) implements PeerGroup.HealthListener {
        @Override
        public void serverDown(Peer peer, int fails, long failTimeoutNanos) {
            context.emit(EventType.SERVER_DOWN, peer.name(), null, 0, 0, new Fact.ServerDown("route " + route, peer.name(), fails,
                    failTimeoutNanos, "route " + route + ": backend " + peer.name() + " marked down after " + fails
                    + " failure(s), for " + Durations.format(Duration.ofNanos(failTimeoutNanos))));
        }

        @Override
        public void serverUp(Peer peer) {
            context.emit(EventType.SERVER_UP, peer.name(), null, 0, 0,
                    new Fact.ServerUp("route " + route, peer.name(), "route " + route + ": backend " + peer.name() + " answered again"));
        }
    }
}
