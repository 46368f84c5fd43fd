package dev.flowlab.tier.lvs;

import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TierFactory;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only keep-alive HTTP responder standing in for Nginx behind the director: answers each
 * request (ended by an empty line) with its node id in X-Served-By and the peer it saw in X-Peer.
 * {@link #status} lets a test make a node answer another status (for HTTP_GET checks). An ordinary
 * per-lab factory: each test makes its own, nothing is shared between tests.
 */
final class HttpStubTier implements TierFactory {
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

    /** Node {@code id} answers this status from now on (null: 200 again). */
    HttpStubTier status(String id, Integer status) {
        if (status == null) {
            statuses.remove(id);
        } else {
            statuses.put(id, status);
        }
        return this;
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
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    pending.append(((ByteBuf) msg).toString(StandardCharsets.ISO_8859_1));
                } finally {
                    ReferenceCountUtil.release(msg);
                }
                int end;
                while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                    boolean http10 = pending.substring(0, end).contains("HTTP/1.0");
                    pending.delete(0, end + 4);
                    int status = statuses.getOrDefault(id(), 200);
                    String body = id() + "\n";
                    String head = "HTTP/1.1 " + status + " X\r\nX-Served-By: " + id() + "\r\nX-Peer: "
                            + hostPort((java.net.InetSocketAddress) ctx.channel().remoteAddress())
                            + "\r\nContent-Length: " + body.length() + "\r\n" + (http10 ? "Connection: close\r\n" : "") + "\r\n";
                    var f = ctx.writeAndFlush(Unpooled.copiedBuffer(head + body, StandardCharsets.ISO_8859_1));
                    if (http10) {
                        f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
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
