package dev.flowlab.client;

import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.runtime.TierFactory;
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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only HTTP tier standing in for Tomcat, as an ordinary per-lab factory (no static state):
 * its servers answer 200 "ok" with {@code X-Served-By: <id>}, after a per-node delay on the lab's
 * clock; a node can be told never to answer. It records the requests' headers (when asked), how
 * many requests each node holds and the most it held at once.
 */
public final class TestHttpTier implements TierFactory {
    public static final Duration NEVER = Duration.ofDays(1);

    private final Map<String, Duration> delay = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, Queue<HttpHeaders>> headers = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> paths = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> callerHosts = new ConcurrentHashMap<>();
    /** Nodes whose requests are recorded (headers, paths, callers); off by default to keep load tests light. */
    private final Set<String> recording = ConcurrentHashMap.newKeySet();

    /** Node {@code id} waits this long (on the lab's clock) before answering; {@link #NEVER} = never answers. */
    public TestHttpTier delay(String id, Duration d) {
        delay.put(id, d);
        return this;
    }

    /** Records node {@code id}'s requests: headers, paths, callers. */
    public TestHttpTier recording(String id) {
        recording.add(id);
        return this;
    }

    public List<HttpHeaders> headers(String id) {
        return List.copyOf(headers.getOrDefault(id, new ConcurrentLinkedQueue<>()));
    }

    public List<String> paths(String id) {
        return List.copyOf(paths.getOrDefault(id, new ConcurrentLinkedQueue<>()));
    }

    public List<String> callerHosts(String id) {
        return List.copyOf(callerHosts.getOrDefault(id, new ConcurrentLinkedQueue<>()));
    }

    /** Requests node {@code id} has received and not answered yet. */
    public int held(String id) {
        AtomicInteger n = inFlight.get(id);
        return n == null ? 0 : n.get();
    }

    /** Requests node {@code id} holds, over all its nodes. */
    public int held() {
        return inFlight.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int maxInFlight(String id) {
        AtomicInteger n = maxInFlight.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    public LabNode create(NodeContext context) {
        return new Server(context);
    }

    private final class Server extends TcpServerNode {
        Server(NodeContext context) {
            super(context);
        }

        @Override
        protected void initChild(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Answer(this));
        }

        dev.flowlab.runtime.LabClock clock() {
            return context.clock();
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Server server;

        Answer(Server server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String id = server.id();
            if (recording.contains(id)) {
                headers.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(req.headers().copy());
                paths.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(req.uri());
                if (ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a) {
                    callerHosts.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(a.getAddress().getHostAddress());
                }
            }
            AtomicInteger held = inFlight.computeIfAbsent(id, k -> new AtomicInteger());
            maxInFlight.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(held.incrementAndGet(), Math::max);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Duration wait = delay.getOrDefault(id, Duration.ZERO);
            // Held until answered or until its connection closes, whichever comes first.
            java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    held.decrementAndGet();
                }
            };
            ctx.channel().closeFuture().addListener(f -> release.run());
            if (wait.equals(NEVER)) {
                return;
            }
            Runnable answer = () -> {
                release.run();
                if (!ctx.channel().isActive()) {
                    return;
                }
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
            if (wait.isZero()) {
                answer.run();
            } else {
                server.clock().after(ctx.executor(), wait, answer);
            }
        }
    }
}
