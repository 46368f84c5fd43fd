package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every library scenario's gateway exports an application.yml that parses as YAML into the structure Spring Cloud
 * Gateway binds: routes with an id, a uri, Path predicates and filters as name/args, each lb:// service with discovery
 * instances, each CircuitBreaker with its Resilience4J instance. No real gateway runs here (it is an application to
 * build, not a Debian package); this is the check.
 */
class GatewayExportTest {
    @TempDir
    Path dir;

    static final Set<String> FILTERS = Set.of("RequestRateLimiter", "CircuitBreaker", "Retry");

    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String... path) {
        Object o = root;
        for (String p : path) {
            assertTrue(o instanceof Map, "no map at " + p + " in " + String.join(".", path));
            o = ((Map<String, Object>) o).get(p);
        }
        return (T) o;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyGatewayExportsAnApplicationYmlInSpringCloudGatewaysShape() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            for (NodeSpec n : s.nodesOfKind(NodeKind.GATEWAY)) {
                String text = Files.readString(out.resolve("gateway").resolve(n.id() + ".yml"));
                String where = e.getKey() + " / " + n.id() + ":\n" + text;
                Map<String, Object> y = new Yaml().load(text);
                assertThat((Object) at(y, "server", "port")).as(where).isInstanceOf(Integer.class);
                List<Map<String, Object>> routes = at(y, "spring", "cloud", "gateway", "routes");
                List<GatewayConfig.Route> lab = GatewayExporter.routes(n);
                assertEquals(lab.size(), routes.size(), where);
                Map<String, Object> instances = at(y, "spring", "cloud", "discovery", "client", "simple", "instances");
                int lastLength = Integer.MAX_VALUE;
                for (Map<String, Object> r : routes) {
                    String id = (String) r.get("id");
                    assertEquals("lb://" + id, r.get("uri"), where);
                    assertThat(instances).as(where).containsKey(id);
                    List<String> predicates = (List<String>) r.get("predicates");
                    assertThat(predicates).as(where).hasSize(1);
                    assertThat(predicates.get(0)).startsWith("Path=/").endsWith("**");
                    int length = predicates.get(0).length();
                    assertThat(length).as(where + ": longest prefix first").isLessThanOrEqualTo(lastLength);
                    lastLength = length;
                    checkFilters(y, (List<Map<String, Object>>) r.get("filters"), where);
                }
                checkFilters(y, at(y, "spring", "cloud", "gateway", "default-filters"), where);
                checked++;
            }
        }
        assertTrue(checked > 0, "no library scenario has a gateway");
    }

    @SuppressWarnings("unchecked")
    static void checkFilters(Map<String, Object> y, List<Map<String, Object>> filters, String where) {
        if (filters == null) {
            return;
        }
        for (Map<String, Object> f : filters) {
            assertThat(FILTERS).as(where).contains((String) f.get("name"));
            Map<String, Object> args = (Map<String, Object>) f.get("args");
            switch ((String) f.get("name")) {
                case "RequestRateLimiter" -> {
                    assertThat((Object) args.get("redis-rate-limiter.replenishRate")).isInstanceOf(Integer.class);
                    assertThat((Object) args.get("redis-rate-limiter.burstCapacity")).isInstanceOf(Integer.class);
                    assertThat((String) args.get("key-resolver")).startsWith("#{@").endsWith("}");
                }
                case "CircuitBreaker" -> {
                    String name = (String) args.get("name");
                    Map<String, Object> cb = at(y, "resilience4j", "circuitbreaker", "instances", name);
                    assertThat(cb).as(where).containsKeys("slidingWindowSize", "minimumNumberOfCalls", "failureRateThreshold",
                            "waitDurationInOpenState", "permittedNumberOfCallsInHalfOpenState");
                    assertThat((Object) at(y, "resilience4j", "timelimiter", "instances", name, "timeoutDuration")).as(where).isNotNull();
                }
                default -> assertThat((Object) args.get("retries")).as(where).isInstanceOf(Integer.class);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGatewayScenariosFiltersAreWrittenWithItsSettings() throws Exception {
        Scenario s = ExportLibrary.scenarios().get("03-gateway.json");
        ScenarioExporter.export(s, dir);
        Map<String, Object> y = new Yaml().load(Files.readString(dir.resolve("gateway/gateway-1.yml")));
        List<Map<String, Object>> routes = at(y, "spring", "cloud", "gateway", "routes");
        assertThat(routes.stream().map(r -> r.get("id")).toList()).containsExactly("cart", "account", "api", "web");
        Map<String, Object> cart = routes.get(0);
        assertEquals(List.of("Path=/api/cart/**"), cart.get("predicates"));
        Map<String, Object> limiter = at(((List<Map<String, Object>>) cart.get("filters")).get(0), "args");
        assertEquals(10, limiter.get("redis-rate-limiter.replenishRate"));
        assertEquals(20, limiter.get("redis-rate-limiter.burstCapacity"));
        assertEquals("#{@principalNameKeyResolver}", limiter.get("key-resolver"));
        // The defaults (circuit breaker, retry) are in every route, each route with its own breaker, as in the lab.
        for (Map<String, Object> r : routes) {
            String id = (String) r.get("id");
            List<Map<String, Object>> filters = (List<Map<String, Object>>) r.get("filters");
            assertThat(filters.stream().map(f -> f.get("name")).toList()).as(id).endsWith("CircuitBreaker", "Retry");
            assertEquals(id, at(filters.get(filters.size() - 2), "args", "name"));
            assertEquals(1, (Object) at(filters.get(filters.size() - 1), "args", "retries"));
            assertEquals(20, (Object) at(y, "resilience4j", "circuitbreaker", "instances", id, "slidingWindowSize"));
            assertEquals("5s", at(y, "resilience4j", "circuitbreaker", "instances", id, "waitDurationInOpenState"));
            assertEquals("1s", at(y, "resilience4j", "timelimiter", "instances", id, "timeoutDuration"));
        }
        assertThat((Object) at(y, "spring", "cloud", "gateway", "default-filters")).isNull();
    }
}
