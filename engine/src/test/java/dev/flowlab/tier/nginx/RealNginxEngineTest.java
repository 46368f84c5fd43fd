package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.export.NginxBinary;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An Nginx node with {@code "engine": "nginx"}: the real nginx in front of two lab Tomcats, serving real requests, its
 * access log turned into the lab's events (upstream addresses as node ids), and nothing left behind when it stops.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public class RealNginxEngineTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static Scenario scenario(String engine) {
        NginxConfig cfg = NginxConfig.EMPTY
                .withUpstreams(List.of(new NginxConfig.Upstream("tomcats", null, null, null, null, null, null,
                        List.of(NginxConfig.Server.node("tomcat-1"), NginxConfig.Server.node("tomcat-2")))))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "tomcats")))
                .withEngine(engine);
        return NginxProxyTest.scenario(2, cfg);
    }

    private static void assumeNginx() {
        if (NginxBinary.find().isEmpty()) {
            System.err.println("*** RealNginxEngineTest SKIPPED: no nginx binary (apt-get install nginx) ***");
        }
        assumeTrue(NginxBinary.find().isPresent(), "nginx is not installed");
    }

    @Test
    void realNginxServesThroughTheLab_eventsNameTheNodes_stopLeavesNothing() throws Exception {
        assumeNginx();
        Lab lab = Stack.lab(scenario("nginx"));
        long pid;
        Path prefix;
        InetSocketAddress a;
        List<LabEvent> events = new ArrayList<>();
        List<ProcessHandle> processes = new ArrayList<>();
        List<Path> prefixes = new ArrayList<>();
        try (lab; EventBus.Subscription sub = lab.events().subscribe(10_000)) {
            lab.start();
            RealNginx node = (RealNginx) lab.node("nginx-1").orElseThrow();
            pid = node.pid();
            prefix = node.prefix();
            prefixes.add(prefix);
            a = lab.address("nginx-1");
            assertThat(pid).isPositive();
            long master = pid;
            waitFor(() -> family(master).size() == 2, "the nginx master and its one worker");
            processes.addAll(family(pid));
            assertThat(ProcessHandle.of(pid).map(h -> h.info().command().orElse(""))).hasValueSatisfying(c -> assertThat(c).endsWith("nginx"));
            assertThat(a.getAddress().isLoopbackAddress()).isTrue();

            List<String> servedBy = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/api/item/" + i))
                        .header("X-Lab-Trace", "t" + i).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                // server_tokens on (nginx's default, the exported config leaves it): the real nginx names its version
                assertThat(r.headers().firstValue("server").orElse("")).startsWith("nginx/");
                servedBy.add(r.headers().firstValue("x-served-by").orElse("?"));
            }
            assertThat(servedBy).containsExactly("tomcat-1", "tomcat-2", "tomcat-1", "tomcat-2", "tomcat-1", "tomcat-2");

            waitFor(() -> {
                sub.drain(events::add, 10_000);
                return events.stream().filter(e -> e.node().equals("nginx-1") && e.type() == EventType.RESPONSE_RETURNED).count() >= 6;
            }, "six response_returned events from nginx's access log");
            List<String> chosen = events.stream().filter(e -> e.node().equals("nginx-1") && e.type() == EventType.UPSTREAM_CHOSEN)
                    .map(e -> e.traceId() + "->" + ((Fact.UpstreamChosen) e.fact()).server()).toList();
            assertThat(chosen).containsExactly("t1->tomcat-1", "t2->tomcat-2", "t3->tomcat-1", "t4->tomcat-2", "t5->tomcat-1", "t6->tomcat-2");
            assertThat(events).filteredOn(e -> e.node().equals("nginx-1") && e.type() == EventType.UPSTREAM_CHOSEN)
                    .allSatisfy(e -> assertThat(e.peer()).isIn("tomcat-1", "tomcat-2"));
            assertThat(events).filteredOn(e -> e.node().equals("nginx-1") && e.type() == EventType.RESPONSE_RETURNED)
                    .allSatisfy(e -> {
                        assertThat(e.status()).isEqualTo(200);
                        assertThat(((Fact.Answered) e.fact()).from()).isIn("tomcat-1", "tomcat-2");
                    });
            assertThat(events).anyMatch(e -> e.node().equals("nginx-1") && e.type() == EventType.REQUEST_RECEIVED && "t1".equals(e.traceId()));
            assertThat(lab.metrics().node("nginx-1").completed()).isEqualTo(6);

            // kill and start again: a new process on the same address
            lab.kill("nginx-1").get(10, TimeUnit.SECONDS);
            assertThat(lab.state("nginx-1")).isEqualTo(NodeState.KILLED);
            long first = pid;
            waitFor(() -> ProcessHandle.of(first).map(h -> !h.isAlive()).orElse(true), "the killed nginx process gone");
            assertThat(listening(a)).isFalse();
            lab.startNode("nginx-1").get(20, TimeUnit.SECONDS);
            long second = node.pid();
            assertThat(second).isPositive().isNotEqualTo(pid);
            assertThat(lab.address("nginx-1")).isEqualTo(a);
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/api/item/7"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(200);
            pid = second;
            prefixes.add(node.prefix());
            waitFor(() -> family(second).size() == 2, "the new master and its worker");
            processes.addAll(family(second));
            prefix = node.prefix();
        }
        waitFor(() -> processes.stream().noneMatch(ProcessHandle::isAlive), "no nginx master or worker after the lab closed");
        for (Path p : prefixes) {
            waitFor(() -> processesUsing(p).isEmpty(), "no process left holding " + p + " open");
        }
        assertThat(ProcessHandle.allProcesses().filter(h -> h.parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false))
                .filter(h -> h.info().command().orElse("").endsWith("nginx")).toList()).as("nginx children of this JVM").isEmpty();
        assertThat(listening(a)).as("nothing listens on " + a + " after stop").isFalse();
        assertThat(prefix).doesNotExist();
    }

    /** Unset upstreams and locations: the lab's default site, written out for nginx (a pool of the linked nodes, the demo site's files). */
    @Test
    void theDefaultSite_onTheRealNginx_proxiesToTheLinkedTomcats_andServesTheDemoSite() throws Exception {
        assumeNginx();
        Path prefix;
        try (Lab lab = Stack.lab(NginxProxyTest.scenario(2, NginxConfig.EMPTY.withEngine("nginx")))) {
            lab.start();
            InetSocketAddress a = lab.address("nginx-1");
            String base = "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
            List<String> servedBy = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/item/" + i)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                servedBy.add(r.headers().firstValue("x-served-by").orElse("?"));
            }
            assertThat(servedBy).containsExactly("tomcat-1", "tomcat-2", "tomcat-1", "tomcat-2");
            HttpResponse<String> css = http.send(HttpRequest.newBuilder(URI.create(base + "/static/css/shop.css")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
            assertThat(css.headers().firstValue("x-served-by")).isEmpty();
            prefix = ((RealNginx) lab.node("nginx-1").orElseThrow()).prefix();
            Path held = prefix;
            // with a proxy cache nginx runs a cache manager and a cache loader besides the worker
            waitFor(() -> processesUsing(held).size() >= 3, "the nginx master, worker and cache processes");
        }
        Path gone = prefix;
        waitFor(() -> processesUsing(gone).isEmpty(), "no nginx process (master, worker, cache manager) left after the lab closed");
    }

    @Test
    void gracefulStop_endsTheProcessAndFreesThePort() throws Exception {
        assumeNginx();
        try (Lab lab = Stack.lab(scenario("nginx"))) {
            lab.start();
            RealNginx node = (RealNginx) lab.node("nginx-1").orElseThrow();
            long pid = node.pid();
            InetSocketAddress a = lab.address("nginx-1");
            lab.stop("nginx-1").get(20, TimeUnit.SECONDS);
            assertThat(lab.state("nginx-1")).isEqualTo(NodeState.STOPPED);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(listening(a)).isFalse();
        }
    }

    @Test
    void missingBinary_isAClearErrorNamingTheNode() {
        String before = System.getProperty(NginxBinary.PROPERTY);
        System.setProperty(NginxBinary.PROPERTY, "/nonexistent/flowlab/nginx");
        try {
            Lab lab = Stack.lab(scenario("nginx"));
            assertThatThrownBy(lab::start).isInstanceOf(LabStartException.class)
                    .hasMessageContaining("node nginx-1")
                    .hasMessageContaining("engine \"nginx\" needs the nginx binary")
                    .hasMessageContaining("/nonexistent/flowlab/nginx")
                    .satisfies(e -> assertThat(((LabStartException) e).nodeId()).isEqualTo("nginx-1"));
            lab.close();
        } finally {
            if (before == null) {
                System.clearProperty(NginxBinary.PROPERTY);
            } else {
                System.setProperty(NginxBinary.PROPERTY, before);
            }
        }
    }

    @Test
    void aConfigNginxRefuses_isAClearErrorWithNginxsOwnMessage() {
        assumeNginx();
        NginxConfig cfg = scenario("nginx").node("nginx-1").orElseThrow().configAs(NginxConfig.class)
                .withLocations(List.of(NginxConfig.Location.proxy("~ ([", "tomcats")));
        Lab lab = Stack.lab(NginxProxyTest.scenario(2, cfg));
        assertThatThrownBy(lab::start).isInstanceOf(LabStartException.class)
                .hasMessageContaining("node nginx-1: nginx -t refused the generated config")
                .hasMessageContaining("[emerg]")
                .hasMessageContaining("pcre");
        lab.close();
    }

    @Test
    void theScenarioFile_engineRoundTrips_aWrongValueIsAnErrorAtItsPlace_andNoHaGroupTakesARealNginx() throws Exception {
        String json = dev.flowlab.scenario.ScenarioIO.toJson(scenario("nginx"));
        assertThat(json).contains("\"engine\": \"nginx\"");
        Scenario back = dev.flowlab.scenario.ScenarioIO.read(json, "s.json");
        assertThat(back).isEqualTo(scenario("nginx"));
        assertThat(dev.flowlab.scenario.ScenarioIO.toJson(back)).isEqualTo(json);

        assertThatThrownBy(() -> dev.flowlab.scenario.ScenarioIO.read(json.replace("\"engine\": \"nginx\"", "\"engine\": \"apache\""), "s.json"))
                .hasMessageContaining("s.json:").hasMessageContaining("engine").hasMessageContaining("apache");

        Scenario ha = scenario("nginx").withHaGroups(List.of(new dev.flowlab.topology.HaGroup("ha", null, null, null, null,
                List.of(dev.flowlab.topology.HaMember.of("nginx-1", 100)), null)));
        assertThat(dev.flowlab.topology.TopologyValidator.validate(ha)).extracting(Object::toString)
                .anyMatch(p -> p.contains("nginx-1 runs on the real nginx (\"engine\": \"nginx\") and cannot be in an HA group"));
    }

    @Test
    void theLabEngineIsTheDefault() throws Exception {
        try (Lab lab = Stack.lab(scenario(null))) {
            assertThat(lab.node("nginx-1").orElseThrow()).isInstanceOf(NginxServer.class);
        }
        try (Lab lab = Stack.lab(scenario("lab"))) {
            assertThat(lab.node("nginx-1").orElseThrow()).isInstanceOf(NginxServer.class);
        }
    }

    /** Every process (master, worker, cache manager or loader, orphaned or not) holding a file under the node's prefix open (Linux /proc). */
    static List<Long> processesUsing(Path prefix) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            try (var fds = Files.list(Path.of("/proc", Long.toString(h.pid()), "fd"))) {
                if (fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith(prefix.toString());
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                })) {
                    out.add(h.pid());
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or not ours to read
            }
        });
        return out;
    }

    /** The nginx master and its workers. */
    static List<ProcessHandle> family(long pid) {
        ProcessHandle master = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> out = new ArrayList<>(List.of(master));
        out.addAll(master.descendants().toList());
        return out;
    }

    static boolean listening(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
