package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.export.NginxExporter;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same behaviour, proven: a scenario's Nginx node exported by {@link NginxExporter} and run in the real nginx in
 * front of the lab's own Tomcats, against the lab's Nginx tier with the same scenario in front of the same kind of
 * Tomcats (a fresh lab each), driven by the same request script: requests one after another, tomcat-2 killed in the
 * middle. Compared per request: which Tomcat answered (its x-served-by header) and every server tried (the lab's
 * upstream_chosen events; nginx's $upstream_addr in its JSON access log, mapped back to node ids), so a retry
 * (proxy_next_upstream) shows as two servers tried; then the passive-health outcome: the dead server, after max_fails
 * failures, is never tried again within fail_timeout, and both say so (the lab's server_down, nginx's "upstream server
 * temporarily disabled").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportedNginxSameBehaviourTest {
    private static final int REQUESTS = 14;
    private static final int KILL_AFTER = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What one proxy did with one request: who answered, with what status, and every server tried. */
    record Seen(int status, String servedBy, List<String> tried) {
    }

    static Scenario scenario(String balance, int... weights) {
        List<NginxConfig.Server> servers = new ArrayList<>();
        for (int i = 1; i <= weights.length; i++) {
            servers.add(NginxConfig.Server.node("tomcat-" + i).withWeight(weights[i - 1]).withMaxFails(1, Duration.ofSeconds(60)));
        }
        NginxConfig cfg = NginxConfig.EMPTY
                .withUpstreams(List.of(new NginxConfig.Upstream("tomcats", balance, null, null, null, null, null, servers)))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "tomcats")));
        return NginxProxyTest.scenario(weights.length, cfg);
    }

    @Test
    void weightedRoundRobin_sameSequenceRetriesAndPassiveHealth() throws Exception {
        compare(scenario(null, 3, 2, 1));
    }

    @Test
    void leastConn_sameSequenceRetriesAndPassiveHealth() throws Exception {
        compare(scenario("least_conn", 1, 2, 1));
    }

    /** The library's scenario 2 as it is: round robin over three, keepalive 32 with HTTP/1.1, max_fails 1, fail_timeout 10s. */
    @Test
    void libraryScenario2_keepalivePool_sameSequenceRetriesAndPassiveHealth() throws Exception {
        compare(dev.flowlab.scenario.ScenarioLibrary.load(Path.of("..", "lab-scenarios", "02-nginx-tomcats.json").toString()));
    }

    private void compare(Scenario s) throws Exception {
        assumeTrue(Files.isExecutable(RealNginxProcess.NGINX), "nginx is not installed (apt-get install nginx)");
        List<Seen> lab = throughLabNginx(s);
        RealRun real = throughRealNginx(s);
        for (int i = 0; i < REQUESTS; i++) {
            System.out.printf("%2d  lab %-34s nginx %s%n", i + 1, lab.get(i), real.seen().get(i));
        }
        assertThat(real.seen()).as("the real nginx running the exported config, request by request").isEqualTo(lab);
        // The same scenario with "engine": "nginx": the lab runs the real nginx as the node, and its events (read from
        // nginx's access and error logs) tell the same story as the lab's own Nginx tier.
        NodeSpec n = s.node("nginx-1").orElseThrow();
        Scenario onNginx = s.withNodes(s.nodes().stream()
                .map(x -> x == n ? x.withConfig(n.configAs(NginxConfig.class).withEngine("nginx")) : x).toList());
        assertThat(throughLabNginx(onNginx)).as("engine nginx: the lab's events from the real nginx's logs").isEqualTo(lab);

        // What both did: a balancing sequence over all three, a retry after the kill, the dead server never tried again.
        assertThat(lab).extracting(Seen::status).containsOnly(200);
        assertThat(lab.subList(0, KILL_AFTER)).extracting(Seen::servedBy).contains("tomcat-1", "tomcat-2");
        int retried = -1;
        for (int i = KILL_AFTER; i < REQUESTS; i++) {
            if (lab.get(i).tried().contains("tomcat-2")) {
                assertThat(retried).as("tomcat-2 tried once after the kill, then left out for fail_timeout").isEqualTo(-1);
                retried = i;
                assertThat(lab.get(i).tried()).as("a retry to the next server").hasSize(2).first().isEqualTo("tomcat-2");
            }
        }
        assertThat(retried).as("some request after the kill was sent to tomcat-2 first and retried").isGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(lab.subList(KILL_AFTER, REQUESTS)).extracting(Seen::servedBy).doesNotContain("tomcat-2");
        assertThat(real.errorLog()).contains("upstream server temporarily disabled").contains(real.tomcat2());
    }

    private List<Seen> throughLabNginx(Scenario s) throws Exception {
        try (Lab lab = Stack.lab(s); EventBus.Subscription sub = lab.events().subscribe(50_000)) {
            lab.start();
            List<Map.Entry<Integer, String>> answers = script(lab, lab.address("nginx-1"));
            List<LabEvent> events = new ArrayList<>();
            waitFor(() -> {
                sub.drain(events::add, 50_000);
                return events.stream().filter(e -> e.node().equals("nginx-1") && e.type() == EventType.RESPONSE_RETURNED).count() >= REQUESTS;
            }, "a response_returned event per request");
            Map<String, List<String>> tried = new LinkedHashMap<>();
            for (LabEvent e : events) {
                if (e.node().equals("nginx-1") && e.type() == EventType.UPSTREAM_CHOSEN) {
                    tried.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(((Fact.UpstreamChosen) e.fact()).server());
                }
            }
            assertThat(events).as("the lab's Nginx marks tomcat-2 down")
                    .anyMatch(e -> e.node().equals("nginx-1") && e.type() == EventType.SERVER_DOWN && "tomcat-2".equals(e.peer()));
            return seen(answers, tried);
        }
    }

    record RealRun(List<Seen> seen, String errorLog, String tomcat2) {
    }

    private RealRun throughRealNginx(Scenario s) throws Exception {
        try (Lab lab = Stack.lab(s)) {
            lab.start();
            // The lab's own Tomcats; the nginx.conf is the exporter's, given the addresses they listen on right now.
            Map<String, String> addresses = new LinkedHashMap<>();
            for (NodeSpec n : s.nodes()) {
                if (n.id().startsWith("tomcat-")) {
                    addresses.put(n.id(), TcpServerNode.hostPort(lab.address(n.id())));
                }
            }
            InetSocketAddress listen = RealNginxProcess.freeLoopbackAddress();
            Path prefix = Files.createDirectories(dir.resolve("real"));
            NodeSpec node = s.node("nginx-1").orElseThrow();
            String conf = NginxExporter.export(node, new NginxExporter.Target(TcpServerNode.hostPort(listen), addresses, prefix, prefix,
                    false, null, false).withJsonAccessLog(null));
            Path file = prefix.resolve("nginx.conf");
            Files.writeString(file, conf);
            List<Map.Entry<Integer, String>> answers;
            try (RealNginxProcess ignored = RealNginxProcess.start(file, prefix, listen)) {
                answers = script(lab, listen);
                waitFor(() -> lines(prefix.resolve("logs/access.log")).size() >= REQUESTS, "an access log line per request");
            }
            Map<String, String> nodeOf = new LinkedHashMap<>();
            addresses.forEach((id, a) -> nodeOf.put(a, id));
            Map<String, List<String>> tried = new LinkedHashMap<>();
            for (String line : lines(prefix.resolve("logs/access.log"))) {
                JsonNode j = JSON.readTree(line);
                List<String> servers = new ArrayList<>();
                for (String a : j.path("upstream_addr").asText().split(",\\s*")) {
                    servers.add(nodeOf.getOrDefault(a.strip(), a.strip()));
                }
                tried.put(j.path("trace").asText(), servers);
            }
            return new RealRun(seen(answers, tried), Files.readString(prefix.resolve("logs/error.log")), addresses.get("tomcat-2"));
        }
    }

    /** The request script: REQUESTS GETs one after another, tomcat-2 killed after KILL_AFTER. Status and x-served-by of each. */
    private List<Map.Entry<Integer, String>> script(Lab lab, InetSocketAddress proxy) throws Exception {
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        for (int i = 1; i <= REQUESTS; i++) {
            if (i == KILL_AFTER + 1) {
                lab.kill("tomcat-2").get(10, TimeUnit.SECONDS);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + proxy.getAddress().getHostAddress() + ":"
                    + proxy.getPort() + "/api/item/" + i)).header("X-Lab-Trace", "t" + i).GET().build(), HttpResponse.BodyHandlers.ofString());
            out.add(Map.entry(r.statusCode(), r.headers().firstValue("x-served-by").orElse("-")));
        }
        return out;
    }

    private static List<Seen> seen(List<Map.Entry<Integer, String>> answers, Map<String, List<String>> tried) {
        List<Seen> out = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            out.add(new Seen(answers.get(i).getKey(), answers.get(i).getValue(), tried.getOrDefault("t" + (i + 1), List.of())));
        }
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
