package dev.flowlab.tier.lvs;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * DR mode: what is left of the director in a handed-over connection. A real DR director sees the
 * client's packets (and forwards them) but never the replies; likewise this handler, first in the
 * real server's pipeline, counts inbound bytes (and the packets they make, {@link PacketModel})
 * and refreshes the table entry. The reply is not the director's, but the client's ACKs of it
 * pass the director, so the reply's size is read on its way out to count those.
 * When the director is down the client's bytes go nowhere (a dead director forwards nothing);
 * when it has restarted and lost the entry, the connection is reset, as IPVS answers a packet of
 * a connection it does not know.
 */
final class DirectRoutingTap extends ChannelDuplexHandler {
    private final LvsDirector director;
    private final ConnectionTable.Entry entry;
    private boolean resetSeen;

    DirectRoutingTap(LvsDirector director, ConnectionTable.Entry entry) {
        this.director = director;
        this.entry = entry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!director.forwards(entry)) {
            ReferenceCountUtil.release(msg);
            if (director.state().isUp()) {
                resetSeen = true;
                LvsDirector.reset(ctx.channel());
            }
            return;
        }
        if (msg instanceof ByteBuf buf) {
            int n = buf.readableBytes();
            director.context().metrics().bytesIn(n);
            director.context().metrics().packetsIn(PacketModel.segments(n));
        }
        director.connectionTable().touch(entry);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long n = msg instanceof ByteBuf b ? b.readableBytes() : msg instanceof FileRegion f ? f.count() : 0;
        if (n > 0) {
            // the reply bypasses the director; the client's ACKs of it do not
            director.context().metrics().packetsIn(PacketModel.acks(n));
        }
        ctx.write(msg, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            resetSeen = true;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The director sees only the client's FIN (or RST): ESTABLISHED -> CLOSE_WAIT in IPVS's input-only table.
        director.connectionTable().closed(entry, resetSeen ? ConnState.CLOSE : ConnState.CLOSE_WAIT);
        director.context().metrics().packetsIn(resetSeen ? 1 : PacketModel.CLOSE_PACKETS);
        director.context().emit(EventType.CONNECTION_CLOSED, entry.server().id(), null, 0, 0,
                new Fact.Note("dr entry " + (resetSeen ? "CLOSE" : "CLOSE_WAIT")));
        ctx.fireChannelInactive();
    }
}
