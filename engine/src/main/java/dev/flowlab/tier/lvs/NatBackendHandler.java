package dev.flowlab.tier.lvs;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** NAT mode, real-server side of one connection: relays replies to the client with back-pressure. */
final class NatBackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(NatBackendHandler.class);

    private final Channel inbound;
    private final NatFrontendHandler frontend;
    private final LvsDirector director;

    NatBackendHandler(Channel inbound, NatFrontendHandler frontend, LvsDirector director) {
        this.inbound = inbound;
        this.frontend = frontend;
        this.director = director;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            director.context().metrics().bytesOut(buf.readableBytes());
        }
        inbound.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                f.channel().close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (frontend.resetSeen()) {
            LvsDirector.reset(inbound);
        } else {
            NatFrontendHandler.closeOnFlush(inbound);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("{}: real-server connection {} failed: {}", director.id(), ctx.channel(), cause.toString());
        } else {
            log.warn("{}: NAT relay error on {}", director.id(), ctx.channel(), cause);
        }
        frontend.backendReset();
        LvsDirector.reset(inbound);
        ctx.close();
    }
}
