package dev.flowlab.tier.gateway;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.LabRun;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every Tomcat killed under load: the breaker opens, fails fast, half-opens after its wait, closes when they are back. */
class GatewayCircuitBreakerTest {
    /** A short demo breaker: window 10, 5 calls minimum, 1 s open, 3 trial calls; passive health retries a server after 500 ms. */
    private static GatewayConfig config() {
        GatewayConfig.Filters f = GatewayConfig.Filters.NONE
                .withCircuitBreaker(new GatewayConfig.CircuitBreaker(null, 10, 5, Duration.ofSeconds(1), 3, Duration.ofSeconds(1), null));
        return new GatewayConfig(List.of(new GatewayConfig.Route("api", "/", null, null, 1, Duration.ofMillis(500), f)),
                null, null, null, null, null, null, null);
    }

    /** Sends one request per poll: the breaker only changes state when calls go through it. */
    private static String stateAfterARequest(GatewayLab g, List<Integer> statuses) {
        try {
            HttpResponse<String> r = g.get("/api/item/1");
            statuses.add(r.statusCode());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return g.gateway().circuitStates().get("api");
    }

    @Test
    void allTomcatsKilled_opensFailsFast_halfOpens_andClosesWhenBack() throws Exception {
        LabClock.Manual clock = LabClock.manual();
        try (GatewayLab g = new GatewayLab(config(), 2, clock)) {
            List<Integer> statuses = new ArrayList<>();
            assertThat(stateAfterARequest(g, statuses)).isEqualTo("CLOSED");
            assertThat(statuses).containsExactly(200);

            g.lab.kill("tomcat-1").join();
            g.lab.kill("tomcat-2").join();
            await("the breaker opens").atMost(Duration.ofSeconds(10)).until(() -> stateAfterARequest(g, statuses), "OPEN"::equals);
            HttpResponse<String> fast = g.get("/api/item/1");
            assertThat(fast.statusCode()).isEqualTo(503);
            assertThat(fast.body()).contains("\"filter\":\"circuit_breaker\"").contains("is OPEN and does not permit further calls");

            assertThat(stateAfterARequest(g, statuses)).as("the clock has not moved: still open").isEqualTo("OPEN");

            clock.advance(Duration.ofMillis(1001));
            assertThat(stateAfterARequest(g, statuses)).as("waitDurationInOpenState passed: a trial call").isEqualTo("HALF_OPEN");
            await("trial calls fail: open again").atMost(Duration.ofSeconds(10)).until(() -> stateAfterARequest(g, statuses),
                    "OPEN"::equals);

            g.lab.startNode("tomcat-1").join();
            g.lab.startNode("tomcat-2").join();
            // past the breaker's wait and the route's fail timeout (500 ms): trial calls reach the Tomcats again
            clock.advance(Duration.ofMillis(1001));
            await("the breaker closes").atMost(Duration.ofSeconds(15)).until(() -> stateAfterARequest(g, statuses), "CLOSED"::equals);
            assertThat(g.get("/api/item/1").statusCode()).isEqualTo(200);
            assertThat(statuses).contains(200, 503);
        }
    }

    @Test
    void labRunReport_showsTheBreakersPhasesWithTimes() throws Exception {
        List<NodeSpec> nodes = List.of(NodeSpec.of("client", NodeKind.CLIENT),
                new NodeSpec("gateway-1", NodeKind.GATEWAY, null, null, null, config()),
                NodeSpec.of("tomcat-1", NodeKind.TOMCAT), NodeSpec.of("tomcat-2", NodeKind.TOMCAT));
        List<LinkSpec> links = List.of(LinkSpec.of("client", "gateway-1"), LinkSpec.of("gateway-1", "tomcat-1"),
                LinkSpec.of("gateway-1", "tomcat-2"));
        Scenario s = new Scenario(Scenario.FORMAT, "breaker run", null, nodes, links,
                new Traffic("open", 100.0, null, Duration.ofSeconds(6), null), null);
        List<ScriptStep> steps = List.of(
                new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-1", Map.of()),
                new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-2", Map.of()),
                new ScriptStep(Duration.ofMillis(3500), "start", "tomcat-1", Map.of()),
                new ScriptStep(Duration.ofMillis(3500), "start", "tomcat-2", Map.of()));
        LabWatch watch = new LabWatch();
        LabClock.Manual clock = LabClock.manual();
        RunReport report = new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> LabRun.execute(
                TestLabs.product().and(watch).parts(), LabOptions.defaults().withClock(clock), s,
                new RunOptions(null, null, null, steps, null)), Duration.ofSeconds(30));
        List<String> phases = report.events().stream().filter(e -> e.type().equals("circuit_state"))
                .map(e -> e.fact().get("from") + " -> " + e.fact().get("to")).toList();
        assertThat(phases).startsWith("CLOSED -> OPEN", "OPEN -> HALF_OPEN").endsWith("HALF_OPEN -> CLOSED");
        RunReport.Event opened = report.events().stream().filter(e -> e.fact() != null && "CircuitChange".equals(e.fact().get("kind"))
                        && "OPEN".equals(e.fact().get("to")))
                .findFirst().orElseThrow();
        assertThat(opened.tMs()).as("opens after the kill, within the 5 calls it needs at 100 req/s").isBetween(1000L, 1100L);
        assertThat(report.status()).containsKey("503");
        assertThat(report.toJson()).contains("\"type\" : \"circuit_state\"");
    }
}
