package dev.flowlab.client;

import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only HTTP tier standing in for Tomcat: answers 200 "ok" with {@code X-Served-By: <id>},
 * after a per-node delay; a node can be told never to answer. Records the requests' headers and
 * the most requests it held at once.
 */
public final class TestHttpTier extends TcpServerNode {
    /** Per node id: how long to wait before answering; {@link #NEVER} = never answer. */
    public static final Map<String, Duration> DELAY = new ConcurrentHashMap<>();
    public static final Duration NEVER = Duration.ofDays(1);
    public static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    public static final Map<String, AtomicInteger> MAX_IN_FLIGHT = new ConcurrentHashMap<>();
    public static final Map<String, Queue<HttpHeaders>> HEADERS = new ConcurrentHashMap<>();
    public static final Map<String, Queue<String>> PATHS = new ConcurrentHashMap<>();
    public static final Map<String, Queue<String>> CALLER_HOSTS = new ConcurrentHashMap<>();
    /** Nodes whose requests are recorded (headers, paths, callers); off by default to keep load tests light. */
    public static final java.util.Set<String> RECORDING = ConcurrentHashMap.newKeySet();

    public TestHttpTier(NodeContext context) {
        super(context);
    }

    public static void reset() {
        DELAY.clear();
        IN_FLIGHT.clear();
        MAX_IN_FLIGHT.clear();
        HEADERS.clear();
        PATHS.clear();
        CALLER_HOSTS.clear();
        RECORDING.clear();
    }

    public static int maxInFlight(String id) {
        AtomicInteger n = MAX_IN_FLIGHT.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    protected void initChild(SocketChannel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Answer());
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String id = id();
            if (RECORDING.contains(id)) {
                HEADERS.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(req.headers().copy());
                PATHS.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(req.uri());
                if (ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a) {
                    CALLER_HOSTS.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(a.getAddress().getHostAddress());
                }
            }
            int now = IN_FLIGHT.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            MAX_IN_FLIGHT.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Duration delay = DELAY.getOrDefault(id, Duration.ZERO);
            if (delay.equals(NEVER)) {
                return;
            }
            Runnable answer = () -> {
                IN_FLIGHT.get(id).decrementAndGet();
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                res.headers().set("X-Served-By", id);
                HttpUtil.setContentLength(res, 2);
                HttpUtil.setKeepAlive(res, keepAlive);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                var f = ctx.writeAndFlush(res);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            };
            if (delay.isZero()) {
                answer.run();
            } else {
                ctx.executor().schedule(answer, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }
}
