package dev.flowlab.tier.nginx;

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
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP upstream for the proxy's tests, with failure injection per node id: answer 200
 * (body "hello from ID", header X-Served-By), hang, answer 500, or close without answering. It
 * records what it received (headers, peer address) and counts accepted connections. An ordinary
 * per-lab factory: each test makes its own, nothing is shared between tests.
 */
final class TestUpstream implements TierFactory {
    /**
     * OK answers 200; BAD_HEADER_NAME answers with a header name that is not an HTTP token;
     * HEAD_THEN_BODY sends its head at once and its body when {@link #BODY_GATE} opens.
     */
    enum Mode { OK, HANG, FAIL_500, CLOSE, BAD_HEADER_NAME, HEAD_THEN_BODY }

    private final java.util.concurrent.CountDownLatch bodyGate = new java.util.concurrent.CountDownLatch(1);

    record Seen(String method, String uri, HttpHeaders headers, String body, InetSocketAddress from) {
    }

    static final String LAST_MODIFIED = "Tue, 24 Nov 2026 10:00:00 GMT";

    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    /** A node with an ETag here validates: its 200s carry it (and a Last-Modified), a matching If-None-Match gets 304. */
    private final Map<String, String> etags = new ConcurrentHashMap<>();

    /** How node {@code id} answers from now on. */
    TestUpstream mode(String id, Mode mode) {
        modes.put(id, mode);
        return this;
    }

    /** Node {@code id} validates with this ETag. */
    TestUpstream etag(String id, String etag) {
        etags.put(id, etag);
        return this;
    }

    /** HEAD_THEN_BODY answers send their bodies now. */
    void openBodyGate() {
        bodyGate.countDown();
    }

    List<Seen> seen(String id) {
        return seen.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
    }

    int accepted(String id) {
        return accepted.computeIfAbsent(id, k -> new AtomicInteger()).get();
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
        accepted.computeIfAbsent(id(), k -> new AtomicInteger()).incrementAndGet();
        String id = id();
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                seen(id).add(new Seen(req.method().name(), req.uri(), new DefaultHttpHeaders().set(req.headers()),
                        req.content().toString(StandardCharsets.UTF_8), (InetSocketAddress) ctx.channel().remoteAddress()));
                Mode mode = modes.getOrDefault(id, Mode.OK);
                switch (mode) {
                    case HANG -> {
                    }
                    case CLOSE -> ctx.close();
                    case HEAD_THEN_BODY -> {
                        ctx.pipeline().remove(HttpServerCodec.class);
                        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nX-Served-By: " + id + "\r\n\r\n",
                                StandardCharsets.US_ASCII));
                        java.util.concurrent.CountDownLatch gate = bodyGate;
                        Thread waiter = new Thread(() -> {
                            try {
                                if (gate.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                                    // Without its codec this connection cannot take another request: closed after.
                                    ctx.writeAndFlush(Unpooled.copiedBuffer("later", StandardCharsets.US_ASCII))
                                            .addListener(ChannelFutureListener.CLOSE);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, "test-upstream-body");
                        waiter.setDaemon(true);
                        waiter.start();
                    }
                    case BAD_HEADER_NAME -> {
                        // Past the encoder (which would refuse it): the bytes as a broken server sends them.
                        ctx.pipeline().remove(HttpServerCodec.class);
                        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nX(Bad): 1\r\nContent-Length: 2\r\n\r\nok",
                                StandardCharsets.US_ASCII));
                    }
                    default -> {
                        String etag = etags.get(id);
                        if (mode == Mode.OK && etag != null && etag.equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                            FullHttpResponse notModified = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
                            notModified.headers().set(HttpHeaderNames.ETAG, etag).set("X-Served-By", id);
                            ctx.writeAndFlush(notModified);
                            return;
                        }
                        int status = mode == Mode.FAIL_500 ? 500 : 200;
                        byte[] body = ("hello from " + id).getBytes(StandardCharsets.UTF_8);
                        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                                Unpooled.wrappedBuffer(body));
                        r.headers().set("X-Served-By", id).set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length).set(HttpHeaderNames.SERVER, "test-upstream");
                        if (etag != null && status == 200) {
                            r.headers().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.LAST_MODIFIED, LAST_MODIFIED);
                        }
                        boolean keep = HttpUtil.isKeepAlive(req);
                        var f = ctx.writeAndFlush(r);
                        if (!keep) {
                            f.addListener(ChannelFutureListener.CLOSE);
                        }
                    }
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }
    }
}
