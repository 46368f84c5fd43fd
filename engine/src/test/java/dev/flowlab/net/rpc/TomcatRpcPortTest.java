package dev.flowlab.net.rpc;

import static org.awaitility.Awaitility.await;
import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tomcat's port speaks HTTP and the lab RPC protocol (port unification), checked over raw sockets. */
class TomcatRpcPortTest {
    private static Lab tomcat() {
        Lab lab = Stack.lab(new Scenario(Scenario.FORMAT, "tomcat rpc", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null));
        lab.start();
        return lab;
    }

    private static byte[] bytes(RpcFrame f) {
        ByteBuf b = Unpooled.buffer();
        RpcWire.encode(f, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static RpcFrame readFrame(InputStream in) throws Exception {
        DataInputStream d = new DataInputStream(in);
        byte[] header = new byte[RpcWire.HEADER_BYTES];
        d.readFully(header);
        int length = ((header[4] & 0xFF) << 24) | ((header[5] & 0xFF) << 16) | ((header[6] & 0xFF) << 8) | (header[7] & 0xFF);
        byte[] rest = new byte[length];
        d.readFully(rest);
        return RpcWire.decode(Unpooled.wrappedBuffer(header, rest));
    }

    @Test
    void rpcCalls_onTheHttpPort_areAnsweredInOrderOnOneConnection() throws Exception {
        try (Lab lab = tomcat()) {
            InetSocketAddress a = lab.address("tomcat-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(bytes(RpcFrame.request(1, "t-1", "GET", "/api/item/42", Map.of(), Map.of(), null)));
                out.write(bytes(RpcFrame.request(2, "t-2", "GET", "/api/search", Map.of("q", "tea"), Map.of(), null)));
                out.write(bytes(RpcFrame.request(3, "t-3", "GET", "/api/me", Map.of(), Map.of("X-Consumer-Username", "alice"), null)));
                out.flush();
                RpcFrame one = readFrame(s.getInputStream());
                assertThat(one.requestId()).isEqualTo(1);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.attachments()).containsEntry("content-type", "application/json;charset=UTF-8").containsEntry("x-served-by", "tomcat-1");
                assertThat(one.bodyText()).startsWith("{\"id\":42,");
                RpcFrame two = readFrame(s.getInputStream());
                assertThat(two.requestId()).isEqualTo(2);
                assertThat(two.traceId()).isEqualTo("t-2");
                assertThat(two.bodyText()).startsWith("{\"query\":\"tea\"");
                assertThat(readFrame(s.getInputStream()).bodyText()).isEqualTo("{\"principal\":\"alice\",\"servedBy\":\"tomcat-1\"}");
            }
            // the same port still speaks HTTP
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 \r\n")
                        .endsWith("{\"status\":\"UP\"}");
            }
        }
    }

    @Test
    void malformedFrames_closeTheConnection_withAnErrorEvent() throws Exception {
        try (Lab lab = tomcat();
             EventBus.Subscription sub = lab.events().subscribe(1000, e -> e.type() == EventType.ERROR && "tomcat-1".equals(e.node()))) {
            InetSocketAddress a = lab.address("tomcat-1");
            byte[] good = bytes(RpcFrame.request(1, "", "GET", "/health", Map.of(), Map.of(), null));
            byte[] badVersion = good.clone();
            badVersion[2] = 7;
            byte[] badLength = good.clone();
            badLength[7] = (byte) (badLength[7] - 1);
            byte[] hugeLength = {(byte) 0xF1, 0x0B, 1, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
            byte[] response = bytes(RpcFrame.response(1, "", 200, Map.of(), null));
            for (byte[] bad : List.of(badVersion, badLength, hugeLength, response)) {
                try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(bad);
                    s.getOutputStream().flush();
                    assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
                } catch (java.net.SocketException reset) {
                    // a reset is a close too
                }
            }
            List<String> details = new java.util.ArrayList<>();
            await("four protocol errors").atMost(Duration.ofSeconds(5)).until(() -> {
                for (LabEvent e; (e = sub.poll()) != null; ) {
                    details.add(e.detail());
                }
                return details.size() >= 4;
            });
            assertThat(details).allSatisfy(d -> assertThat(d).startsWith("RPC protocol error, connection closed: "));
            assertThat(String.join("\n", details)).contains("unsupported version 7").contains("exceeds the limit")
                    .contains("a response frame sent to the server");
        }
    }
}
