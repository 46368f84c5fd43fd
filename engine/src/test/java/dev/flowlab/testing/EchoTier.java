package dev.flowlab.testing;

import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/** A TCP echo server as a lab tier, for runtime tests that must not depend on a real tier. */
public final class EchoTier extends TcpServerNode {
    public EchoTier(NodeContext context) {
        super(context);
    }

    @Override
    protected void initChild(SocketChannel ch) {
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }
}
