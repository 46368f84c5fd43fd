package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.testing.EchoTier;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TcpServerNode}'s extra listener on a VIP: bound only while held, shared by two holders, reset on release. */
class VipListenerTest {
    private TestLabs tier;

    @BeforeEach
    void useEchoTier() {
        tier = TestLabs.with(NodeKind.GATEWAY, EchoTier::new);
    }


    private static Scenario twoEchoes() {
        return new Scenario(Scenario.FORMAT, "echo", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("e1", NodeKind.GATEWAY), NodeSpec.of("e2", NodeKind.GATEWAY)),
                List.of(LinkSpec.of("client", "e1"), LinkSpec.of("client", "e2")), null, null);
    }

    private static InetSocketAddress freeVip() throws IOException {
        InetAddress host = InetAddress.getByName("127.0.10.250");
        try (ServerSocket probe = new ServerSocket(0, 1, host)) {
            return new InetSocketAddress(host, probe.getLocalPort());
        }
    }

    private static TcpServerNode node(Lab lab, String id) {
        return (TcpServerNode) lab.node(id).orElseThrow();
    }

    private static String echo(InetSocketAddress to, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(text.getBytes());
            byte[] buf = new byte[text.length()];
            int n = s.getInputStream().readNBytes(buf, 0, buf.length);
            return new String(buf, 0, n);
        }
    }

    @Test
    void heldVip_answersWithTheNodesPipeline_releasedVip_refusesConnections() throws Exception {
        try (Lab lab = tier.lab(twoEchoes())) {
            lab.start();
            InetSocketAddress vip = freeVip();
            TcpServerNode e1 = node(lab, "e1");
            assertThat(e1.holdsVip()).isFalse();
            e1.holdVip(vip).get();
            assertThat(e1.holdsVip()).isTrue();
            assertThat(echo(vip, "hello")).isEqualTo("hello");
            assertThat(echo(e1.address(), "own")).isEqualTo("own");

            e1.releaseVip().get();
            assertThat(e1.holdsVip()).isFalse();
            // Refused, or (while NIO finishes closing the listener) accepted by the kernel and reset: never served.
            assertThatThrownBy(() -> echo(vip, "x")).isInstanceOf(IOException.class);
            assertThat(echo(e1.address(), "still")).isEqualTo("still");
        }
    }

    @Test
    void release_resetsConnectionsThatCameThroughTheVip_only() throws Exception {
        try (Lab lab = tier.lab(twoEchoes())) {
            lab.start();
            InetSocketAddress vip = freeVip();
            TcpServerNode e1 = node(lab, "e1");
            e1.holdVip(vip).get();
            try (Socket viaVip = new Socket(); Socket direct = new Socket()) {
                viaVip.connect(vip, 1000);
                direct.connect(e1.address(), 1000);
                viaVip.setSoTimeout(3000);
                await("both connections accepted").atMost(Duration.ofSeconds(5)).until(() -> e1.openConnections() == 2);

                e1.releaseVip().get();

                assertThatThrownBy(() -> viaVip.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
                direct.getOutputStream().write("ok".getBytes());
                direct.setSoTimeout(2000);
                assertThat(new String(direct.getInputStream().readNBytes(2))).isEqualTo("ok");
            }
        }
    }

    @Test
    void twoHolders_bothBindTheVip_theKernelSpreadsNewConnections() throws Exception {
        try (Lab lab = tier.lab(twoEchoes())) {
            lab.start();
            InetSocketAddress vip = freeVip();
            node(lab, "e1").holdVip(vip).get();
            node(lab, "e2").holdVip(vip).get();
            assertThat(node(lab, "e1").holdsVip()).isTrue();
            assertThat(node(lab, "e2").holdsVip()).isTrue();
            Set<String> acceptedBy = new HashSet<>();
            for (int i = 0; i < 200 && acceptedBy.size() < 2; i++) {
                int before1 = node(lab, "e1").openConnections();
                try (Socket s = new Socket()) {
                    s.connect(vip, 1000);
                    await("accepted").atMost(Duration.ofSeconds(5)).until(
                            () -> node(lab, "e1").openConnections() + node(lab, "e2").openConnections() > 0);
                    acceptedBy.add(node(lab, "e1").openConnections() > before1 ? "e1" : "e2");
                }
                await("closed").atMost(Duration.ofSeconds(5)).until(
                        () -> node(lab, "e1").openConnections() + node(lab, "e2").openConnections() == 0);
            }
            assertThat(acceptedBy).containsExactlyInAnyOrder("e1", "e2");
        }
    }

    @Test
    void vipWantedWhileDown_isBoundWhenTheNodeStarts_andGoesWithAKill() throws Exception {
        try (Lab lab = tier.lab(twoEchoes())) {
            lab.start();
            InetSocketAddress vip = freeVip();
            TcpServerNode e1 = node(lab, "e1");
            lab.kill("e1").get();
            e1.holdVip(vip).get();
            assertThat(e1.holdsVip()).isFalse();
            lab.startNode("e1").get();
            assertThat(e1.holdsVip()).isTrue();
            assertThat(echo(vip, "back")).isEqualTo("back");
            lab.kill("e1").get();
            assertThat(e1.holdsVip()).isFalse();
            assertThatThrownBy(() -> echo(vip, "x")).isInstanceOf(IOException.class);
        }
    }
}
