package dev.flowlab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.gateway.GatewayServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway scenarios build the routes and filter chains they describe, and answer as their descriptions say. */
class GatewayScenariosTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(Lab lab, String path, String... headers) throws Exception {
        InetSocketAddress a = lab.address("nginx-1");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void gateway03_routesAndChains() throws Exception {
        try (Lab lab = new Lab(ScenarioLibrary.load("03-gateway"))) {
            Map<String, List<String>> chains = ((GatewayServer) lab.node("gateway-1").orElseThrow()).filterChains();
            assertThat(chains.keySet()).containsExactly("cart", "account", "api", "web");
            assertThat(chains.get("cart")).containsSubsequence("risk_control", "auth", "rate_limit", "circuit_breaker",
                    "protocol_conversion", "load_balancer");
            assertThat(chains.get("web")).doesNotContain("auth", "rate_limit");
        }
    }

    @Test
    void gateway03_curlThroughNginx_401Then200WithThePrincipal_403ForAScanner() throws Exception {
        try (Lab lab = new Lab(ScenarioLibrary.load("03-gateway"))) {
            lab.start();
            assertThat(get(lab, "/api/me").statusCode()).isEqualTo(401);
            assertThat(get(lab, "/api/me", "Authorization", "Bearer alice-token").body()).startsWith("{\"principal\":\"alice\"");
            HttpResponse<String> cart = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + lab.address("nginx-1").getAddress().getHostAddress()
                    + ":" + lab.address("nginx-1").getPort() + "/api/cart")).POST(HttpRequest.BodyPublishers.ofString("{\"item\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cart.statusCode()).isEqualTo(401);
            assertThat(cart.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gateway\"");
            assertThat(get(lab, "/api/search?q=tea", "User-Agent", "sqlmap/1.7").statusCode()).isEqualTo(403);
            HttpResponse<String> item = get(lab, "/api/item/3");
            assertThat(item.statusCode()).isEqualTo(200);
            assertThat(item.headers().firstValue("x-served-by").orElseThrow()).startsWith("tomcat-");
            assertThat(item.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue("2000");
        }
    }

    @Test
    void internalBypass05_apiGoesThroughTheGateway_internalDoesNot() throws Exception {
        try (Lab lab = new Lab(ScenarioLibrary.load("05-internal-bypass"))) {
            lab.start();
            GatewayServer gw = (GatewayServer) lab.node("gateway-1").orElseThrow();
            assertThat(gw.routeIds()).containsExactly("gateway-1");
            assertThat(get(lab, "/api/item/5").statusCode()).isEqualTo(200);
            long viaGateway = lab.metrics().node("gateway-1").requests();
            get(lab, "/internal/health");
            assertThat(lab.metrics().node("gateway-1").requests()).isEqualTo(viaGateway);
        }
    }
}
