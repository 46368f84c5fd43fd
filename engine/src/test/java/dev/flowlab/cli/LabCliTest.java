package dev.flowlab.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import picocli.CommandLine;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `lab` commands end to end: real files, real servers, real HTTP. */
class LabCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int lab(String... args) {
        return LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** {@code lab} on a manual clock, driven 1 ms at a time whenever the lab has settled (see {@link LabWatch}). */
    private int clockedLab(String... args) {
        LabWatch watch = new LabWatch();
        LabClock.Manual clock = LabClock.manual();
        CommandLine cl = LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                TestLabs.product().and(watch).parts(), LabOptions.defaults().withClock(clock));
        return new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> cl.execute(args), Duration.ofSeconds(30));
    }

    private Path singleTomcat() throws Exception {
        Scenario s = new Scenario(Scenario.FORMAT, "single tomcat", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null);
        Path file = dir.resolve("single.json");
        ScenarioIO.write(file, s);
        return file;
    }

    @Test
    void validate_brokenFile_exitsWith2_andNamesFileLineColumn() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, """
                {
                  "format": 1,
                  "nodes": [
                    {"id": "tomcat-1", "kind": "tomcat",
                     "config": {"maxThread": 2}}
                  ]
                }
                """);
        assertThat(lab("validate", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("broken.json:5:").contains("maxThread");
    }

    @Test
    void trace_search_printsEveryHopsWhy_andWritesTheReport() throws Exception {
        Path report = dir.resolve("trace.json");
        assertThat(lab("trace", singleTomcat().toString(), "--search", "phone", "--report", report.toString()))
                .as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("Search \"phone\": http://www.taobao.lab/search?q=phone",
                "GET /search?q=phone -> 200 text/html", "rendered by tomcat-1",
                "tomcat-1: a worker took it after", "(modelled: ", "GET /static/css/shop.css -> ");
        JsonNode json = JSON.readTree(report.toFile());
        JsonNode page = json.get("visits").get(0).get("requests").get(0);
        assertThat(page.get("status").asInt()).isEqualTo(200);
        assertThat(page.get("traceId").asText()).startsWith("visit-");
        assertThat(page.get("hops").findValuesAsText("node")).contains("client", "tomcat-1");
        assertThat(json.get("visits").get(0).get("requests").size()).isEqualTo(4);
    }

    @Test
    void trace_badInput_exitsWith2_andSaysWhy() throws Exception {
        String file = singleTomcat().toString();
        assertThat(lab("trace", file)).isEqualTo(2);
        assertThat(err.toString()).contains("--search");
        assertThat(lab("trace", file, "--search", "  ")).isEqualTo(2);
        assertThat(err.toString()).contains("lab trace: --search needs a keyword");
        assertThat(lab("trace", file, "--search", "phone", "--kill", "tomcat-9")).isEqualTo(2);
        assertThat(err.toString()).contains("--kill names node 'tomcat-9', which is not in the scenario");
        assertThat(lab("trace", dir.resolve("missing.json").toString(), "--search", "phone")).isEqualTo(2);
        assertThat(lab("trace", file, "--search", "phone", "--visits", "0")).isEqualTo(2);
    }

    @Test
    void validate_goodFile_exitsWith0() throws Exception {
        assertThat(lab("validate", singleTomcat().toString())).isZero();
        assertThat(out.toString()).contains("ok (2 nodes, 1 links)");
    }

    @Test
    void validate_aProxyCacheOnARootLocation_warnsNamingNodeAndLocation_andExitsWith0() throws Exception {
        dev.flowlab.topology.NginxConfig cfg = dev.flowlab.topology.NginxConfig.EMPTY.withLocations(List.of(
                dev.flowlab.topology.NginxConfig.Location.files("/static/", "", dev.flowlab.topology.NginxConfig.Cache.DEFAULT),
                dev.flowlab.topology.NginxConfig.Location.proxy("/", "tomcat-1")));
        Scenario s = new Scenario(Scenario.FORMAT, "root with cache", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), new NodeSpec("nginx-1", NodeKind.NGINX, null, null, null, cfg),
                        NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "nginx-1"), LinkSpec.of("nginx-1", "tomcat-1")), null, null);
        Path file = dir.resolve("root-cache.json");
        ScenarioIO.write(file, s);

        assertThat(lab("validate", file.toString())).isZero();
        assertThat(out.toString()).contains("ok (3 nodes, 2 links, 1 warning)");
        assertThat(err.toString()).contains("nginx-1").contains("location /static/ of nginx-1: proxy_cache has no effect without "
                + "proxy_pass: files from disk are not cached by nginx; the OS page cache keeps them in memory");
    }

    @Test
    void validate_anEngineNginxNode_withoutAnNginxBinary_warnsNamingTheNode() throws Exception {
        Path file = dir.resolve("engine.json");
        dev.flowlab.scenario.ScenarioIO.write(file, dev.flowlab.tier.nginx.RealNginxEngineTest.scenario("nginx"));
        String before = System.getProperty(dev.flowlab.export.NginxBinary.PROPERTY);
        System.setProperty(dev.flowlab.export.NginxBinary.PROPERTY, "/nonexistent/nginx");
        try {
            assertThat(lab("validate", file.toString())).isZero();
        } finally {
            if (before == null) {
                System.clearProperty(dev.flowlab.export.NginxBinary.PROPERTY);
            } else {
                System.setProperty(dev.flowlab.export.NginxBinary.PROPERTY, before);
            }
        }
        assertThat(out.toString()).contains("ok (4 nodes, 3 links, 1 warning)");
        assertThat(err.toString()).contains("engine.json").contains("node nginx-1: engine \"nginx\" needs the nginx binary")
                .contains("/nonexistent/nginx");
    }

    @Test
    void serve_writesEndpoints_andTheTomcatAnswersARealClient_thenStopsCleanly() throws Exception {
        Path endpoints = dir.resolve("e.json");
        Path scenario = singleTomcat();
        AtomicInteger status = new AtomicInteger(-1);
        Thread serve = new Thread(() -> status.set(lab("serve", scenario.toString(), "--endpoints", endpoints.toString())));
        serve.start();
        try {
            await("endpoints file").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(endpoints));
            JsonNode e = JSON.readTree(endpoints.toFile());
            assertThat(e.path("control").asText()).startsWith("127.0.0.1:");
            JsonNode tomcat = e.path("nodes").get(1);
            assertThat(tomcat.path("id").asText()).isEqualTo("tomcat-1");
            assertThat(tomcat.path("kind").asText()).isEqualTo("tomcat");
            assertThat(tomcat.path("state").asText()).isEqualTo("running");
            assertThat(e.path("entry").path("http").asText()).isEqualTo(tomcat.path("address").asText());

            HttpResponse<String> res = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + tomcat.path("address").asText() + "/api/item/42")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("X-Served-By")).contains("tomcat-1");
            assertThat(res.headers().firstValue("Content-Type").orElse("")).contains("application/json");
            assertThat(JSON.readTree(res.body()).isObject()).isTrue();

            // The control API: a script reads address and token from the endpoints file (its
            // owner's only), prints show the token too; a POST without the token is refused.
            String token = e.path("control_token").asText();
            assertThat(token).matches("[0-9a-f]{32}");
            assertThat(out.toString()).contains("X-Flowlab-Token: " + token);
            if (Files.getFileStore(endpoints).supportsFileAttributeView("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoints))).isEqualTo("rw-------");
            }
            URI kill = URI.create("http://" + e.path("control").asText() + "/api/nodes/tomcat-1/kill");
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(kill).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            HttpResponse<String> killed = http.send(HttpRequest.newBuilder(kill).header("X-Flowlab-Token", token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(killed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(killed.body()).path("state").asText()).isEqualTo("killed");
        } finally {
            serve.interrupt();
            serve.join(20_000);
        }
        assertThat(status.get()).isZero();
        await("no lab thread left after serve").atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith(Lab.THREAD_PREFIX)));
    }

    @Test
    void run_writesTheReportContract() throws Exception {
        Path report = dir.resolve("r.json");
        assertThat(clockedLab("run", singleTomcat().toString(), "--duration", "2s", "--rps", "200", "--report", report.toString(), "-q")).isZero();
        JsonNode r = JSON.readTree(report.toFile());
        for (String field : List.of("requests", "ok", "failed", "status", "errors", "latency_ms", "served_by", "events")) {
            assertThat(r.has(field)).as(field).isTrue();
        }
        assertThat(r.path("requests").asLong()).as("one every 5 ms of the clock").isEqualTo(400);
        assertThat(r.path("failed").asLong()).isZero();
        assertThat(r.path("served_by").path("tomcat-1").asLong()).isEqualTo(r.path("ok").asLong());
        // on the manual clock an answer that comes before the clock moves took 0 ms
        assertThat(r.path("latency_ms").has("p99")).isTrue();
        assertThat(r.path("latency_ms").path("p99").asDouble()).isNotNegative();
        assertThat(out.toString()).contains("p99");
    }

    @Test
    void run_withAKill_reportsTheKillAndTheErrorsAfterIt() throws Exception {
        Path report = dir.resolve("r.json");
        assertThat(clockedLab("run", singleTomcat().toString(), "--duration", "3s", "--rps", "200",
                "--kill", "tomcat-1@1s", "--report", report.toString(), "-q")).isZero();
        JsonNode r = JSON.readTree(report.toFile());
        JsonNode killed = null;
        for (JsonNode ev : r.path("events")) {
            if (ev.path("type").asText().equals("node_killed") && ev.path("node").asText().equals("tomcat-1")) {
                killed = ev;
            }
        }
        assertThat(killed).as("node_killed event in %s", r.path("events")).isNotNull();
        assertThat(killed.path("t_ms").asLong()).as("at 1 s of the lab's clock").isEqualTo(1000L);
        assertThat(r.path("failed").asLong()).isPositive();
        assertThat(r.path("errors").fieldNames()).toIterable().isNotEmpty();
    }

    @Test
    void run_badFaultSpec_orUnknownNode_isBadInput() throws Exception {
        Path s = singleTomcat();
        assertThat(lab("run", s.toString(), "--kill", "tomcat-1")).isEqualTo(2);
        assertThat(err.toString()).contains("NODE@TIME");
        assertThat(lab("run", s.toString(), "--kill", "tomcat-9@1s")).isEqualTo(2);
        assertThat(err.toString()).contains("tomcat-9");
        assertThat(lab("run", s.toString(), "--kill-keepalived", "tomcat-1@1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--kill-keepalived names node 'tomcat-1', which is not a member of an HA group");
    }

    @Test
    void serve_unknownScenario_isBadInput() {
        assertThat(lab("serve", "no-such-scenario")).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-scenario");
    }
}
