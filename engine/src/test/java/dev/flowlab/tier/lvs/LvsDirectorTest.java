package dev.flowlab.tier.lvs;

import dev.flowlab.metrics.L4Footprint;
import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.runtime.AddressPlan;
import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.EchoTier;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The director on real sockets: NAT relays, DR hands over, the table and the sockets it costs. */
class LvsDirectorTest {
    private TestLabs stub;

    @BeforeEach
    void stubNginx() {
        stub = LvsScenarios.stubNginx();
    }


    private static LvsDirector director(Lab lab) {
        return (LvsDirector) lab.node("lvs").orElseThrow();
    }

    @Test
    void nat_relaysBothWays_rrAlternates_andRealServersSeeTheDirectorsAddress() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 2))) {
            lab.start();
            InetSocketAddress vip = lab.address("lvs");
            if (AddressPlan.distinctLoopbackSupported()) {
                assertThat(vip.getAddress().getHostAddress()).startsWith("127.0.10.");
            }
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try (Socket s = Http.connect(vip)) {
                    Map<String, String> r = Http.get(s);
                    served.add(r.get("x-served-by"));
                    assertThat(r.get("x-peer")).startsWith(vip.getAddress().getHostAddress() + ":");
                    assertThat(Http.get(s).get("x-served-by")).as("same connection, same server").isEqualTo(served.get(i));
                }
            }
            assertThat(served).containsExactly("nginx-1", "nginx-2", "nginx-1", "nginx-2");
            assertThat(lab.metrics().node("lvs").bytesInTotal()).isPositive();
            assertThat(lab.metrics().node("lvs").bytesOutTotal()).isPositive();
        }
    }

    @Test
    void dr_handsTheConnectionToTheRealServer_whichSeesTheClient_andTheDirectorKeepsOnlyAnEntry() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("dr", "rr"), 2))) {
            lab.start();
            LvsDirector lvs = director(lab);
            try (Socket s = Http.connect(lab.address("lvs"))) {
                Map<String, String> r = Http.get(s);
                assertThat(r.get("x-served-by")).isEqualTo("nginx-1");
                assertThat(r.get("x-peer")).as("DR keeps the client's address").isEqualTo(
                        s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort());
                assertThat(Http.get(s).get("x-served-by")).isEqualTo("nginx-1");
                assertThat(lvs.openConnections()).isZero();
                assertThat(lab.node("nginx-1").orElseThrow().openConnections()).isEqualTo(1);
                assertThat(lvs.connectionTable().countsByState()).containsEntry(ConnState.ESTABLISHED, 1);
                assertThat(lab.metrics().node("lvs").bytesInTotal()).as("the director sees inbound bytes").isPositive();
                assertThat(lab.metrics().node("lvs").bytesOutTotal()).as("replies bypass it").isZero();
            }
            await("entry moves to CLOSE_WAIT").atMost(Duration.ofSeconds(5)).until(
                    () -> lvs.connectionTable().countsByState().getOrDefault(ConnState.CLOSE_WAIT, 0) == 1);
            assertThat(lvs.realServers().get(0).inactive()).isEqualTo(1);
            assertThat(Http.servedBy(lab.address("lvs"))).isEqualTo("nginx-2");
        }
    }

    @Test
    void thousandKeepAliveClients_drHoldsNoSocketButAThousandEntries_natHoldsTwoSocketsEach() throws Exception {
        for (String mode : List.of("dr", "nat")) {
            try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config(mode, "wlc"), 2))) {
                lab.start();
                LvsDirector lvs = director(lab);
                List<Socket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 1000; i++) {
                        Socket s = Http.connect(lab.address("lvs"));
                        clients.add(s);
                        assertThat(Http.get(s).get(":status")).isEqualTo("200");
                    }
                    L4Footprint f = lvs.footprint();
                    assertThat(f.labTableEntries()).isEqualTo(1000);
                    assertThat(f.activeEntries()).isEqualTo(1000);
                    assertThat(f.modelledKernelBytes()).isEqualTo(128_000);
                    assertThat(f.modelledUserSpaceRelaySockets()).isEqualTo(2000);
                    if (mode.equals("dr")) {
                        assertThat(f.labSockets()).as("DR: the director holds no per-connection socket").isZero();
                        assertThat(lab.metrics().node("lvs").activeConnections()).isZero();
                    } else {
                        assertThat(f.labSockets()).as("NAT: client side + real-server side").isEqualTo(2000);
                    }
                    int a = lvs.realServers().get(0).active();
                    int b = lvs.realServers().get(1).active();
                    assertThat(a + b).isEqualTo(1000);
                    assertThat(Math.abs(a - b)).as("wlc spreads evenly").isLessThanOrEqualTo(1);
                    assertThat(f.describe()).contains("(measured)").contains("(modelled)");
                } finally {
                    for (Socket s : clients) {
                        s.close();
                    }
                }
                await(mode + ": every entry leaves ESTABLISHED").atMost(Duration.ofSeconds(10)).until(
                        () -> lvs.footprint().activeEntries() == 0);
                await(mode + ": sockets released").atMost(Duration.ofSeconds(10)).until(() -> lvs.openConnections() == 0);
            }
        }
    }

    @Test
    void nat_relaysMegabytesBothWays_intact() throws Exception {
        TestLabs echo = TestLabs.with(NodeKind.NGINX, EchoTier::new);
        try (Lab lab = echo.lab(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 1))) {
            lab.start();
            byte[] payload = new byte[4 * 1024 * 1024];
            new Random(7).nextBytes(payload);
            try (Socket s = Http.connect(lab.address("lvs"))) {
                AtomicReference<Throwable> writeError = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(payload);
                        out.flush();
                    } catch (IOException e) {
                        writeError.set(e);
                    }
                });
                writer.start();
                byte[] back = s.getInputStream().readNBytes(payload.length);
                writer.join(10_000);
                assertThat(writeError.get()).isNull();
                assertThat(back).isEqualTo(payload);
            }
        }
    }

    @Test
    void nat_toAnExternalServer_onAnotherPort() throws Exception {
        try (ServerSocket external = new ServerSocket()) {
            external.bind(new InetSocketAddress("127.0.0.1", 0));
            LvsConfig cfg = LvsScenarios.config("nat", "rr").withRealServers(List.of(
                    new RealServerSpec(null, "127.0.0.1:1", external.getLocalPort(), null, null, null)));
            Scenario s = new Scenario(Scenario.FORMAT, "ext", null,
                    List.of(NodeSpec.of("lvs", NodeKind.LVS).withConfig(cfg)), List.of(), null, null);
            try (Lab lab = stub.lab(s)) {
                lab.start();
                try (Socket client = Http.connect(lab.address("lvs"))) {
                    client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    try (Socket accepted = external.accept()) {
                        accepted.setSoTimeout(5000);
                        assertThat(new String(accepted.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
                        accepted.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                        assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("pong");
                    }
                }
            }
        }
    }

    @Test
    void dr_toAServerOutsideTheLab_isAClearConfigError() {
        Scenario s = new Scenario(Scenario.FORMAT, "ext", null, List.of(
                NodeSpec.of("lvs", NodeKind.LVS).withConfig(LvsScenarios.config("dr", "wlc")),
                NodeSpec.of("real", NodeKind.EXTERNAL).withConfig(new ExternalConfig("127.0.0.1:8080"))),
                List.of(LinkSpec.of("lvs", "real")), null, null);
        assertThatThrownBy(() -> stub.lab(s).close()).hasMessageContaining("lvs")
                .hasMessageContaining("real").hasMessageContaining("mode nat");
        LvsConfig portInDr = LvsScenarios.config("dr", "wlc").withRealServers(List.of(
                new RealServerSpec("nginx-1", null, 9090, null, null, null)));
        assertThatThrownBy(() -> stub.lab(LvsScenarios.director(portInDr, 1)).close()).hasMessageContaining("keeps the VIP's port");
    }

    @Test
    void weightZero_quiesces_newConnectionsGoElsewhere_oldOnesStay() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("dr", "wrr"), 2))) {
            lab.start();
            LvsDirector lvs = director(lab);
            try (Socket first = Http.connect(lab.address("lvs"))) {
                assertThat(Http.get(first).get("x-served-by")).isEqualTo("nginx-1");
                lvs.realServers().get(0).weight(0);
                for (int i = 0; i < 3; i++) {
                    assertThat(Http.servedBy(lab.address("lvs"))).isEqualTo("nginx-2");
                }
                assertThat(Http.get(first).get("x-served-by")).as("existing connection untouched").isEqualTo("nginx-1");
            }
        }
    }

    @Test
    void persistence_keepsAClientOnOneServer_acrossConnections() throws Exception {
        LvsConfig cfg = LvsScenarios.config("nat", "rr").withPersistent(true);
        try (Lab lab = stub.lab(LvsScenarios.director(cfg, 3))) {
            lab.start();
            String first = Http.servedBy(lab.address("lvs"));
            for (int i = 0; i < 5; i++) {
                assertThat(Http.servedBy(lab.address("lvs"))).isEqualTo(first);
            }
            assertThat(director(lab).footprint().persistenceTemplates()).isEqualTo(1);
        }
    }

    @Test
    void killedRealServer_dr_newConnectionIsReset_andNoServerMeansReset() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("dr", "rr"), 1))) {
            lab.start();
            lab.kill("nginx-1").get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> Http.servedBy(lab.address("lvs"))).isInstanceOf(IOException.class);
            assertThat(lab.metrics().node("lvs").errorsByCause()).containsKey("real_server_down");
            director(lab).realServers().get(0).weight(0);
            assertThatThrownBy(() -> Http.servedBy(lab.address("lvs"))).isInstanceOf(IOException.class);
            assertThat(lab.metrics().node("lvs").errorsByCause()).containsKey("no_real_server");
        }
    }

    @Test
    void killedDirector_natConnectionsAreReset_andRestartServesAgain() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 1))) {
            lab.start();
            InetSocketAddress vip = lab.address("lvs");
            try (Socket s = Http.connect(vip)) {
                Http.get(s);
                lab.kill("lvs").get(5, TimeUnit.SECONDS);
                InputStream in = s.getInputStream();
                assertThatThrownBy(() -> {
                    if (in.read() == -1) {
                        throw new AssertionError("orderly close instead of a reset");
                    }
                }).isInstanceOf(SocketException.class);
            }
            assertThat(director(lab).connectionTable().size()).isZero();
            lab.startNode("lvs").get(5, TimeUnit.SECONDS);
            assertThat(Http.servedBy(vip)).isEqualTo("nginx-1");
        }
    }

    @Test
    void nat_aKilledRealServersResetReachesTheClientAsAReset() throws Exception {
        try (Lab lab = stub.lab(LvsScenarios.director(LvsScenarios.config("nat", "rr"), 1))) {
            lab.start();
            try (Socket s = Http.connect(lab.address("lvs"))) {
                assertThat(Http.get(s).get("x-served-by")).isEqualTo("nginx-1");
                lab.kill("nginx-1").get(5, TimeUnit.SECONDS);
                InputStream in = s.getInputStream();
                assertThatThrownBy(() -> {
                    if (in.read() == -1) {
                        throw new AssertionError("orderly close instead of a reset");
                    }
                }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
            await("entry in CLOSE").atMost(Duration.ofSeconds(5)).until(() -> director(lab).connectionTable()
                    .countsByState().getOrDefault(ConnState.CLOSE, 0) == 1);
        }
    }
}
