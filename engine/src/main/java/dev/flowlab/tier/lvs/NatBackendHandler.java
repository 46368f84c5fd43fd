package dev.flowlab.tier.lvs;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** NAT mode, real-server side of one connection: relays replies to the client, back-pressured by the client's writability. */
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
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            int n = buf.readableBytes();
            director.context().metrics().bytesOut(n);
            director.context().metrics().packetsOut(PacketModel.segments(n));
            director.context().metrics().packetsIn(PacketModel.acks(n));
        }
        inbound.write(msg, inbound.voidPromise());
        if (!inbound.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inbound.flush();
    }

    /** The real server drained what we wrote to it: the client may send again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && inbound.isActive()) {
            inbound.config().setAutoRead(true);
        }
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
