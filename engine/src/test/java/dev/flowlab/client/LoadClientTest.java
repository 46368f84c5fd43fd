package dev.flowlab.client;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.Traffic;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestLabs tier;

    @BeforeEach
    void useTestTier() {
        tier = TestLabs.with(NodeKind.TOMCAT, TestHttpTier::new);
        TestHttpTier.reset();
    }

    @AfterEach
    void restoreTier() {
        TestHttpTier.reset();
    }

    private static Traffic open(double rps) {
        return new Traffic("open", rps, null, null, null);
    }

    private static void runToEnd(LoadClient client, Traffic traffic, Duration sendFor) throws Exception {
        client.start(traffic, sendFor);
        await("sending ends").atMost(WAIT).until(() -> client.result().sent() > 0
                && System.nanoTime() - client.startNanos() > sendFor.toNanos());
        client.stop();
        client.drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void requests_carryTraceHostAgentKeepAlive_reuseConnections_andComeFromTheClientsAddress() throws Exception {
        TestHttpTier.RECORDING.add("tomcat-1");
        try (Lab lab = tier.lab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            try (LoadClient client = LoadClient.forLab(lab, "client-1")) {
                runToEnd(client, open(200), Duration.ofSeconds(1));

                RunResult r = client.result();
                assertThat(r.requests()).isBetween(190L, 210L);
                assertThat(r.ok()).isEqualTo(r.requests());
                assertThat(r.inFlight()).isZero();
                List<HttpHeaders> seen = new ArrayList<>(TestHttpTier.HEADERS.get("tomcat-1"));
                assertThat(seen).hasSize((int) r.requests());
                Set<String> traces = new HashSet<>();
                for (HttpHeaders h : seen) {
                    assertThat(h.get("X-Lab-Trace")).matches("[0-9a-f]{16}");
                    traces.add(h.get("X-Lab-Trace"));
                    assertThat(h.get("Host")).isEqualTo("www.taobao.lab");
                    assertThat(h.get("User-Agent")).isEqualTo("RequestFlowLab/0.1");
                    assertThat(h.get("Connection")).isEqualToIgnoringCase("keep-alive");
                }
                assertThat(traces).as("trace ids are unique").hasSize(seen.size());
                assertThat(TestHttpTier.PATHS.get("tomcat-1")).anyMatch(p -> p.equals("/"))
                        .anyMatch(p -> p.startsWith("/static/")).anyMatch(p -> p.startsWith("/api/"));
                assertThat(lab.metrics().node("tomcat-1").connectionsOpenedTotal())
                        .as("keep-alive: far fewer connections than requests").isLessThan(20);
                InetAddress clientHost = lab.address("client-1").getAddress();
                assertThat(TestHttpTier.CALLER_HOSTS.get("tomcat-1")).containsOnly(clientHost.getHostAddress());
                NodeMetrics m = lab.metrics().node("client-1");
                assertThat(m.requests()).isEqualTo(r.sent());
                assertThat(m.completed()).isEqualTo(r.ok());
                assertThat(m.inFlight()).isZero();
            }
        }
    }

    @Test
    void events_tellEachRequestAndItsAnswer_byTraceId() throws Exception {
        try (Lab lab = tier.lab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            try (EventBus.Subscription sub = lab.events().subscribe(10_000,
                    e -> e.type() == EventType.CLIENT_REQUEST || e.type() == EventType.CLIENT_RESPONSE);
                 LoadClient client = LoadClient.forLab(lab, "client-1")) {
                runToEnd(client, open(50), Duration.ofMillis(200));

                List<LabEvent> events = new ArrayList<>();
                sub.drain(events::add, 10_000);
                List<LabEvent> requests = events.stream().filter(e -> e.type() == EventType.CLIENT_REQUEST).toList();
                List<LabEvent> responses = events.stream().filter(e -> e.type() == EventType.CLIENT_RESPONSE).toList();
                assertThat(requests).hasSize((int) client.result().requests()).allMatch(e -> e.node().equals("client-1"));
                assertThat(responses).hasSameSizeAs(requests)
                        .allMatch(e -> e.status() == 200 && e.durationNanos() > 0 && "tomcat-1".equals(e.peer()));
                assertThat(responses.stream().map(LabEvent::traceId).toList())
                        .containsExactlyInAnyOrderElementsOf(requests.stream().map(LabEvent::traceId).toList());
            }
        }
    }

    @Test
    void nothingListening_failsAsConnectRefused() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        Scenario onlyClient = new Scenario(Scenario.FORMAT, "t", null, List.of(NodeSpec.of("client-1", NodeKind.CLIENT)),
                List.of(), null, null);
        try (Lab lab = tier.lab(onlyClient)) {
            lab.start();
            try (LoadClient client = new LoadClient(lab.group(), LoadClientOptions.of(Target.fixed(closedPort)))) {
                runToEnd(client, open(100), Duration.ofMillis(300));

                RunResult r = client.result();
                assertThat(r.requests()).isBetween(25L, 35L);
                assertThat(r.errors()).containsOnlyKeys("connect_refused");
                assertThat(r.failed()).isEqualTo(r.requests());
                assertThat(r.firstFailureMs()).isNotNull();
            }
        }
    }

    @Test
    void pendingQueueFull_failsAsClientOverloaded() throws Exception {
        TestHttpTier.DELAY.put("tomcat-1", TestHttpTier.NEVER);
        try (Lab lab = tier.lab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            LoadClientOptions base;
            try (LoadClient planned = LoadClient.forLab(lab, "client-1")) {
                base = planned.options();
            }
            LoadClientOptions tight = base.withMaxConnections(1).withMaxPending(5).withRequestTimeout(Duration.ofMillis(400));
            try (LoadClient client = new LoadClient(lab.group(), tight)) {
                runToEnd(client, open(100), Duration.ofMillis(200));

                RunResult r = client.result();
                assertThat(r.errors().get("client_overloaded")).isGreaterThan(5);
                assertThat(r.errors().get("timeout")).isBetween(1L, 6L);
                assertThat(r.requests()).isEqualTo(r.sent());
            }
        }
    }

    @Test
    void restartedServer_isReachedAgain_byNewConnections() throws Exception {
        try (Lab lab = tier.lab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            try (LoadClient client = LoadClient.forLab(lab, "client-1")) {
                client.start(open(200));
                await("first answers").atMost(WAIT).until(() -> client.result().ok() > 20);
                lab.kill("tomcat-1").get(5, TimeUnit.SECONDS);
                await("failures after the kill").atMost(WAIT).until(() -> client.result().failed() > 5);
                lab.startNode("tomcat-1").get(5, TimeUnit.SECONDS);
                long okBefore = client.result().ok();
                await("answers again after the restart").atMost(WAIT).until(() -> client.result().ok() > okBefore + 20);
                client.stop();
                client.drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                assertThat(client.result().inFlight()).isZero();
            }
        }
    }

    @Test
    void killedServer_withRequestsInFlight_failsThemAsReset() throws Exception {
        TestHttpTier.DELAY.put("tomcat-1", TestHttpTier.NEVER);
        try (Lab lab = tier.lab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            try (LoadClient client = LoadClient.forLab(lab, "client-1")) {
                client.start(open(100), Duration.ofMillis(100));
                await("requests waiting on the server").atMost(WAIT).until(
                        () -> lab.metrics().node("client-1").inFlight() >= 10 && lab.metrics().node("tomcat-1").activeConnections() >= 10);
                lab.kill("tomcat-1").get(5, TimeUnit.SECONDS);
                client.stop();
                client.drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

                RunResult r = client.result();
                assertThat(r.errors()).containsOnlyKeys("reset");
                assertThat(r.errors().get("reset")).isEqualTo(r.requests());
                // The outcome is recorded before the connection's own close is, so wait for the latter.
                await("the client's connections closed").atMost(WAIT).until(
                        () -> lab.metrics().node("client-1").activeConnections() == 0);
            }
        }
    }
}
