package dev.flowlab.export;

import static dev.flowlab.export.KeepalivedExporter.host;
import static dev.flowlab.export.KeepalivedExporter.port;

import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.GatewayConfig.Filters;
import dev.flowlab.topology.GatewayConfig.Route;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a gateway node as a Spring Cloud Gateway {@code application.yml}: one route per lab route (a Path predicate,
 * ordered so the longest prefix wins as in the lab), its pool as a Spring Cloud LoadBalancer simple-discovery service,
 * and the filters Spring Cloud Gateway has: RequestRateLimiter (redis-rate-limiter's token bucket), CircuitBreaker with
 * its Resilience4J circuit breaker and time limiter, Retry. The lab's filters that Spring Cloud Gateway has no built-in
 * for (risk control, authentication, traffic shaping) are comments naming what would do the job.
 */
public final class GatewayExporter {
    private GatewayExporter() {
    }

    /** The routes as the lab runs them: the file's, else one route / to every linked node. */
    public static List<Route> routes(NodeSpec node) {
        GatewayConfig c = node.configAs(GatewayConfig.class);
        return c.routes() == null || c.routes().isEmpty() ? GatewayConfig.defaultRoutes(node.id()) : c.routes();
    }

    /** A route's id as the export writes it (the lab's, else gateway-N). */
    public static String routeId(NodeSpec node, Route r, int index) {
        return r.id() != null && !r.id().isBlank() ? r.id() : node.id() + "-" + (index + 1);
    }

    /** Spring Cloud Gateway's Path pattern for a lab prefix: /api/cart -> /api/cart/**, / -> /**. */
    public static String pathPattern(String prefix) {
        String p = prefix == null || prefix.isBlank() ? "/" : prefix;
        return (p.endsWith("/") ? p : p + "/") + "**";
    }

    public static String export(Scenario s, NodeSpec node, String listen, Map<String, String> addresses) {
        GatewayConfig c = node.configAs(GatewayConfig.class);
        List<Route> routes = routes(node);
        StringBuilder b = new StringBuilder();
        b.append("# Spring Cloud Gateway application.yml for the lab node '").append(node.id()).append("', exported by Request Flow Lab.\n");
        b.append("# Properties under spring.cloud.gateway (Spring Cloud Gateway 4.0; 4.1+ also reads spring.cloud.gateway.server.webflux).\n");
        b.append("# Addresses are the lab's loopback ones: PLACEHOLDERS. The lab's gateway reaches its Tomcats over its own RPC\n");
        b.append("# protocol; a real gateway calls them over HTTP (the uris below). Credentials are not exported (secrets).\n");
        b.append("server:\n");
        b.append("  address: ").append(host(listen)).append('\n');
        b.append("  port: ").append(port(listen)).append('\n');
        if (c.keepaliveTimeout() != null) {
            b.append("  netty:\n    idle-timeout: ").append(dur(c.keepaliveTimeout())).append('\n');
        }
        if (c.clientHeaderTimeout() != null || c.clientBodyTimeout() != null) {
            b.append("  # the lab's clientHeaderTimeout/clientBodyTimeout (nginx's semantics) have no Spring Cloud Gateway setting\n");
        }
        b.append("spring:\n");
        b.append("  application:\n    name: ").append(q(node.id())).append('\n');
        b.append("  cloud:\n");
        b.append("    discovery:\n      client:\n        simple:\n          instances:\n");
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            b.append("            ").append(q(routeId(node, r, i))).append(':');
            List<String> servers = r.servers() != null && !r.servers().isEmpty() ? r.servers()
                    : s.downstreamOf(node.id()).stream().map(NodeSpec::id).toList();
            b.append(servers.isEmpty() ? " []\n" : "\n");
            for (String srv : servers) {
                String a = addresses.getOrDefault(srv, srv);
                b.append("              - uri: ").append(q("http://" + a)).append("  # lab node ").append(srv).append('\n');
            }
        }
        b.append("    gateway:\n");
        b.append("      httpclient:\n");
        b.append("        connect-timeout: ").append(c.connectTimeout() == null ? 30000 : c.connectTimeout().toMillis()).append('\n');
        if (c.responseTimeout() != null) {
            b.append("        response-timeout: ").append(dur(c.responseTimeout())).append('\n');
        }
        Filters defaults = c.defaultFilters();
        List<String[]> breakers = new ArrayList<>();
        if (defaults != null) {
            b.append("      # the lab's defaultFilters are written into each route (a route's own filter replacing the default, as in\n");
            b.append("      # the lab): each route has its own circuit breaker there, and a CircuitBreaker in default-filters would be\n");
            b.append("      # one breaker shared by every route\n");
        }
        b.append("      routes:\n");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            order.add(i);
        }
        // The lab matches the longest prefix; Spring Cloud Gateway the first route in order: longest first.
        order.sort(Comparator.comparingInt((Integer i) -> -(routes.get(i).path() == null ? 1 : routes.get(i).path().length())));
        int rank = 0;
        for (int i : order) {
            Route r = routes.get(i);
            String id = routeId(node, r, i);
            b.append("        - id: ").append(q(id)).append('\n');
            b.append("          uri: ").append(q("lb://" + id)).append('\n');
            b.append("          order: ").append(rank++).append('\n');
            b.append("          predicates:\n");
            b.append("            - ").append(q("Path=" + pathPattern(r.path()))).append('\n');
            String balance = r.balance() == null ? "round_robin" : r.balance();
            if (!balance.equals("round_robin")) {
                b.append("          # the lab balances this route ").append(balance)
                        .append("; Spring Cloud LoadBalancer has round robin and random (a custom ReactorLoadBalancer for the rest)\n");
            }
            if (r.maxFails() != null || r.failTimeout() != null) {
                b.append("          # the lab's passive health (maxFails ").append(r.maxFails() == null ? 1 : r.maxFails()).append(", failTimeout ")
                        .append(dur(r.failTimeout() == null ? Duration.ofSeconds(10) : r.failTimeout()))
                        .append(") has no Spring Cloud LoadBalancer equivalent (its health-check supplier is active)\n");
            }
            Filters effective = r.filters() != null ? r.filters().over(defaults) : defaults;
            if (effective != null) {
                StringBuilder f = new StringBuilder();
                filters(f, effective, id, "            ", breakers);
                if (f.length() > 0) {
                    b.append("          filters:").append(f.indexOf("- name:") < 0 ? " []" : "").append('\n').append(f);
                }
            }
        }
        if (!breakers.isEmpty()) {
            b.append("resilience4j:\n  circuitbreaker:\n    instances:\n");
            for (String[] br : breakers) {
                b.append(br[1]);
            }
            b.append("  timelimiter:\n    instances:\n");
            for (String[] br : breakers) {
                b.append(br[2]);
            }
        }
        return b.toString();
    }

    /** Appends a filter list (items at indent); a CircuitBreaker adds its Resilience4J instance to breakers. */
    private static void filters(StringBuilder b, Filters f, String name, String in, List<String[]> breakers) {
        if (f.riskControl() != null) {
            b.append(in).append("# the lab's riskControl (deny lists and rules, 403) has no built-in filter: a custom GlobalFilter, or a WAF in front\n");
        }
        if (f.auth() != null) {
            b.append(in).append("# the lab's auth (bearer token or API key, 401) is Spring Security's job (oauth2ResourceServer) in a real gateway\n");
        }
        if (f.rateLimit() != null) {
            GatewayConfig.RateLimit r = Params.withDefaults(f.rateLimit());
            b.append(in).append("- name: RequestRateLimiter\n");
            b.append(in).append("  args:\n");
            b.append(in).append("    redis-rate-limiter.replenishRate: ").append(r.replenishRate()).append('\n');
            b.append(in).append("    redis-rate-limiter.burstCapacity: ").append(r.burstCapacity()).append('\n');
            b.append(in).append("    redis-rate-limiter.requestedTokens: ").append(r.requestedTokens()).append('\n');
            String bean = switch (r.keyResolver()) {
                case "ip" -> "ipKeyResolver";
                case "apiKey" -> "apiKeyResolver";
                default -> "principalNameKeyResolver";
            };
            if (!bean.equals("principalNameKeyResolver")) {
                b.append(in).append("    # a KeyResolver bean named ").append(bean).append(" the application defines (the lab's keyResolver ")
                        .append(r.keyResolver()).append(")\n");
            }
            b.append(in).append("    key-resolver: ").append(q("#{@" + bean + "}")).append('\n');
            b.append(in).append("    deny-empty-key: ").append(r.denyEmptyKey()).append('\n');
            b.append(in).append("    # the lab keeps its buckets in memory; redis-rate-limiter needs a Redis (spring.data.redis)\n");
        }
        if (f.shaping() != null) {
            GatewayConfig.Shaping sh = Params.withDefaults(f.shaping());
            b.append(in).append("# the lab's shaping (").append(sh.maxConcurrent()).append(" in flight, queue ").append(sh.maxQueue())
                    .append(", queueTimeout ").append(dur(sh.queueTimeout())).append(") has no built-in filter: Resilience4J's Bulkhead in a custom filter\n");
        }
        if (f.circuitBreaker() != null) {
            GatewayConfig.CircuitBreaker cb = Params.withDefaults(f.circuitBreaker());
            b.append(in).append("- name: CircuitBreaker\n");
            b.append(in).append("  args:\n");
            b.append(in).append("    name: ").append(q(name)).append('\n');
            if (cb.statusCodes() != null && !cb.statusCodes().isEmpty()) {
                b.append(in).append("    statusCodes: ").append(cb.statusCodes().stream().map(x -> q(x.toString()))
                        .collect(Collectors.joining(", ", "[", "]"))).append('\n');
            }
            String cbi = "      " + q(name) + ":\n"
                    + "        slidingWindowType: COUNT_BASED\n"
                    + "        slidingWindowSize: " + cb.slidingWindowSize() + "\n"
                    + "        minimumNumberOfCalls: " + cb.minimumNumberOfCalls() + "\n"
                    + "        failureRateThreshold: " + cb.failureRateThreshold() + "\n"
                    + "        waitDurationInOpenState: " + dur(cb.waitDurationInOpenState()) + "\n"
                    + "        permittedNumberOfCallsInHalfOpenState: " + cb.permittedNumberOfCallsInHalfOpenState() + "\n";
            String tl = "      " + q(name) + ":\n        timeoutDuration: " + dur(cb.timeout()) + "\n";
            breakers.add(new String[] {name, cbi, tl});
        }
        if (f.retry() != null) {
            GatewayConfig.Retry r = Params.withDefaults(f.retry());
            b.append(in).append("- name: Retry\n");
            b.append(in).append("  args:\n");
            b.append(in).append("    retries: ").append(r.retries()).append('\n');
            if (r.statuses() != null && !r.statuses().isEmpty()) {
                b.append(in).append("    statuses: ").append(r.statuses().stream().map(Object::toString).collect(Collectors.joining(", ")))
                        .append('\n');
                b.append(in).append("    # Spring Cloud Gateway also retries its default series (SERVER_ERROR) unless series is cleared\n");
            } else {
                b.append(in).append("    series: SERVER_ERROR\n");
            }
            b.append(in).append("    methods: ").append(r.methods() == null || r.methods().isEmpty() ? "GET" : String.join(", ", r.methods()))
                    .append('\n');
        }
    }

    /** Spring's duration syntax: 10s, else milliseconds. */
    static String dur(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /** A double-quoted YAML scalar. */
    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
