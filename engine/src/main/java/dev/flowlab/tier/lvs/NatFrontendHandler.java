package dev.flowlab.tier.lvs;

import dev.flowlab.runtime.Transport;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT mode, client side of one connection. The client channel starts with auto-read off until
 * the real-server connection (opened on the same event loop, from the director's own address) is
 * up. Then bytes are relayed as they come, flushed once per read burst, and back-pressure is by
 * writability: when one side's outbound buffer passes its high water mark, the other side stops
 * reading until it drains, so a slow side slows the other instead of filling memory. (Netty's
 * HexDumpProxy reads one chunk per completed write; that is simpler but costs a flush and a
 * listener per chunk, which a relay on every request path cannot afford.) A reset on one side
 * is passed on as a reset.
 */
final class NatFrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(NatFrontendHandler.class);

    private final LvsDirector director;
    private final ConnectionTable.Entry entry;
    private final InetSocketAddress realServer;
    private Channel backend;
    private boolean resetSeen;

    NatFrontendHandler(LvsDirector director, ConnectionTable.Entry entry, InetSocketAddress realServer) {
        this.director = director;
        this.entry = entry;
        this.realServer = realServer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel inbound = ctx.channel();
        Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channelFactory(Transport.clientChannels())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) director.natConnectTimeoutMillis())
                .handler(new NatBackendHandler(inbound, this, director));
        ChannelFuture f = b.connect(realServer, director.context().sourceAddress());
        backend = f.channel();
        director.track(backend);
        f.addListener(done -> {
            if (done.isSuccess()) {
                inbound.config().setAutoRead(true);
            } else {
                director.context().metrics().error("real_server_refused");
                director.context().emit(EventType.CONNECTION_REFUSED, entry.server().id(), null, 0, 0,
                        new Fact.Failure("real_server_refused",
                                "real server " + LvsDirector.hostPort(realServer) + ": " + done.cause().getMessage()));
                resetSeen = true;
                LvsDirector.reset(inbound);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            int n = buf.readableBytes();
            director.context().metrics().bytesIn(n);
            director.context().metrics().packetsIn(PacketModel.segments(n));
            director.context().metrics().packetsOut(PacketModel.acks(n));
        }
        director.connectionTable().touch(entry);
        if (backend != null && backend.isActive()) {
            backend.write(msg, backend.voidPromise());
            if (!backend.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null && backend.isActive()) {
            backend.flush();
        }
    }

    /** The client drained what we wrote to it: the real server may send again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && backend != null && backend.isActive()) {
            backend.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        director.connectionTable().closed(entry, resetSeen ? ConnState.CLOSE : ConnState.TIME_WAIT);
        director.context().metrics().packetsIn(resetSeen ? 1 : PacketModel.CLOSE_PACKETS);
        director.context().metrics().packetsOut(resetSeen ? 0 : PacketModel.CLOSE_PACKETS);
        if (backend != null) {
            if (resetSeen) {
                LvsDirector.reset(backend);
            } else {
                closeOnFlush(backend);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            resetSeen = true;
            log.debug("{}: client connection {} failed: {}", director.id(), ctx.channel(), cause.toString());
        } else {
            log.warn("{}: NAT relay error on {}", director.id(), ctx.channel(), cause);
        }
        LvsDirector.reset(ctx.channel());
    }

    /** The real server reset its side: the client must see a reset too, not an orderly close. */
    void backendReset() {
        resetSeen = true;
    }

    boolean resetSeen() {
        return resetSeen;
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
