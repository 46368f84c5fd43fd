package dev.flowlab.tier.tomcat;

import dev.flowlab.event.EventType;
import dev.flowlab.net.rpc.RpcWire;
import dev.flowlab.event.Fact;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Port unification (Netty's PortUnificationServerHandler example; Dubbo 3 serves its protocols on
 * one port the same way): the first bytes of a connection decide whether it speaks HTTP/1.1 or
 * the lab RPC protocol, whose magic can never begin an HTTP request. The chosen pipeline is
 * installed after this handler, told the channel is active, and handed the bytes read so far;
 * then this handler leaves. Until the first byte arrives Tomcat's connectionTimeout applies.
 */
final class ProtocolDetector extends ByteToMessageDecoder {
    static final String NAME = "protocol-detector";

    private final TomcatServer server;
    private final Connector connector;
    private ScheduledFuture<?> timeout;

    ProtocolDetector(TomcatServer server, Connector connector) {
        this.server = server;
        this.connector = connector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // channelActive goes to the protocol's handlers once they exist
        long nanos = connector.settings.connectionTimeoutNanos();
        if (nanos > 0) {
            timeout = ctx.executor().schedule(() -> {
                if (connector.context.events().hasSubscribers()) {
                    connector.context.emit(EventType.TIMEOUT, String.valueOf(ctx.channel().remoteAddress()), null, 0, 0,
                            new Fact.Failure("connection_timeout", "connectionTimeout expired before the first byte"));
                }
                connector.context.metrics().error("connection_timeout");
                ctx.close();
            }, nanos, TimeUnit.NANOSECONDS);
        }
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // too few bytes: ByteToMessageDecoder asks for more itself (auto-read is off)
        if (!in.isReadable()) {
            return;
        }
        boolean rpc;
        if (in.getByte(in.readerIndex()) != RpcWire.MAGIC_FIRST_BYTE) {
            rpc = false;
        } else if (in.readableBytes() < 2) {
            return;
        } else {
            rpc = in.getUnsignedShort(in.readerIndex()) == RpcWire.MAGIC;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (rpc) {
            server.installRpc(ctx.pipeline(), NAME, connector);
        } else {
            server.installHttp(ctx.pipeline(), NAME, connector);
        }
        ctx.fireChannelActive();
        // leaving hands the bytes read so far to the protocol's decoder
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
