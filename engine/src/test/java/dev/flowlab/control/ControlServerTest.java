package dev.flowlab.control;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.testing.EchoTier;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestLabs tier;

    @BeforeEach
    void useEchoTier() {
        tier = TestLabs.with(NodeKind.GATEWAY, EchoTier::new);
    }


    private static Scenario scenario() {
        return new Scenario(Scenario.FORMAT, "control test", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("gw-1", NodeKind.GATEWAY)),
                List.of(LinkSpec.of("client", "gw-1")), null, null);
    }

    private HttpResponse<String> send(String method, String url) throws Exception {
        return send(method, url, null);
    }

    /** A request as a script sends it: GET as is, POST with the run's token (null: without). */
    private HttpResponse<String> send(String method, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        if (token != null) {
            b.header(ControlServer.tokenHeader(), token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void topologyMetricsEndpointsAndNodeActions() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                String base = "http://127.0.0.1:" + control.address().getPort();
                String token = control.token();
                assertThat(control.address().getAddress().isLoopbackAddress()).isTrue();

                HttpResponse<String> topoRes = send("GET", base + "/api/topology");
                assertThat(topoRes.headers().map().keySet()).noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
                JsonNode topo = JSON.readTree(topoRes.body());
                assertThat(topo.path("nodes")).hasSize(2);
                assertThat(topo.path("nodes").get(1).path("id").asText()).isEqualTo("gw-1");
                assertThat(topo.path("nodes").get(1).path("state").asText()).isEqualTo("running");
                assertThat(topo.path("links").get(0).path("to").asText()).isEqualTo("gw-1");

                JsonNode metrics = JSON.readTree(send("GET", base + "/api/metrics").body());
                assertThat(metrics.has("t_millis")).isTrue();
                assertThat(metrics.path("events").has("dropped")).isTrue();

                JsonNode endpoints = JSON.readTree(send("GET", base + "/api/endpoints").body());
                assertThat(endpoints.path("control").asText()).isEqualTo("127.0.0.1:" + control.address().getPort());
                assertThat(endpoints.has("control_token")).as("a reader of the API is not handed the token").isFalse();
                assertThat(endpoints.path("entry").path("http").asText()).isEqualTo(
                        lab.address("gw-1").getAddress().getHostAddress() + ":" + lab.address("gw-1").getPort());
                assertThat(endpoints.path("nodes").get(1).path("kind").asText()).isEqualTo("gateway");
                assertThat(control.endpoints().path("control_token").asText()).isEqualTo(token);

                HttpResponse<String> kill = send("POST", base + "/api/nodes/gw-1/kill", token);
                assertThat(kill.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(kill.body()).path("state").asText()).isEqualTo("killed");
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.KILLED);

                // A JSON body is accepted (the actions take their parameters from the query).
                HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base + "/api/nodes/gw-1/start"))
                        .header(ControlServer.tokenHeader(), token).header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(start.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(start.body()).path("state").asText()).isEqualTo("running");

                assertThat(send("POST", base + "/api/nodes/nope/kill", token).statusCode()).isEqualTo(404);
                HttpResponse<String> bad = send("POST", base + "/api/nodes/gw-1/explode", token);
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("unknown action");
                assertThat(send("GET", base + "/api/nodes/gw-1/kill").statusCode()).isEqualTo(405);
                assertThat(send("GET", base + "/nothing").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void keepalivedActions_killTheProcessOnly_andTheTopologyShowsTheVipLeftBehind() throws Exception {
        Scenario pair = new Scenario(Scenario.FORMAT, "control ha", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("gw-1", NodeKind.GATEWAY), NodeSpec.of("gw-2", NodeKind.GATEWAY)),
                List.of(LinkSpec.of("client", "gw-1")), null, null,
                List.of(new dev.flowlab.topology.HaGroup("gw-ha", null, 9, Duration.ofMillis(100), 3,
                        List.of(dev.flowlab.topology.HaMember.of("gw-1", 150), dev.flowlab.topology.HaMember.of("gw-2", 100)), null)));
        try (Lab lab = tier.lab(pair)) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                String base = "http://127.0.0.1:" + control.address().getPort();
                HttpResponse<String> kill = send("POST", base + "/api/nodes/gw-1/kill-keepalived", control.token());
                assertThat(kill.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(kill.body()).path("state").asText()).as("the node itself runs on").isEqualTo("running");

                JsonNode member = JSON.readTree(send("GET", base + "/api/topology").body()).path("ha_groups").get(0).path("members").get(0);
                assertThat(member.path("node").asText()).isEqualTo("gw-1");
                assertThat(member.path("keepalived").asText()).isEqualTo("stopped");
                assertThat(member.path("holds_vip").asBoolean()).isTrue();
                await("gw-2 takes over and the VIP is held twice").atMost(Duration.ofSeconds(10)).until(() -> {
                    try {
                        return JSON.readTree(send("GET", base + "/api/topology").body()).path("ha_groups").get(0)
                                .path("duplicate_vip").asBoolean();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                HttpResponse<String> notMember = send("POST", base + "/api/nodes/client/kill-keepalived", control.token());
                assertThat(notMember.statusCode()).isEqualTo(400);
                assertThat(send("POST", base + "/api/nodes/gw-1/start-keepalived", control.token()).statusCode()).isEqualTo(200);
                assertThat(dev.flowlab.ha.HighAvailability.of(lab).group("gw-ha").orElseThrow().duplicateVip()).isFalse();
            }
        }
    }

    @Test
    void theToken_is128RandomBitsInHex_newForEveryServer() {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer a = ControlServer.start(lab, 0); ControlServer b = ControlServer.start(lab, 0)) {
                assertThat(a.token()).matches("[0-9a-f]{32}");
                assertThat(b.token()).matches("[0-9a-f]{32}").isNotEqualTo(a.token());
            }
        }
    }

    @Test
    void aCrossSiteTextPlainKill_isRefused_andTheNodeKeepsRunning() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                InetSocketAddress api = control.address();
                String host = "127.0.0.1:" + api.getPort();

                // What a page at evil.example can send without a preflight: a "simple" text/plain POST.
                Raw fromPage = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nx=1");
                assertThat(fromPage.status()).isEqualTo(403);
                assertThat(fromPage.body()).contains("Origin 'http://evil.example'");
                assertThat(fromPage.closed()).isTrue();

                // The same without an Origin (an old browser, or a form): it lacks the token.
                Raw noToken = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nx=1");
                assertThat(noToken.status()).isEqualTo(403);
                assertThat(noToken.body()).contains("X-Flowlab-Token");

                Raw wrongToken = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nX-Flowlab-Token: " + "0".repeat(32) + "\r\nContent-Length: 0\r\n\r\n");
                assertThat(wrongToken.status()).isEqualTo(403);

                // Even with the token: a page elsewhere is refused, and a body must be JSON.
                Raw tokenFromPage = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nOrigin: http://evil.example\r\nX-Flowlab-Token: " + control.token() + "\r\nContent-Length: 0\r\n\r\n");
                assertThat(tokenFromPage.status()).isEqualTo(403);
                Raw textBody = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nX-Flowlab-Token: " + control.token() + "\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nx=1");
                assertThat(textBody.status()).isEqualTo(415);
                assertThat(textBody.body()).contains("application/json");

                // A refused request is answered without running the action (an action is answered
                // only once done), so the node is running now and later.
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.RUNNING);
                assertThat(JSON.readTree(send("GET", "http://" + host + "/api/topology").body())
                        .path("nodes").get(1).path("state").asText()).isEqualTo("running");

                // The API's own origin, with the token, still may.
                Raw own = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nOrigin: http://" + host + "\r\nSec-Fetch-Site: same-origin\r\nX-Flowlab-Token: " + control.token()
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                assertThat(own.status()).isEqualTo(200);
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.KILLED);
            }
        }
    }

    @Test
    void aForeignHost_isMisdirected_soARebindingPageReadsNothing() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                InetSocketAddress api = control.address();
                int port = api.getPort();
                for (String path : List.of("/api/topology", "/api/metrics", "/api/endpoints")) {
                    for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1:" + (port == 65535 ? 1 : port + 1),
                            "127.0.0.1", "127.0.0.2:" + port)) {
                        Raw r = Raw.exchange(api, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                        assertThat(r.status()).as("GET %s, Host %s", path, host).isEqualTo(421);
                        assertThat(r.body()).contains("is not this control API").doesNotContain("gw-1").doesNotContain("t_millis");
                        assertThat(r.closed()).isTrue();
                    }
                }
                Raw noHost = Raw.exchange(api, "GET /api/topology HTTP/1.1\r\n\r\n");
                assertThat(noHost.status()).isEqualTo(400);
                assertThat(noHost.body()).contains("missing Host").doesNotContain("gw-1");
                Raw twoHosts = Raw.exchange(api, "GET /api/topology HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nHost: evil.example\r\n\r\n");
                assertThat(twoHosts.status()).isEqualTo(400);

                for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port)) {
                    Raw ok = Raw.exchange(api, "GET /api/topology HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                    assertThat(ok.status()).as("Host %s", host).isEqualTo(200);
                    assertThat(ok.body()).contains("gw-1");
                }
                Raw http10 = Raw.exchange(api, "GET /api/metrics HTTP/1.0\r\n\r\n");
                assertThat(http10.status()).as("HTTP/1.0 has no Host to check").isEqualTo(200);
            }
        }
    }

    @Test
    void secFetchSite_crossSiteOrSameSite_isRefused() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                InetSocketAddress api = control.address();
                String host = "127.0.0.1:" + api.getPort();
                for (String site : List.of("cross-site", "same-site", "Cross-Site")) {
                    Raw r = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host + "\r\nSec-Fetch-Site: " + site
                            + "\r\nX-Flowlab-Token: " + control.token() + "\r\nContent-Length: 0\r\n\r\n");
                    assertThat(r.status()).as(site).isEqualTo(403);
                    assertThat(r.body()).contains("Sec-Fetch-Site");
                }
                Raw read = Raw.exchange(api, "GET /api/topology HTTP/1.1\r\nHost: " + host + "\r\nSec-Fetch-Site: cross-site\r\n\r\n");
                assertThat(read.status()).isEqualTo(403);
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.RUNNING);

                // A URL typed into the browser's address bar: Sec-Fetch-Site: none.
                Raw typed = Raw.exchange(api, "GET /api/topology HTTP/1.1\r\nHost: " + host
                        + "\r\nSec-Fetch-Site: none\r\nConnection: close\r\n\r\n");
                assertThat(typed.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aPreflight_isNeverGranted() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                InetSocketAddress api = control.address();
                String host = "127.0.0.1:" + api.getPort();
                Raw preflight = Raw.exchange(api, "OPTIONS /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                        + "Access-Control-Request-Headers: x-flowlab-token\r\n\r\n");
                assertThat(preflight.status()).isGreaterThanOrEqualTo(400);
                assertThat(preflight.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
                Raw own = Raw.exchange(api, "OPTIONS /api/nodes/gw-1/kill HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n");
                assertThat(own.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
                assertThat(lab.state("gw-1")).isEqualTo(NodeState.RUNNING);
            }
        }
    }

    @Test
    void aRequestThatFailedToDecode_isAnswered400_andNeverExecuted() throws Exception {
        try (Lab lab = tier.lab(scenario())) {
            lab.start();
            try (ControlServer control = ControlServer.start(lab, 0)) {
                InetSocketAddress api = control.address();
                String host = "127.0.0.1:" + api.getPort();
                String headers = "Host: " + host + "\r\nX-Flowlab-Token: " + control.token() + "\r\n";
                // The request line parses (POST, the kill path); a header does not: Netty still hands
                // on a request with that method and URI, marked as failed.
                Raw badLength = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\n" + headers + "Content-Length: banana\r\n\r\n");
                assertThat(badLength.status()).isEqualTo(400);
                assertThat(badLength.body()).contains("malformed request");
                assertThat(badLength.closed()).isTrue();
                Raw badVersion = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/9.Z\r\n" + headers + "Content-Length: 0\r\n\r\n");
                assertThat(badVersion.status()).isEqualTo(400);
                assertThat(badVersion.body()).contains("malformed request");
                assertThat(badVersion.closed()).isTrue();
                Raw badHeader = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\n" + headers + "Bad Header\u0001: x\r\n"
                        + "Content-Length: 0\r\n\r\n");
                assertThat(badHeader.status()).isEqualTo(400);
                assertThat(badHeader.body()).contains("malformed request");
                assertThat(badHeader.closed()).isTrue();
                // A well-formed request pipelined behind a broken one is not read either.
                Raw pipelined = Raw.exchange(api, "POST /api/nodes/gw-1/kill HTTP/1.1\r\n" + headers + "Content-Length: -1\r\n\r\n"
                        + "POST /api/nodes/gw-1/kill HTTP/1.1\r\n" + headers + "Content-Length: 0\r\n\r\n");
                assertThat(pipelined.status()).isEqualTo(400);
                assertThat(pipelined.body()).contains("malformed request");
                assertThat(pipelined.closed()).isTrue();

                assertThat(lab.state("gw-1")).isEqualTo(NodeState.RUNNING);
                HttpResponse<String> topo = send("GET", "http://" + host + "/api/topology");
                assertThat(JSON.readTree(topo.body()).path("nodes").get(1).path("state").asText()).isEqualTo("running");
                // And the server still serves the next connection.
                assertThat(send("POST", "http://" + host + "/api/nodes/gw-1/kill", control.token()).statusCode()).isEqualTo(200);
                await("gw-1 killed").atMost(Duration.ofSeconds(5)).until(() -> lab.state("gw-1") == NodeState.KILLED);
            }
        }
    }

    /**
     * One response read off a raw socket (body by Content-Length), and whether the server closed
     * the connection after it.
     */
    private record Raw(int status, Map<String, String> headers, String body, boolean closed) {
        static Raw exchange(InetSocketAddress address, String request) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(address, 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                String statusLine = line(in);
                assertThat(statusLine).as("a response to %s", request).isNotNull();
                Map<String, String> headers = new LinkedHashMap<>();
                String l;
                while ((l = line(in)) != null && !l.isEmpty()) {
                    int colon = l.indexOf(':');
                    headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                // Closed: the response says so and the server does close (a server that kept the
                // connection open would time the read out and fail the test).
                boolean closed = "close".equalsIgnoreCase(headers.get("connection")) && endOfStream(in);
                return new Raw(Integer.parseInt(statusLine.split(" ")[1]), headers, body, closed);
            }
        }

        private static boolean endOfStream(InputStream in) throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    b.write(c);
                }
            }
            return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
