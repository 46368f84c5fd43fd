package dev.flowlab.tier.lvs;

import dev.flowlab.metrics.L4Footprint;
import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.live.LiveScenarios;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.Lab;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A DR director hands each connection over and holds no socket, yet every packet from the client
 * still passes it: its figures count the connections and bytes it forwarded (measured) and the
 * packets they make (modelled), and nothing outbound, since DR replies bypass it. In NAT both ways.
 */
class LvsForwardedTrafficTest {
    private static final int CONNECTIONS = 20;

    private static void requests(InetSocketAddress vip) throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket s = new Socket()) {
                s.connect(vip, 5_000);
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /api/item/1 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void directRouting_countsTheClientsPackets_noneOutbound_noSocket() throws Exception {
        try (Lab lab = Stack.lab(LiveScenarios.lvsInFront("dr", 0))) {
            lab.start();
            requests(lab.address("lvs"));
            NodeMetrics m = lab.metrics().node("lvs");
            await("every connection closed at the director").atMost(Duration.ofSeconds(10)).until(m::packetsInTotal,
                    n -> n >= CONNECTIONS * 6L);
            assertThat(m.connectionsScheduled()).isEqualTo(CONNECTIONS);
            // per connection: SYN, ACK, the request (one segment), an ACK of the reply, FIN, ACK
            assertThat(m.packetsInTotal()).isBetween(CONNECTIONS * 6L, CONNECTIONS * 8L);
            assertThat(m.bytesInTotal()).isPositive();
            assertThat(m.packetsOutTotal()).isZero();
            assertThat(m.bytesOutTotal()).isZero();
            L4Footprint f = ((LvsDirector) lab.node("lvs").orElseThrow()).footprint();
            assertThat(f.labSockets()).isZero();
            assertThat(f.connections()).isEqualTo(CONNECTIONS);
            assertThat(f.describe()).contains("DR replies bypass the director").contains("(modelled");
            await("the snapshot's connection rate").atMost(Duration.ofSeconds(5)).until(
                    // Until the first snapshot after the traffic (every 100 ms) the director is not in it yet.
                    () -> lab.metrics().latest().nodes().stream().filter(n -> n.node().equals("lvs")).findFirst().orElse(null),
                    s -> s != null && s.connectionsPerSecond() > 0 && s.packetsInPerSecond() > 0 && s.packetsOutPerSecond() == 0);
        }
    }

    @Test
    void nat_countsBothWays() throws Exception {
        try (Lab lab = Stack.lab(LiveScenarios.lvsInFront("nat", 0))) {
            lab.start();
            requests(lab.address("lvs"));
            NodeMetrics m = lab.metrics().node("lvs");
            await("every connection closed at the director").atMost(Duration.ofSeconds(10)).until(m::packetsOutTotal,
                    n -> n >= CONNECTIONS * 5L);
            assertThat(m.connectionsScheduled()).isEqualTo(CONNECTIONS);
            assertThat(m.packetsInTotal()).isGreaterThanOrEqualTo(CONNECTIONS * 6L);
            assertThat(m.bytesOutTotal()).isPositive();
        }
    }
}
