package dev.flowlab.net.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
    private static RpcFrame search() {
        Map<String, String> att = new LinkedHashMap<>();
        att.put("accept", "application/json");
        att.put("x-consumer-username", "alice");
        return RpcFrame.request(7, "t-1", "GET", "/api/search", Map.of("q", "phone"), att, new byte[0]);
    }

    private static ByteBuf encode(RpcFrame f) {
        ByteBuf b = Unpooled.buffer();
        RpcWire.encode(f, b);
        return b;
    }

    @Test
    void requestAndResponse_roundTripThroughEncoderAndDecoder() {
        RpcFrame cart = RpcFrame.request(Long.MAX_VALUE, "trace-\u00e9", "POST", "/api/cart", Map.of(),
                Map.of("content-type", "application/json"), "{\"item\":42,\"name\":\"\u8336\"}".getBytes(StandardCharsets.UTF_8));
        RpcFrame reply = RpcFrame.response(7, "t-1", 404, Map.of("content-type", "application/json", "x-served-by", "tomcat-1"),
                "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder(), RpcFrameEncoder.INSTANCE);
        for (RpcFrame f : new RpcFrame[] {search(), cart, reply}) {
            assertThat(ch.writeOutbound(f)).isTrue();
            ByteBuf wire = ch.readOutbound();
            assertThat(wire.readableBytes()).isEqualTo(RpcWire.encodedLength(f));
            assertThat(wire.getUnsignedShort(0)).isEqualTo(0xF10B);
            assertThat(ch.writeInbound(wire)).isTrue();
            RpcFrame back = ch.readInbound();
            assertThat(back).isEqualTo(f);
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void framesSplitAndCoalesced_areReassembled() {
        ByteBuf two = Unpooled.buffer();
        RpcWire.encode(search(), two);
        RpcWire.encode(RpcFrame.response(7, "t-1", 200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8)), two);
        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder());
        while (two.isReadable()) {
            ch.writeInbound(two.readRetainedSlice(Math.min(3, two.readableBytes())));
        }
        two.release();
        assertThat(((RpcFrame) ch.readInbound()).path()).isEqualTo("/api/search");
        assertThat(((RpcFrame) ch.readInbound()).status()).isEqualTo(200);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void badMagic_isRejectedAtOnce_evenBeforeAWholeHeader() {
        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder());
        ByteBuf http = Unpooled.copiedBuffer("GE", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ch.writeInbound(http))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("bad magic");
        // closing decodes what is left once more, which fails the same way
        assertThatThrownBy(ch::finishAndReleaseAll).isInstanceOf(RpcProtocolException.class);
    }

    @Test
    void unsupportedVersion_unknownType_andHugeLength_areRejected() {
        ByteBuf f = encode(search());
        f.setByte(2, 9);
        assertThatThrownBy(() -> new EmbeddedChannel(new RpcFrameDecoder()).writeInbound(f))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("unsupported version 9");

        ByteBuf g = encode(search());
        g.setByte(3, 5);
        assertThatThrownBy(() -> new EmbeddedChannel(new RpcFrameDecoder()).writeInbound(g))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("unknown frame type 5");

        ByteBuf h = Unpooled.buffer().writeShort(RpcWire.MAGIC).writeByte(1).writeByte(1).writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> new EmbeddedChannel(new RpcFrameDecoder()).writeInbound(h))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void lengthsThatDoNotFitTheFrame_areRejected() {
        // a path length pointing past the end of the frame
        ByteBuf f = encode(search());
        int pathLengthAt = RpcWire.HEADER_BYTES + 8 + 2 + 3 + 1 + 3;
        f.setShort(pathLengthAt, 60_000);
        assertThatThrownBy(() -> RpcWire.decode(f)).isInstanceOf(RpcProtocolException.class).hasMessageContaining("path length");

        // bytes after the body
        ByteBuf g = Unpooled.buffer();
        RpcWire.encode(search(), g);
        g.writeByte(0);
        g.setInt(RpcWire.LENGTH_FIELD_OFFSET, g.readableBytes() - RpcWire.HEADER_BYTES);
        assertThatThrownBy(() -> RpcWire.decode(g)).isInstanceOf(RpcProtocolException.class).hasMessageContaining("unexpected bytes");

        // a status outside 100..599
        ByteBuf h = encode(RpcFrame.response(1, "", 200, Map.of(), new byte[0]));
        h.setShort(RpcWire.HEADER_BYTES + 8 + 2, 999);
        assertThatThrownBy(() -> RpcWire.decode(h)).isInstanceOf(RpcProtocolException.class).hasMessageContaining("invalid status 999");

        // a path that is not a path
        assertThatThrownBy(() -> RpcWire.decode(encode(RpcFrame.request(1, "", "GET", "api", Map.of(), Map.of(), null))))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("path must start with /");
    }

    @Test
    void summary_showsTheFrameFieldByField() {
        assertThat(search().summary()).startsWith("RPC v1 REQUEST #7 trace=t-1 GET /api/search params{q=phone} attachments{")
                .contains("x-consumer-username=alice").endsWith("body=0 B (" + RpcWire.encodedLength(search()) + " B framed)");
    }

    @Test
    void tooLongFrameException_isNotThrownForLegalSizes() {
        byte[] big = new byte[1024 * 1024];
        RpcFrame f = RpcFrame.response(1, "", 200, Map.of(), big);
        EmbeddedChannel ch = new EmbeddedChannel(new RpcFrameDecoder());
        try {
            ch.writeInbound(encode(f));
        } catch (DecoderException e) {
            assertThat(e).isNotInstanceOf(TooLongFrameException.class);
            throw e;
        }
        assertThat(((RpcFrame) ch.readInbound()).body()).hasSize(big.length);
        ch.finish();
    }
}
