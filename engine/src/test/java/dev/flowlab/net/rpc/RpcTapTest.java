package dev.flowlab.net.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.RpcFrameCapture;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.testing.UnitNodeContext;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frames of watched traces are captured with the bytes on the wire; others cost nothing and are not seen. */
class RpcTapTest {
    private final EventBus bus = new EventBus();
    private final EventBus.Subscription events = bus.subscribe(64);
    private final RpcTap tap = new RpcTap(new UnitNodeContext(NodeSpec.of("gateway-1", NodeKind.GATEWAY), bus, new NodeMetrics("gateway-1", "gateway")));

    private static RpcFrame call(String traceId) {
        Map<String, String> att = new LinkedHashMap<>();
        att.put("host", "www.taobao.lab");
        att.put("x-real-ip", "127.0.100.1");
        return RpcFrame.request(17, traceId, "GET", "/api/item/3", Map.of("color", "red"), att, new byte[0]);
    }

    private List<LabEvent> drained() {
        List<LabEvent> out = new ArrayList<>();
        events.drain(out::add, 64);
        return out;
    }

    @Test
    void watchedTrace_sentAndReceived_areCapturedWithTheBytesOnTheWire() {
        bus.traceMarks().announce("trace-1");
        EmbeddedChannel gateway = new EmbeddedChannel(new RpcFrameDecoder(tap), RpcFrameEncoder.INSTANCE);
        EmbeddedChannel tomcat = new EmbeddedChannel(new RpcFrameDecoder(tap), RpcFrameEncoder.INSTANCE);

        tap.writeAndFlush(gateway, gateway, call("trace-1"));
        ByteBuf wire = gateway.readOutbound();
        byte[] sent = ByteBufUtil.getBytes(wire);
        tomcat.writeInbound(wire);
        RpcFrame received = tomcat.readInbound();

        assertThat(received).isEqualTo(call("trace-1"));
        List<LabEvent> captured = drained();
        assertThat(captured).extracting(LabEvent::type).containsExactly(EventType.TRACE_FRAME, EventType.TRACE_FRAME);
        RpcFrameCapture out = ((Fact.FrameSeen) captured.get(0).fact()).capture();
        RpcFrameCapture in = ((Fact.FrameSeen) captured.get(1).fact()).capture();
        assertThat(out.what()).isEqualTo("request sent");
        assertThat(in.what()).isEqualTo("request received");
        for (RpcFrameCapture c : List.of(out, in)) {
            assertThat(c.head()).isEqualTo(sent);
            assertThat(c.frameBytes()).isEqualTo(sent.length).isEqualTo(RpcWire.encodedLength(received));
            assertThat(c.truncated()).isFalse();
            assertThat(c.requestId()).isEqualTo(17);
            assertThat(c.traceId()).isEqualTo("trace-1");
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).isEqualTo("/api/item/3");
            assertThat(c.params()).containsEntry("color", "red");
            assertThat(c.attachments()).containsEntry("x-real-ip", "127.0.100.1");
            assertThat(c.version()).isEqualTo(RpcWire.VERSION);
        }
        assertThat(out.hexDump()).startsWith("0000  f1 0b 01 01 ");
        assertThat(gateway.finishAndReleaseAll()).isFalse();
        assertThat(tomcat.finishAndReleaseAll()).isFalse();
    }

    @Test
    void responseOfAWatchedTrace_carriesItsStatus() {
        bus.traceMarks().announce("trace-2");
        EmbeddedChannel tomcat = new EmbeddedChannel(RpcFrameEncoder.INSTANCE);
        tap.writeAndFlush(tomcat, tomcat, RpcFrame.response(17, "trace-2", 201, Map.of("x-served-by", "tomcat-1"),
                "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)));
        ((ByteBuf) tomcat.readOutbound()).release();

        LabEvent e = drained().get(0);
        assertThat(e.status()).isEqualTo(201);
        RpcFrameCapture c = ((Fact.FrameSeen) e.fact()).capture();
        assertThat(c.what()).isEqualTo("response sent");
        assertThat(c.isRequest()).isFalse();
        assertThat(c.status()).isEqualTo(201);
        assertThat(c.bodyBytes()).isEqualTo(11);
        assertThat(c.attachments()).containsEntry("x-served-by", "tomcat-1");
        tomcat.finishAndReleaseAll();
    }

    @Test
    void unwatchedTrace_isWrittenAsUsual_andNothingIsCaptured() {
        bus.traceMarks().announce("someone-else");
        EmbeddedChannel gateway = new EmbeddedChannel(new RpcFrameDecoder(tap), RpcFrameEncoder.INSTANCE);
        tap.writeAndFlush(gateway, gateway, call("trace-9"));
        ByteBuf wire = gateway.readOutbound();
        ByteBuf expected = io.netty.buffer.Unpooled.buffer();
        RpcWire.encode(call("trace-9"), expected);
        assertThat(ByteBufUtil.equals(wire, expected)).isTrue();
        gateway.writeInbound(wire);
        assertThat((RpcFrame) gateway.readInbound()).isEqualTo(call("trace-9"));
        expected.release();
        assertThat(drained()).isEmpty();
        gateway.finishAndReleaseAll();
    }

    @Test
    void capture_isBounded_andKeepsOddValuesAsTheyWere() {
        Map<String, String> att = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            att.put("x-h" + i, "v" + i);
        }
        att.put("x-long", "y".repeat(5_000));
        att.put("x-odd=key", "line one\nline two %0A 100%");
        RpcFrame big = RpcFrame.request(3, "t", "POST", "/api/cart", Map.of(), att, new byte[10_000]);
        ByteBuf wire = io.netty.buffer.Unpooled.buffer();
        RpcWire.encode(big, wire);

        RpcFrameCapture c = RpcTap.capture("request sent", "a:1 -> b:2", big, wire, 0, wire.readableBytes());

        assertThat(c.head()).hasSize(RpcFrameCapture.MAX_HEAD_BYTES);
        assertThat(c.truncated()).isTrue();
        assertThat(c.frameBytes()).isEqualTo(wire.readableBytes());
        assertThat(c.bodyBytes()).isEqualTo(10_000);
        assertThat(c.attachments()).hasSize(RpcFrameCapture.MAX_ENTRIES);
        assertThat(c.omittedEntries()).isEqualTo(att.size() - RpcFrameCapture.MAX_ENTRIES);
        assertThat(c.hexDump()).endsWith("more bytes\n");

        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("x-odd=key", "line one\nline two %0A 100%");
        RpcFrame f = RpcFrame.request(4, "t", "GET", "/x", Map.of("a=b", "%25"), odd, new byte[0]);
        ByteBuf w = io.netty.buffer.Unpooled.buffer();
        RpcWire.encode(f, w);
        RpcFrameCapture back = RpcTap.capture("request sent", null, f, w, 0, w.readableBytes());
        assertThat(back.attachments()).containsEntry("x-odd=key", "line one\nline two %0A 100%");
        assertThat(back.params()).containsEntry("a=b", "%25");
        assertThat(back.connection()).isNull();
        assertThat(HexFormat.of().formatHex(back.head())).isEqualTo(ByteBufUtil.hexDump(w));
        wire.release();
        w.release();
    }
}
