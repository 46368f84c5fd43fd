package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodilessRequestsTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new HttpServerCodec(), new BodilessRequests(), new HttpObjectAggregator(1 << 16));
    }

    private static FullHttpRequest send(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
        return ch.readInbound();
    }

    @Test
    void getWithoutBody_becomesOneFullRequest_withItsHeaders() {
        EmbeddedChannel ch = channel();
        FullHttpRequest req = send(ch, "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Lab-Trace: t1\r\n\r\n");
        assertThat(req.uri()).isEqualTo("/a?b=1");
        assertThat(req.headers().get("X-Lab-Trace")).isEqualTo("t1");
        assertThat(req.content().readableBytes()).isZero();
        assertThat(req.decoderResult().isSuccess()).isTrue();
        req.release();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void pipelinedGets_andAPostWithABody_arriveWholeAndInOrder() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        FullHttpRequest first = ch.readInbound();
        FullHttpRequest post = ch.readInbound();
        FullHttpRequest third = ch.readInbound();
        assertThat(first.uri()).isEqualTo("/1");
        assertThat(post.uri()).isEqualTo("/2");
        assertThat(post.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(third.uri()).isEqualTo("/3");
        first.release();
        post.release();
        third.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void chunkedBody_isLeftToTheAggregator() {
        EmbeddedChannel ch = channel();
        FullHttpRequest req = send(ch, "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(req.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        req.release();
        assertThat(ch.finish()).isFalse();
    }
}
