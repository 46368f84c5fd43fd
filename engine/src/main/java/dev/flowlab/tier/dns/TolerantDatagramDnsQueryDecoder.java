package dev.flowlab.tier.dns;

import dev.flowlab.runtime.NodeContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's UDP query decoder, made safe for garbage as real servers are: fewer bytes than a DNS
 * header, or a packet that is itself a response, get silence (answering a response invites
 * loops); any other packet that does not decode gets FORMERR with its id. Never throws, so the
 * channel keeps serving the next query.
 */
@ChannelHandler.Sharable
final class TolerantDatagramDnsQueryDecoder extends DatagramDnsQueryDecoder {
    private static final Logger log = LoggerFactory.getLogger(TolerantDatagramDnsQueryDecoder.class);
    private static final int HEADER_BYTES = 12;
    private static final int QR_RESPONSE = 0x8000;

    private final NodeContext context;

    TolerantDatagramDnsQueryDecoder(NodeContext context) {
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf buf = packet.content();
        int start = buf.readerIndex();
        if (buf.readableBytes() < HEADER_BYTES) {
            context.metrics().error("malformed");
            return;
        }
        if ((buf.getUnsignedShort(start + 2) & QR_RESPONSE) != 0) {
            context.metrics().error("malformed");
            return;
        }
        int id = buf.getUnsignedShort(start);
        try {
            super.decode(ctx, packet, out);
        } catch (Exception e) {
            context.metrics().error("malformed");
            log.debug("{}: malformed query from {}: {}", context.id(), packet.sender(), e.toString());
            ctx.channel().writeAndFlush(new DatagramDnsResponse(packet.recipient(), packet.sender(), id,
                    DnsOpCode.QUERY, DnsResponseCode.FORMERR));
        }
    }
}
