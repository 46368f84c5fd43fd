package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot hold the Nginx tier or the gateway: nginx's client_header_timeout counts the
 * whole header from its first byte (a byte every 200 ms does not restart it), client_body_timeout
 * runs between reads of a body, keepalive_timeout closes an idle connection, each as configured.
 */
@Tag("reliability")
class SlowClientsTest {
    private static final String SCENARIO = """
            {"format": 1, "name": "slow clients", "nodes": [
              {"id": "client", "kind": "client"},
              {"id": "nginx-1", "kind": "nginx", "config": {"clientHeaderTimeout": "1s", "clientBodyTimeout": "1s", "keepaliveTimeout": "1s"}},
              {"id": "gateway-1", "kind": "gateway", "config": {"clientHeaderTimeout": "1s", "clientBodyTimeout": "1s", "keepaliveTimeout": "1s"}},
              {"id": "tomcat-1", "kind": "tomcat"}],
             "links": [{"from": "client", "to": "nginx-1"}, {"from": "nginx-1", "to": "gateway-1"}, {"from": "gateway-1", "to": "tomcat-1"}]}
            """;

    /** Non-blocking connections that each get {@code step} every 200 ms, until the server closes them or the deadline. */
    private static int stillOpenAfter(InetSocketAddress to, int connections, String first, String step, long deadlineMillis) throws Exception {
        List<SocketChannel> open = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(to);
            ch.configureBlocking(false);
            if (!first.isEmpty()) {
                ch.write(ByteBuffer.wrap(first.getBytes(StandardCharsets.ISO_8859_1)));
            }
            open.add(ch);
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        while (!open.isEmpty() && System.nanoTime() < end) {
            for (var it = open.iterator(); it.hasNext(); ) {
                SocketChannel ch = it.next();
                boolean closed;
                try {
                    sink.clear();
                    closed = ch.read(sink) < 0;
                    if (!closed && !step.isEmpty()) {
                        ch.write(ByteBuffer.wrap(step.getBytes(StandardCharsets.ISO_8859_1)));
                    }
                } catch (IOException e) {
                    closed = true;
                }
                if (closed) {
                    ch.close();
                    it.remove();
                }
            }
            TimeUnit.MILLISECONDS.sleep(200); // the slow client's pace, not a wait for an outcome
        }
        int left = open.size();
        for (SocketChannel ch : open) {
            ch.close();
        }
        return left;
    }

    @Test
    void slowloris_aByteEvery200ms_isClosedByClientHeaderTimeout_atNginxAndTheGateway() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(SCENARIO, "slow-clients.json"))) {
            lab.start();
            for (String tier : List.of("nginx-1", "gateway-1")) {
                // 40 connections, a header that never ends: "GET / HTTP/1.1\r\nX-a: b" then one byte every 200 ms
                int left = stillOpenAfter(lab.address(tier), 40, "GET / HTTP/1.1\r\nHost: x\r\nX-a: ", "b", 15_000);
                assertThat(left).as(tier + ": connections the slow clients still hold").isZero();
                assertThat(lab.metrics().node(tier).errorsByCause()).as(tier).containsKey("client_timeout");
            }
        }
    }

    @Test
    void halfARequestLine_andABodyThatStops_areClosed_atNginxAndTheGateway() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(SCENARIO, "slow-clients.json"))) {
            lab.start();
            for (String tier : List.of("nginx-1", "gateway-1")) {
                assertThat(stillOpenAfter(lab.address(tier), 10, "GET /api/sea", "", 15_000)).as(tier + " half line").isZero();
                assertThat(stillOpenAfter(lab.address(tier), 10, "POST /api/cart HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":", "", 15_000))
                        .as(tier + " stalled body").isZero();
            }
        }
    }

    @Test
    void idleKeepAliveConnections_closeAfterTheConfiguredKeepaliveTimeout() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(SCENARIO, "slow-clients.json"))) {
            lab.start();
            for (String tier : List.of("nginx-1", "gateway-1")) {
                // one whole request, then silence: the answer comes, then keepalive_timeout (1s) closes the connection
                assertThat(stillOpenAfter(lab.address(tier), 10, "GET /api/item/1 HTTP/1.1\r\nHost: x\r\n\r\n", "", 15_000))
                        .as(tier + " idle keep-alive").isZero();
            }
        }
    }
}
