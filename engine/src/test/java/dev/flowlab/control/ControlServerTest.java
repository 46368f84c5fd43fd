package dev.flowlab.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.testing.EchoTier;
import dev.flowlab.testing.TierOverride;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TierOverride tier;

    @BeforeEach
    void useEchoTier() {
        tier = TierOverride.install(NodeKind.GATEWAY, EchoTier::new);
    }

    @AfterEach
    void restoreTier() {
        tier.close();
    }

    private static Scenario scenario() {
        return new Scenario(Scenario.FORMAT, "control test", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("gw-1", NodeKind.GATEWAY)),
                List.of(LinkSpec.of("client", "gw-1")), null, null);
    }

    private HttpResponse<String> send(String method, String url) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void topologyMetricsEndpointsAndNodeActions() throws Exception {
        try (Lab lab = new Lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                String base = "http://127.0.0.1:" + control.address().getPort();
                assertThat(control.address().getAddress().isLoopbackAddress()).isTrue();

                JsonNode topo = JSON.readTree(send("GET", base + "/api/topology").body());
                assertThat(topo.path("nodes")).hasSize(2);
                assertThat(topo.path("nodes").get(1).path("id").asText()).isEqualTo("gw-1");
                assertThat(topo.path("nodes").get(1).path("state").asText()).isEqualTo("running");
                assertThat(topo.path("links").get(0).path("to").asText()).isEqualTo("gw-1");

                JsonNode metrics = JSON.readTree(send("GET", base + "/api/metrics").body());
                assertThat(metrics.has("t_millis")).isTrue();
                assertThat(metrics.path("events").has("dropped")).isTrue();

                JsonNode endpoints = JSON.readTree(send("GET", base + "/api/endpoints").body());
                assertThat(endpoints.path("control").asText()).isEqualTo("127.0.0.1:" + control.address().getPort());
                assertThat(endpoints.path("entry").path("http").asText()).isEqualTo(
                        lab.address("gw-1").getAddress().getHostAddress() + ":" + lab.address("gw-1").getPort());
                assertThat(endpoints.path("nodes").get(1).path("kind").asText()).isEqualTo("gateway");

                HttpResponse<String> kill = send("POST", base + "/api/nodes/gw-1/kill");
                assertThat(kill.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(kill.body()).path("state").asText()).isEqualTo("killed");
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.KILLED);

                HttpResponse<String> start = send("POST", base + "/api/nodes/gw-1/start");
                assertThat(JSON.readTree(start.body()).path("state").asText()).isEqualTo("running");

                assertThat(send("POST", base + "/api/nodes/nope/kill").statusCode()).isEqualTo(404);
                HttpResponse<String> bad = send("POST", base + "/api/nodes/gw-1/explode");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("unknown action");
                assertThat(send("GET", base + "/api/nodes/gw-1/kill").statusCode()).isEqualTo(405);
                assertThat(send("GET", base + "/nothing").statusCode()).isEqualTo(404);
            }
        }
    }
}
