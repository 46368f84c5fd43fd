package dev.flowlab.tier.nginx;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on real sockets: balancing, headers, keepalive, retries, passive health, 502/504/499. */
class NginxProxyTest {
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void useTestUpstream() {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
    }

    @AfterEach
    void restore() {
        upstream.openBodyGate();
    }

    static Scenario scenario(int tomcats, NginxConfig config) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(NodeSpec.of("nginx-1", NodeKind.NGINX).withConfig(config));
        links.add(LinkSpec.of("client", "nginx-1"));
        for (int i = 1; i <= tomcats; i++) {
            nodes.add(NodeSpec.of("tomcat-" + i, NodeKind.TOMCAT));
            links.add(LinkSpec.of("nginx-1", "tomcat-" + i));
        }
        return new Scenario(Scenario.FORMAT, "nginx test", null, nodes, links, null, null);
    }

    private HttpResponse<String> get(Lab lab, String path) throws Exception {
        return send(lab, HttpRequest.newBuilder(uri(lab, path)).GET().build());
    }

    private HttpResponse<String> send(Lab lab, HttpRequest req) throws Exception {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(Lab lab, String path) {
        InetSocketAddress a = lab.address("nginx-1");
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
    }

    @Test
    void defaultConfig_roundRobinsOverLinkedTomcats_withProxyHeaders() throws Exception {
        try (Lab lab = tier.lab(scenario(3, NginxConfig.EMPTY))) {
            lab.start();
            Map<String, Integer> servedBy = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = send(lab, HttpRequest.newBuilder(uri(lab, "/api/search?q=" + i))
                        .header("X-Lab-Trace", "trace-" + i).header("X-Forwarded-For", "10.1.2.3").build());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("hello from tomcat-");
                assertThat(r.headers().firstValue("Server")).hasValue("nginx/1.22.1"); // server_tokens on, nginx's default
                servedBy.merge(r.headers().firstValue("X-Served-By").orElseThrow(), 1, Integer::sum);
            }
            assertThat(servedBy).containsOnly(Map.entry("tomcat-1", 2), Map.entry("tomcat-2", 2), Map.entry("tomcat-3", 2));

            TestUpstream.Seen seen = upstream.seen("tomcat-1").get(0);
            assertThat(seen.headers().get("Host")).as("$proxy_host").isEqualTo("nginx-1");
            assertThat(seen.headers().get("X-Real-IP")).isEqualTo("127.0.0.1");
            assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("10.1.2.3, 127.0.0.1");
            assertThat(seen.headers().get("Via")).as("nginx adds no Via").isNull();
            assertThat(seen.headers().get("X-Lab-Trace")).startsWith("trace-");
            assertThat(seen.from().getAddress()).as("upstreams see nginx's own address").isEqualTo(lab.address("nginx-1").getAddress());
        }
    }

    @Test
    void upstreamKeepalive_reusesConnections() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY))) {
            lab.start();
            for (int i = 0; i < 40; i++) {
                assertThat(get(lab, "/api/item/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(upstream.seen("tomcat-1")).hasSize(20);
            // one connection per event loop at most, not one per request
            int loops = Runtime.getRuntime().availableProcessors();
            assertThat(upstream.accepted("tomcat-1")).isLessThanOrEqualTo(loops);
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            assertThat(nginx.idleUpstreamConnections().get("nginx-1")).isGreaterThan(0);
        }
    }

    @Test
    void upstreamKeepaliveTimeout_closesTheIdleCachedConnection_thenANewOneIsOpened() throws Exception {
        NginxConfig cfg = NginxConfig.EMPTY
                .withUpstreams(List.of(new NginxConfig.Upstream("pool", null, null, null, 8, Duration.ofMillis(300), 1000,
                        List.of(NginxConfig.Server.node("tomcat-1")))))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "pool")))
                .withProxyHttpVersion("1.1", List.of("Connection: \"\""));
        try (Lab lab = tier.lab(scenario(1, cfg))) {
            lab.start();
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            for (int i = 0; i < 10; i++) {
                assertThat(get(lab, "/api/item/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(upstream.accepted("tomcat-1")).as("one cached connection serves them all").isEqualTo(1);
            assertThat(nginx.idleUpstreamConnections().get("pool")).isEqualTo(1);
            await("keepalive_timeout closes the idle connection").atMost(Duration.ofSeconds(5)).until(
                    () -> nginx.idleUpstreamConnections().get("pool") == 0);
            assertThat(get(lab, "/api/item/again").statusCode()).isEqualTo(200);
            assertThat(upstream.accepted("tomcat-1")).isEqualTo(2);
        }
    }

    @Test
    void killedTomcat_getsAreRetriedOnTheNext_andServerMarkedDown() throws Exception {
        try (Lab lab = tier.lab(scenario(3, NginxConfig.EMPTY));
             EventBus.Subscription events = lab.events().subscribe(10_000)) {
            lab.start();
            lab.kill("tomcat-2").get();
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> r = get(lab, "/api/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Served-By")).isNotEqualTo(Optional.of("tomcat-2"));
            }
            List<LabEvent> seen = drain(events);
            assertThat(seen).anyMatch(e -> e.type() == EventType.SERVER_DOWN && "tomcat-2".equals(e.peer()));
            assertThat(seen).anyMatch(e -> e.type() == EventType.RETRY && e.fact() instanceof Fact.Retry r && r.condition().equals("error"));
            assertThat(seen.stream().filter(e -> e.type() == EventType.SERVER_DOWN).count()).as("max_fails=1: once, then skipped").isEqualTo(1);
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            assertThat(nginx.upstreamStatus().get("nginx-1")).anyMatch(p -> p.name().equals("tomcat-2") && !p.available());
        }
    }

    @Test
    void serverBackAfterFailTimeout_returnsToRotation() throws Exception {
        NginxConfig cfg = NginxConfig.EMPTY.withUpstreams(List.of(new NginxConfig.Upstream("tomcats", null, null, null, 8, null, null,
                List.of(NginxConfig.Server.node("tomcat-1").withMaxFails(1, Duration.ofMillis(300)),
                        NginxConfig.Server.node("tomcat-2").withMaxFails(1, Duration.ofMillis(300))))))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "tomcats")));
        try (Lab lab = tier.lab(scenario(2, cfg));
             EventBus.Subscription events = lab.events().subscribe(10_000)) {
            lab.start();
            lab.kill("tomcat-2").get();
            for (int i = 0; i < 4; i++) {
                assertThat(get(lab, "/x").statusCode()).isEqualTo(200);
            }
            lab.startNode("tomcat-2").get();
            await("tomcat-2 serves again after fail_timeout").atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    return "tomcat-2".equals(get(lab, "/y").headers().firstValue("X-Served-By").orElse(""));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            List<LabEvent> seen = drain(events);
            assertThat(seen).anyMatch(e -> e.type() == EventType.SERVER_UP && "tomcat-2".equals(e.peer()));
        }
    }

    @Test
    void postIsNotRetriedOnceSent_butGetIs() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.CLOSE);
            // rr starts at tomcat-1: it receives the request and closes without answering
            HttpResponse<String> post = send(lab, HttpRequest.newBuilder(uri(lab, "/api/order"))
                    .POST(HttpRequest.BodyPublishers.ofString("item=1")).build());
            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(upstream.seen("tomcat-1")).hasSize(1);
            assertThat(upstream.seen("tomcat-1").get(0).body()).isEqualTo("item=1");
            assertThat(upstream.seen("tomcat-2")).as("POST not sent to a second server").isEmpty();

            HttpResponse<String> getAfter = get(lab, "/api/item/1");
            assertThat(getAfter.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void getOnClosingUpstream_isRetried() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.CLOSE);
            HttpResponse<String> r = get(lab, "/api/item/1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-2");
            assertThat(upstream.seen("tomcat-1")).hasSize(1);
        }
    }

    @Test
    void nonIdempotent_allowsPostRetry() throws Exception {
        NginxConfig cfg = NginxConfig.EMPTY.withProxyNextUpstream(List.of("error", "timeout", "non_idempotent"), null, null);
        try (Lab lab = tier.lab(scenario(2, cfg))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.CLOSE);
            HttpResponse<String> post = send(lab, HttpRequest.newBuilder(uri(lab, "/api/order"))
                    .POST(HttpRequest.BodyPublishers.ofString("item=1")).build());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(upstream.seen("tomcat-2").get(0).body()).isEqualTo("item=1");
        }
    }

    @Test
    void allUpstreamsKilled_502() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY));
             EventBus.Subscription events = lab.events().subscribe(10_000)) {
            lab.start();
            lab.kill("tomcat-1").get();
            lab.kill("tomcat-2").get();
            HttpResponse<String> first = get(lab, "/api/x");
            assertThat(first.statusCode()).isEqualTo(502);
            assertThat(first.body()).contains("<center><h1>502 Bad Gateway</h1></center>").contains("<hr><center>nginx/1.22.1</center>");
            HttpResponse<String> second = get(lab, "/api/x");
            assertThat(second.statusCode()).isEqualTo(502);
            awaitEvent(events, "502 no live upstreams", e -> e.type() == EventType.ERROR && e.status() == 502 && e.detail().contains("no live upstreams"));
        }
    }

    @Test
    void hangingUpstream_504AfterReadTimeout() throws Exception {
        NginxConfig cfg = NginxConfig.EMPTY.withTimeouts(null, Duration.ofMillis(300), null);
        try (Lab lab = tier.lab(scenario(1, cfg))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.HANG);
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(lab, "/api/slow");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("504 Gateway Time-out");
            assertThat(tookMs).isGreaterThanOrEqualTo(290);
            assertThat(lab.metrics().node("nginx-1").errorsByCause()).containsKey("upstream_timeout");
        }
    }

    @Test
    void http500_passedThrough_unlessListed() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.FAIL_500);
            HttpResponse<String> r = get(lab, "/api/x");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        }
        NginxConfig cfg = NginxConfig.EMPTY.withProxyNextUpstream(List.of("error", "timeout", "http_500"), null, null);
        try (Lab lab = tier.lab(scenario(2, cfg))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.FAIL_500);
            HttpResponse<String> r = get(lab, "/api/x");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-2");
        }
    }

    @Test
    void clientGoneWhileWaiting_counts499() throws Exception {
        try (Lab lab = tier.lab(scenario(1, NginxConfig.EMPTY));
             EventBus.Subscription events = lab.events().subscribe(10_000)) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.HANG);
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.getOutputStream().write("GET /api/wait HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                await("request reached the upstream").atMost(Duration.ofSeconds(5)).until(() -> !upstream.seen("tomcat-1").isEmpty());
            }
            await("499 counted").atMost(Duration.ofSeconds(5)).until(
                    () -> lab.metrics().node("nginx-1").statusCounts().containsKey("499"));
            // The metric is counted a moment before the event is published: wait for the event too.
            awaitEvent(events, "499 event", e -> e.type() == EventType.ERROR && e.status() == 499);
        }
    }

    @Test
    void externalNode_asUpstream() throws Exception {
        // A second lab stands in for a real server outside this one.
        Scenario outside = new Scenario(Scenario.FORMAT, "outside", null, List.of(NodeSpec.of("real-1", NodeKind.TOMCAT)), List.of(), null, null);
        try (Lab other = tier.lab(outside)) {
            other.start();
            InetSocketAddress real = other.address("real-1");
            List<NodeSpec> nodes = List.of(NodeSpec.of("nginx-1", NodeKind.NGINX),
                    NodeSpec.of("backend", NodeKind.EXTERNAL).withConfig(new ExternalConfig(real.getAddress().getHostAddress() + ":" + real.getPort())));
            Scenario s = new Scenario(Scenario.FORMAT, "ext", null, nodes, List.of(LinkSpec.of("nginx-1", "backend")), null, null);
            try (Lab lab = tier.lab(s)) {
                lab.start();
                HttpResponse<String> r = get(lab, "/api/x");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello from real-1");
            }
        }
    }

    @Test
    void clientHeaderNamesNginxCallsInvalid_areIgnored_andTheRequestGoesAhead() throws Exception {
        try (Lab lab = tier.lab(scenario(1, NginxConfig.EMPTY))) {
            lab.start();
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                // ignore_invalid_headers on and underscores_in_headers off, nginx's defaults.
                out.write(("GET /a HTTP/1.1\r\nHost: x\r\nX_Token: secret\r\nX.Dot: b\r\nGood-Name-2: c\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(all).startsWith("HTTP/1.1 200 OK");
            }
            TestUpstream.Seen seen = upstream.seen("tomcat-1").get(0);
            assertThat(seen.headers().get("Good-Name-2")).isEqualTo("c");
            assertThat(seen.headers().contains("X_Token")).as("underscore: ignored").isFalse();
            assertThat(seen.headers().contains("X.Dot")).as("dot: ignored").isFalse();
        }
    }

    @Test
    void upstreamHeaderNameThatIsNotAToken_is502InvalidHeader() throws Exception {
        try (Lab lab = tier.lab(scenario(1, NginxConfig.EMPTY));
             EventBus.Subscription events = lab.events().subscribe(10_000)) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.BAD_HEADER_NAME);
            HttpResponse<String> r = get(lab, "/api/x");
            assertThat(r.statusCode()).isEqualTo(502);
            awaitEvent(events, "upstream sent invalid header", e -> e.detail() != null
                    && e.detail().contains("sent invalid header") && e.detail().contains("X(Bad)"));
        }
    }

    @Test
    void aResponseHeadIsPassedOnBeforeItsBodyArrives_andAWholeOneFollowsOnTheSameConnection() throws Exception {
        try (Lab lab = tier.lab(scenario(1, NginxConfig.EMPTY))) {
            lab.start();
            upstream.mode("tomcat-1", TestUpstream.Mode.HEAD_THEN_BODY);
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    assertThat(b).as("the head, before the body exists").isNotNegative();
                    head.append((char) b);
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 5", "X-Served-By: tomcat-1");
                upstream.openBodyGate();
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("later");

                // The same connection, a whole response at once: head and body arrive together.
                upstream.mode("tomcat-1", TestUpstream.Mode.OK);
                s.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(rest).startsWith("HTTP/1.1 200 OK").endsWith("hello from tomcat-1");
            }
        }
    }

    @Test
    void pipelinedRequests_answeredInOrder() throws Exception {
        try (Lab lab = tier.lab(scenario(2, NginxConfig.EMPTY))) {
            lab.start();
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(4);
            }
            assertThat(upstream.seen("tomcat-1").stream().map(TestUpstream.Seen::uri)).containsExactly("/a", "/c");
        }
    }

    /** Events are published around the response, not strictly before it: wait for the one expected. */
    static void awaitEvent(EventBus.Subscription s, String what, java.util.function.Predicate<LabEvent> match) {
        List<LabEvent> seen = new ArrayList<>();
        await(what).atMost(Duration.ofSeconds(5)).until(() -> {
            seen.addAll(drain(s));
            return seen.stream().anyMatch(match);
        });
    }

    static List<LabEvent> drain(EventBus.Subscription s) {
        List<LabEvent> out = new ArrayList<>();
        s.drain(out::add, Integer.MAX_VALUE);
        return out;
    }

    static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
