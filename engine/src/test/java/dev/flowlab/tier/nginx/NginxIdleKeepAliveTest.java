package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An idle keep-alive client connection is parked (its pipeline stripped to the connection
 * handler, its keep-alive wait on the loop's idle list) and woken by its next request's first
 * bytes: on the wire nothing changes, whether that request comes whole, in pieces, pipelined or
 * with a body, and keepalive_timeout still closes it.
 */
class NginxIdleKeepAliveTest {
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;

    @BeforeEach
    void useTestUpstream() {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
    }

    private static NginxConfig keepalive(Duration timeout) {
        return new NginxConfig(null, null, null, null, null, null, null, null, null, null, timeout, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void parkedConnection_servesWholeSplitPipelinedAndBodiedRequests() throws Exception {
        try (Lab lab = tier.lab(NginxProxyTest.scenario(1, NginxConfig.EMPTY))) {
            lab.start();
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                send(out, "GET /api/a HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response(in)).startsWith("HTTP/1.1 200").contains("hello from tomcat-1");
                awaitParked(nginx, 1);
                assertThat(lab.metrics().node("nginx-1").activeConnections()).as("a parked connection is open").isEqualTo(1);

                // a request whose head comes in two pieces: the first wakes the connection
                send(out, "GET /api/b HT");
                awaitParked(nginx, 0);
                send(out, "TP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response(in)).startsWith("HTTP/1.1 200");
                awaitParked(nginx, 1);

                // two pipelined requests in one write
                send(out, "GET /api/c HTTP/1.1\r\nHost: x\r\n\r\nGET /api/d HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response(in)).startsWith("HTTP/1.1 200");
                assertThat(response(in)).startsWith("HTTP/1.1 200");
                awaitParked(nginx, 1);

                // a body
                send(out, "POST /api/e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
                assertThat(response(in)).startsWith("HTTP/1.1 200");
                awaitParked(nginx, 1);

                // a malformed request after the wake: nginx's 400 and close, as on a fresh connection
                send(out, "GET /api/f HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
                assertThat(response(in)).startsWith("HTTP/1.1 400");
                assertThat(in.read()).as("closed after the 400").isEqualTo(-1);
            }
            assertThat(upstream.seen("tomcat-1")).extracting(TestUpstream.Seen::uri)
                    .containsExactly("/api/a", "/api/b", "/api/c", "/api/d", "/api/e");
            assertThat(upstream.seen("tomcat-1").get(4).body()).isEqualTo("hello");
            await().atMost(Duration.ofSeconds(5)).until(() -> nginx.parkedConnections() == 0
                    && lab.metrics().node("nginx-1").activeConnections() == 0);
        }
    }

    @Test
    void parkedConnection_closedAtKeepaliveTimeout() throws Exception {
        try (Lab lab = tier.lab(NginxProxyTest.scenario(1, keepalive(Duration.ofMillis(1200))))) {
            lab.start();
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(10_000);
                send(s.getOutputStream(), "GET /api/a HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200");
                long answered = System.nanoTime();
                awaitParked(nginx, 1);
                assertThat(s.getInputStream().read()).as("closed at keepalive_timeout, nothing sent").isEqualTo(-1);
                long waitedMs = (System.nanoTime() - answered) / 1_000_000;
                assertThat(waitedMs).as("closed no earlier than keepalive_timeout").isGreaterThanOrEqualTo(1100);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> nginx.parkedConnections() == 0
                    && lab.metrics().node("nginx-1").activeConnections() == 0);
        }
    }

    @Test
    void drain_closesParkedConnections() throws Exception {
        try (Lab lab = tier.lab(NginxProxyTest.scenario(1, NginxConfig.EMPTY))) {
            lab.start();
            NginxServer nginx = (NginxServer) lab.node("nginx-1").orElseThrow();
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(10_000);
                send(s.getOutputStream(), "GET /api/a HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 200");
                awaitParked(nginx, 1);
                nginx.stop(Duration.ofSeconds(5));
                assertThat(s.getInputStream().read()).as("closed by the graceful stop").isEqualTo(-1);
            }
        }
    }

    private static void awaitParked(NginxServer nginx, int n) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> nginx.parkedConnections() == n);
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One response with a Content-Length body, read whole. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
