package dev.flowlab.runtime;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.testing.EchoTier;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lab's lifecycle on real sockets: start, stop, kill (RST), restart, port conflicts, no leaks. */
class LabLifecycleTest {
    // The gateway kind stands in for "some TCP tier" here; the real one is restored after each test.
    private TestLabs tier;

    @BeforeEach
    void useEchoTier() {
        tier = TestLabs.with(NodeKind.GATEWAY, EchoTier::new);
    }


    private static Scenario echoScenario(int servers) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        for (int i = 1; i <= servers; i++) {
            nodes.add(NodeSpec.of("echo-" + i, NodeKind.GATEWAY));
            links.add(LinkSpec.of("client", "echo-" + i));
        }
        return new Scenario(Scenario.FORMAT, "echo", null, nodes, links, null, null);
    }

    @Test
    void startAndClose100Times_leavesNoThreadAndNoBoundPort() throws IOException {
        List<InetSocketAddress> used = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try (Lab lab = tier.lab(echoScenario(3))) {
                lab.start();
                for (int n = 1; n <= 3; n++) {
                    used.add(lab.address("echo-" + n));
                }
            }
        }
        await("no flowlab thread left").atMost(Duration.ofSeconds(10)).until(() -> labThreads().isEmpty());
        for (InetSocketAddress a : used.subList(used.size() - 30, used.size())) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(a);
                assertThat(s.isBound()).isTrue();
            }
        }
    }

    @Test
    void eachNodeBindsItsOwnLoopbackAddress() {
        try (Lab lab = tier.lab(echoScenario(2))) {
            lab.start();
            InetSocketAddress a = lab.address("echo-1");
            InetSocketAddress b = lab.address("echo-2");
            assertThat(a.getAddress().isLoopbackAddress()).isTrue();
            assertThat(b.getAddress().isLoopbackAddress()).isTrue();
            assertThat(a.getPort()).isPositive();
            if (AddressPlan.distinctLoopbackSupported()) {
                assertThat(a.getAddress()).isNotEqualTo(b.getAddress());
            }
            assertThat(lab.nodeViews()).extracting(NodeView::state).contains(NodeState.RUNNING);
        }
    }

    @Test
    void portInUse_failsNamingTheNodeAndTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            String fixed = "127.0.0.1:" + taken.getLocalPort();
            Scenario s = echoScenario(2);
            s = s.withNodes(s.nodes().stream().map(n -> n.id().equals("echo-2") ? n.withAddress(fixed) : n).toList());
            Scenario scenario = s;
            assertThatThrownBy(() -> {
                try (Lab lab = tier.lab(scenario)) {
                    lab.start();
                }
            }).isInstanceOf(LabStartException.class)
                    .hasMessageContaining("echo-2")
                    .hasMessageContaining(fixed)
                    .hasMessageContaining("in use");
        }
        await("no flowlab thread left after a failed start").atMost(Duration.ofSeconds(10)).until(() -> labThreads().isEmpty());
    }

    @Test
    void kill_resetsOpenConnections_andRestartServesOnTheSameAddress() throws Exception {
        try (Lab lab = tier.lab(echoScenario(1))) {
            lab.start();
            InetSocketAddress addr = lab.address("echo-1");
            try (Socket s = new Socket()) {
                s.connect(addr, 2000);
                s.setSoTimeout(5000);
                assertThat(echo(s, "hello")).isEqualTo("hello");
                EventBus.Subscription events = lab.events().subscribe(64, e -> e.type() == EventType.NODE_KILLED);
                lab.kill("echo-1").get(5, TimeUnit.SECONDS);
                assertThat(lab.state("echo-1")).isEqualTo(NodeState.KILLED);
                InputStream in = s.getInputStream();
                assertThatThrownBy(() -> {
                    int r = in.read();
                    if (r == -1) {
                        throw new AssertionError("orderly close (FIN) instead of a reset");
                    }
                }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
                LabEvent killed = await("node_killed event").atMost(Duration.ofSeconds(2)).until(events::poll, e -> e != null);
                assertThat(killed.node()).isEqualTo("echo-1");
            }
            assertThatThrownBy(() -> new Socket().connect(addr, 2000)).isInstanceOf(IOException.class);

            lab.startNode("echo-1").get(5, TimeUnit.SECONDS);
            assertThat(lab.address("echo-1")).isEqualTo(addr);
            try (Socket s = new Socket()) {
                s.connect(addr, 2000);
                s.setSoTimeout(5000);
                assertThat(echo(s, "again")).isEqualTo("again");
            }
        }
    }

    @Test
    void stop_isGraceful_closesConnectionsAfterTheDrainTimeout_andRefusesNewOnes() throws Exception {
        LabOptions options = LabOptions.defaults().withDrainTimeout(Duration.ofMillis(300));
        try (Lab lab = tier.lab(echoScenario(1), options)) {
            lab.start();
            InetSocketAddress addr = lab.address("echo-1");
            try (Socket s = new Socket()) {
                s.connect(addr, 2000);
                s.setSoTimeout(5000);
                assertThat(echo(s, "x")).isEqualTo("x");
                lab.stop("echo-1").get(5, TimeUnit.SECONDS);
                assertThat(lab.state("echo-1")).isEqualTo(NodeState.STOPPED);
                assertThat(s.getInputStream().read()).as("graceful close is a FIN, not a reset").isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket().connect(addr, 2000)).isInstanceOf(IOException.class);
            lab.restart("echo-1").get(5, TimeUnit.SECONDS);
            assertThat(lab.state("echo-1")).isEqualTo(NodeState.RUNNING);
        }
    }

    @Test
    void unknownNodeAction_failsClearly() {
        try (Lab lab = tier.lab(echoScenario(1))) {
            lab.start();
            assertThatThrownBy(() -> lab.kill("nope").join()).hasMessageContaining("no node 'nope'");
            assertThatThrownBy(() -> lab.apply("explode", "echo-1", java.util.Map.of()).join())
                    .hasMessageContaining("unknown action 'explode'");
        }
    }

    @Test
    void metricsSnapshotsCountConnections() throws Exception {
        try (Lab lab = tier.lab(echoScenario(1))) {
            lab.start();
            try (Socket s = new Socket()) {
                s.connect(lab.address("echo-1"), 2000);
                await("snapshot shows the open connection").atMost(Duration.ofSeconds(5)).until(
                        () -> lab.metrics().latest().node("echo-1"), n -> n != null && n.activeConnections() == 1);
            }
            await("snapshot shows it closed").atMost(Duration.ofSeconds(5)).until(
                    () -> lab.metrics().latest().node("echo-1"), n -> n != null && n.activeConnections() == 0);
        }
    }

    private static String echo(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        byte[] buf = new byte[text.length()];
        int read = 0;
        while (read < buf.length) {
            int r = s.getInputStream().read(buf, read, buf.length - read);
            if (r < 0) {
                break;
            }
            read += r;
        }
        return new String(buf, 0, read);
    }

    static List<String> labThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(Lab.THREAD_PREFIX))
                .toList();
    }
}
