package dev.flowlab.client;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
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
import org.junit.jupiter.api.Test;

class LoadClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TestHttpTier stub = new TestHttpTier();
    private final TestLabs tier = TestLabs.with(NodeKind.TOMCAT, stub);
    private final LabClock.Manual clock = LabClock.manual();

    /** A lab on the test's manual clock: the client's schedule and timeouts follow it, not the machine's speed. */
    private Lab clockedLab(Scenario s) {
        return tier.lab(s, LabOptions.defaults().withClock(clock));
    }

    /**
     * Time moves 1 ms at a time, once every request in flight waits on the clock (queued for a busy
     * connection, or held by the stub) and no connection is being opened.
     */
    private ClockDriver driver(Lab lab, LoadClient client) {
        NodeMetrics m = lab.metrics().node(client.options().clientId());
        return new ClockDriver(clock, Duration.ofMillis(1),
                () -> client.connecting() == 0 && m.inFlight() == m.queued() + stub.held());
    }

    private static Traffic open(double rps) {
        return new Traffic("open", rps, null, null, null);
    }

    /** Sends for {@code sendFor} of the manual clock, then stops and drains, driving the clock until the drain is done. */
    private static void runToEnd(ClockDriver d, LoadClient client, Traffic traffic, Duration sendFor) {
        client.start(traffic, sendFor);
        long start = client.startNanos();
        d.until(() -> d.clock().nanos() - start >= sendFor.toNanos(), sendFor.plusSeconds(1));
        client.stop();
        java.util.concurrent.CompletableFuture<Void> drained = client.drain(Duration.ofSeconds(5));
        d.until(drained::isDone, Duration.ofSeconds(6));
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
        stub.recording("tomcat-1");
        try (Lab lab = clockedLab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            try (LoadClient client = LoadClient.forLab(lab, "client-1")) {
                runToEnd(driver(lab, client), client, open(200), Duration.ofSeconds(1));

                RunResult r = client.result();
                assertThat(r.requests()).as("one every 5 ms of the clock, from 0 to 995 ms").isEqualTo(200);
                assertThat(r.ok()).isEqualTo(r.requests());
                assertThat(r.inFlight()).isZero();
                List<HttpHeaders> seen = new ArrayList<>(stub.headers("tomcat-1"));
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
                assertThat(stub.paths("tomcat-1")).anyMatch(p -> p.equals("/"))
                        .anyMatch(p -> p.startsWith("/static/")).anyMatch(p -> p.startsWith("/api/"));
                assertThat(lab.metrics().node("tomcat-1").connectionsOpenedTotal())
                        .as("keep-alive: far fewer connections than requests").isLessThan(20);
                InetAddress clientHost = lab.address("client-1").getAddress();
                assertThat(stub.callerHosts("tomcat-1")).containsOnly(clientHost.getHostAddress());
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
        try (Lab lab = clockedLab(onlyClient)) {
            lab.start();
            LoadClientOptions options = LoadClientOptions.of(Target.fixed(closedPort));
            try (LoadClient client = new LoadClient(lab.group(), options, clock)) {
                runToEnd(new ClockDriver(clock, Duration.ofMillis(1), () -> client.connecting() == 0 && client.result().inFlight() == 0),
                        client, open(100), Duration.ofMillis(300));

                RunResult r = client.result();
                assertThat(r.requests()).as("one every 10 ms of the clock, from 0 to 290 ms").isEqualTo(30);
                assertThat(r.errors()).containsOnlyKeys("connect_refused");
                assertThat(r.failed()).isEqualTo(r.requests());
                assertThat(r.firstFailureMs()).isNotNull();
            }
        }
    }

    @Test
    void pendingQueueFull_failsAsClientOverloaded() throws Exception {
        stub.delay("tomcat-1", TestHttpTier.NEVER);
        try (Lab lab = clockedLab(Scenarios.clientAndServer("tomcat-1"))) {
            lab.start();
            LoadClientOptions base;
            try (LoadClient planned = LoadClient.forLab(lab, "client-1")) {
                base = planned.options();
            }
            LoadClientOptions tight = base.withMaxConnections(1).withMaxPending(5).withRequestTimeout(Duration.ofMillis(400));
            try (LoadClient client = new LoadClient(lab.group(), tight, clock)) {
                runToEnd(driver(lab, client), client, open(100), Duration.ofMillis(200));

                // 20 planned: the first on the only connection, the next 5 queued, 14 refused; the 6 time out
                RunResult r = client.result();
                assertThat(r.requests()).isEqualTo(20);
                assertThat(r.errors().get("client_overloaded")).isEqualTo(14);
                assertThat(r.errors().get("timeout")).isEqualTo(6);
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
        stub.delay("tomcat-1", TestHttpTier.NEVER);
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
