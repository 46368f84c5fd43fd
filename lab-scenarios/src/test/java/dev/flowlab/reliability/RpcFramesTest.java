package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.net.rpc.RpcFrame;
import dev.flowlab.net.rpc.RpcWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Tomcat tier's RPC port under hostile frames: a trickled frame is dropped after
 * connectionTimeout, an announced frame over the limit at once, and a corpus of mutated frames
 * never crashes it, never gets a 5xx, and leaves it answering good calls.
 */
@Tag("reliability")
class RpcFramesTest {
    private static final String SCENARIO = """
            {"format": 1, "name": "rpc frames", "nodes": [
              {"id": "client", "kind": "client"},
              {"id": "tomcat-1", "kind": "tomcat", "config": {"connectionTimeout": "1s"}}],
             "links": [{"from": "client", "to": "tomcat-1"}]}
            """;

    private static byte[] call(long id, String method, String path, Map<String, String> attachments) {
        ByteBuf b = Unpooled.buffer();
        RpcWire.encode(RpcFrame.request(id, "t-" + id, method, path, Map.of(), attachments, new byte[0]), b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    /** Sends bytes, then reads: the reply frame's status, or -1 when the connection closed without one. */
    private static int replyStatus(InetSocketAddress to, byte[] bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(to, 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(bytes);
            // all of it: the server sees the end at once rather than waiting for a frame's rest
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] header = in.readNBytes(RpcWire.HEADER_BYTES);
            if (header.length < RpcWire.HEADER_BYTES) {
                return header.length >= 5 && new String(header, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("HTTP/")
                        ? Raw.status(new String(header, java.nio.charset.StandardCharsets.ISO_8859_1) + new String(in.readNBytes(8), java.nio.charset.StandardCharsets.ISO_8859_1)) : -1;
            }
            if (new String(header, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("HTTP/")) {
                // a flipped magic byte: the port took it for HTTP, and Tomcat's HTTP side answered
                return Raw.status(new String(header, java.nio.charset.StandardCharsets.ISO_8859_1) + new String(in.readNBytes(8), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            int length = ByteBuffer.wrap(header, 4, 4).getInt();
            byte[] rest = in.readNBytes(length);
            RpcFrame reply = RpcWire.decode(Unpooled.wrappedBuffer(header, rest));
            return reply.status();
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return -1;
        }
    }

    @Test
    void aTrickledFrame_isDroppedAfterConnectionTimeout_andAnOversizedOneAtOnce() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(SCENARIO, "rpc-frames.json"))) {
            lab.start();
            InetSocketAddress t = lab.address("tomcat-1");
            // 30 connections announce a frame of 1 MB and send its first 16 KB, then a byte every 200 ms
            ByteBuffer head = ByteBuffer.allocate(16 * 1024);
            head.putShort((short) RpcWire.MAGIC).put((byte) RpcWire.VERSION).put((byte) 1).putInt(1024 * 1024);
            List<SocketChannel> open = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                SocketChannel ch = SocketChannel.open(t);
                ch.write(head.duplicate().rewind());
                ch.configureBlocking(false);
                open.add(ch);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            ByteBuffer sink = ByteBuffer.allocate(1024);
            while (!open.isEmpty() && System.nanoTime() < end) {
                for (var it = open.iterator(); it.hasNext(); ) {
                    SocketChannel ch = it.next();
                    boolean closed;
                    try {
                        sink.clear();
                        closed = ch.read(sink) < 0;
                        if (!closed) {
                            ch.write(ByteBuffer.wrap(new byte[] {0}));
                        }
                    } catch (java.io.IOException e) {
                        closed = true;
                    }
                    if (closed) {
                        ch.close();
                        it.remove();
                    }
                }
                TimeUnit.MILLISECONDS.sleep(200); // the trickler's pace
            }
            int left = open.size();
            for (SocketChannel ch : open) {
                ch.close();
            }
            assertThat(left).as("trickled frames still held").isZero();
            assertThat(lab.metrics().node("tomcat-1").errorsByCause()).containsKey("rpc_frame_timeout");

            ByteBuffer huge = ByteBuffer.allocate(RpcWire.HEADER_BYTES);
            huge.putShort((short) RpcWire.MAGIC).put((byte) RpcWire.VERSION).put((byte) 1).putInt(RpcWire.MAX_FRAME_BYTES);
            assertThat(replyStatus(t, huge.array())).as("a frame announced over the limit").isEqualTo(-1);
            assertThat(replyStatus(t, call(1, "GET", "/api/item/1", Map.of()))).isEqualTo(200);
        }
    }

    @Test
    void mutatedFrames_neverA5xx_andGoodCallsStillServed() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(SCENARIO, "rpc-frames.json"))) {
            lab.start();
            InetSocketAddress t = lab.address("tomcat-1");
            byte[] good = call(7, "GET", "/api/item/3", Map.of("accept", "application/json"));
            Random random = new Random(42);
            List<byte[]> corpus = new ArrayList<>();
            // the classes: odd but valid methods and names (answered), attachments that are not tokens (protocol error),
            // truncations, flipped bytes, lengths that lie
            corpus.add(call(1, "M-SEARCH", "/api/search", Map.of()));
            corpus.add(call(2, "get", "/api/search", Map.of()));
            corpus.add(call(3, "GET", "/api/search", Map.of("bad name", "v")));
            corpus.add(call(4, "GET", "/api/search", Map.of("x-a", "line\r\nbreak")));
            for (int cut = 1; cut < good.length; cut += 3) {
                corpus.add(java.util.Arrays.copyOf(good, cut));
            }
            for (int i = 0; i < 200; i++) {
                byte[] m = good.clone();
                m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
                corpus.add(m);
            }
            for (int i = 0; i < 50; i++) {
                byte[] m = good.clone();
                int at = RpcWire.HEADER_BYTES + random.nextInt(m.length - RpcWire.HEADER_BYTES - 1);
                m[at] = (byte) 0xFF;
                m[at + 1] = (byte) 0xFF;
                corpus.add(m);
            }
            int answered = 0;
            int closed = 0;
            for (byte[] frame : corpus) {
                int s = replyStatus(t, frame);
                // 501 is the shop's (HttpServlet's) answer to a method it does not implement, as on the real Tomcat
                assertThat(s >= 500 && s <= 599 && s != 501).as("a mutated frame got a 5xx: " + s).isFalse();
                if (s < 0) {
                    closed++;
                } else {
                    answered++;
                }
            }
            System.out.printf("RPC corpus: %d frames, %d answered (valid after mutation), %d refused and closed%n", corpus.size(), answered, closed);
            assertThat(closed).isPositive();
            assertThat(replyStatus(t, good)).isEqualTo(200);
            assertThat(lab.state("tomcat-1").id()).isEqualTo("running");
        }
    }
}
