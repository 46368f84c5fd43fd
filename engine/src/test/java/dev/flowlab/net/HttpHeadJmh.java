package dev.flowlab.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decoding a browser's request head (eight headers, 420 bytes) with Netty's HTTP/1.1 decoder, as
 * every HTTP tier of the lab does per request: the cost issue 22's lean proxy path would cut.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpHeadJmh {
    private static final byte[] HEAD = ("GET /search?q=phone HTTP/1.1\r\n"
            + "Host: www.taobao.lab\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=4f2a9c1e; cart=3\r\n"
            + "X-Lab-Trace: 9e3779b97f4a7c15\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private EmbeddedChannel channel;
    private ByteBuf head;

    @Setup
    public void setUp() {
        channel = new EmbeddedChannel(new HttpRequestDecoder());
        head = Unpooled.unreleasableBuffer(Unpooled.directBuffer(HEAD.length).writeBytes(HEAD));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int decodeHead() {
        channel.writeInbound(head.retainedDuplicate());
        int n = 0;
        HttpObject o;
        while ((o = channel.readInbound()) != null) {
            n++;
            ReferenceCountUtil.release(o);
        }
        return n;
    }
}
