package dev.flowlab.scenarios;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.gateway.GatewayServer;
import dev.flowlab.net.rpc.RpcFrameCapture;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceCollector;
import dev.flowlab.trace.TraceHop;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        try (Lab lab = Stack.lab(ScenarioLibrary.load("03-gateway"))) {
            Map<String, List<String>> chains = ((GatewayServer) lab.node("gateway-1").orElseThrow()).filterChains();
            assertThat(chains.keySet()).containsExactly("cart", "account", "api", "web");
            assertThat(chains.get("cart")).containsSubsequence("risk_control", "auth", "rate_limit", "circuit_breaker",
                    "protocol_conversion", "load_balancer");
            assertThat(chains.get("web")).doesNotContain("auth", "rate_limit");
        }
    }

    @Test
    void gateway03_curlThroughNginx_401Then200WithThePrincipal_403ForAScanner() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("03-gateway"))) {
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
        try (Lab lab = Stack.lab(ScenarioLibrary.load("05-internal-bypass"))) {
            lab.start();
            GatewayServer gw = (GatewayServer) lab.node("gateway-1").orElseThrow();
            assertThat(gw.routeIds()).containsExactly("gateway-1");
            assertThat(get(lab, "/api/item/5").statusCode()).isEqualTo(200);
            long viaGateway = lab.metrics().node("gateway-1").requests();
            get(lab, "/internal/health");
            assertThat(lab.metrics().node("gateway-1").requests()).isEqualTo(viaGateway);
        }
    }

    @Test
    void gateway03_traceNext_showsTheRpcFrameOnTheTomcatHop_asTheGatewaySentIt() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("03-gateway"))) {
            lab.start();
            try (TraceCollector collector = new TraceCollector(lab);
                 ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                // Static files end at nginx and some calls are refused by a filter: follow requests until one reaches a Tomcat.
                Trace trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                for (int i = 0; i < 30 && tomcatHop(trace) == null; i++) {
                    trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                }
                TraceHop tomcat = tomcatHop(trace);
                assertThat(tomcat).as("a traced request reached a Tomcat: %s", trace.hops()).isNotNull();
                TraceHop gateway = trace.hop("gateway-1");

                RpcFrameCapture call = tomcat.frame("request received");
                assertThat(call).as("the RPC call on the Tomcat hop").isNotNull();
                assertThat(call.isRequest()).isTrue();
                assertThat(call.traceId()).isEqualTo(trace.traceId());
                assertThat(call.requestId()).isPositive();
                assertThat(call.method()).isIn("GET", "POST");
                assertThat(call.path()).startsWith("/api/");
                // nginx's headers became the call's attachments; hop-by-hop ones did not.
                assertThat(call.attachments()).containsKey("x-real-ip").doesNotContainKey("connection");
                byte[] head = call.head();
                assertThat(head.length).isEqualTo(Math.min(call.frameBytes(), RpcFrameCapture.MAX_HEAD_BYTES));
                assertThat(head[0] & 0xFF).isEqualTo(0xF1);
                assertThat(head[1] & 0xFF).isEqualTo(0x0B);
                assertThat(head[3]).as("type: request").isEqualTo((byte) 1);
                long lengthField = ((head[4] & 0xFFL) << 24) | ((head[5] & 0xFF) << 16) | ((head[6] & 0xFF) << 8) | (head[7] & 0xFF);
                assertThat(lengthField).isEqualTo(call.frameBytes() - 8);

                RpcFrameCapture reply = tomcat.frame("response sent");
                assertThat(reply).isNotNull();
                assertThat(reply.isRequest()).isFalse();
                assertThat(reply.requestId()).isEqualTo(call.requestId());
                assertThat(reply.status()).isEqualTo(tomcat.status());
                assertThat(reply.attachments()).containsEntry("x-served-by", tomcat.node());

                // The gateway's side of the same connection: the bytes it wrote are the bytes Tomcat read.
                RpcFrameCapture sent = gateway.frame("request sent");
                assertThat(sent).isNotNull();
                assertThat(sent.head()).isEqualTo(head);
                assertThat(swap(sent.connection())).isEqualTo(call.connection());
                assertThat(tomcat.connection()).isEqualTo(call.connection());
                assertThat(gateway.frame("response received").head()).isEqualTo(reply.head());
                // ...and the HTTP request it converted, as it arrived from nginx.
                assertThat(gateway.capture("request received").text()).containsIgnoringCase("x-lab-trace: " + trace.traceId());
                assertThat(gateway.capture("response sent")).isNotNull();
            }
        }
    }

    private static TraceHop tomcatHop(Trace trace) {
        return trace.hops().stream().filter(h -> h.node().startsWith("tomcat-")).findFirst().orElse(null);
    }

    private static String swap(String connection) {
        int i = connection.indexOf(" -> ");
        return connection.substring(i + 4) + " -> " + connection.substring(0, i);
    }
}
