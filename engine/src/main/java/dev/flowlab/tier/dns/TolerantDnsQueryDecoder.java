package dev.flowlab.tier.dns;

import dev.flowlab.runtime.NodeContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's DNS query decoder, made safe for garbage as real servers are, over UDP and (through
 * {@link #tcpFrames}) TCP alike: fewer bytes than a DNS header, or a packet that is itself a
 * response, get silence (answering a response invites loops); any other packet that does not
 * decode gets FORMERR with its id, opcode and RD flag. Never throws, so the channel keeps serving
 * the next query.
 *
 * <p>As nsd does, a question is parsed from the bytes after the header whatever QDCOUNT says:
 * when none parses, FORMERR keeps RD; when one does but QDCOUNT is not 1, FORMERR clears every
 * flag; QDCOUNT 0 with only an OPT record is an EDNS probe ({@link ZoneResponder} answers it).
 */
@ChannelHandler.Sharable
final class TolerantDnsQueryDecoder extends DatagramDnsQueryDecoder {
    private static final Logger log = LoggerFactory.getLogger(TolerantDnsQueryDecoder.class);
    private static final int HEADER_BYTES = 12;
    private static final int QR_RESPONSE = 0x8000;
    private static final int MAX_TCP_MESSAGE = 65_535;

    private final NodeContext context;

    TolerantDnsQueryDecoder(NodeContext context) {
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
        int flags = buf.getUnsignedShort(start + 2);
        if ((flags & QR_RESPONSE) != 0) {
            context.metrics().error("malformed");
            return;
        }
        int id = buf.getUnsignedShort(start);
        int qdcount = buf.getUnsignedShort(start + 4);
        boolean ednsProbe = qdcount == 0 && buf.getUnsignedShort(start + 6) == 0 && buf.getUnsignedShort(start + 8) == 0
                && buf.getUnsignedShort(start + 10) == 1;
        if (qdcount != 1 && !ednsProbe) {
            context.metrics().error("malformed");
            boolean parses = questionParses(buf, start + HEADER_BYTES);
            DnsQueryHandler.send(ctx, ZoneResponder.formerr(id, parses ? 0 : (flags >> 11) & 0xF,
                    !parses && (flags & 0x0100) != 0), packet.sender(), packet.recipient());
            return;
        }
        try {
            super.decode(ctx, packet, out);
        } catch (Exception e) {
            context.metrics().error("malformed");
            log.debug("{}: malformed query from {}: {}", context.id(), packet.sender(), e.toString());
            DnsQueryHandler.send(ctx, ZoneResponder.formerr(id, (flags >> 11) & 0xF, (flags & 0x0100) != 0),
                    packet.sender(), packet.recipient());
        }
    }

    /** Whether a name (labels, or a compression pointer) and a type and class start at {@code at}. */
    static boolean questionParses(ByteBuf buf, int at) {
        int end = buf.writerIndex();
        int pos = at;
        int length = 0;
        while (pos < end) {
            int len = buf.getUnsignedByte(pos);
            if ((len & 0xC0) == 0xC0) {
                return pos + 2 + 4 <= end;
            }
            if ((len & 0xC0) != 0) {
                return false;
            }
            if (len == 0) {
                return pos + 1 + 4 <= end;
            }
            length += len + 1;
            if (length > 255) {
                return false;
            }
            pos += len + 1;
        }
        return false;
    }

    /**
     * The TCP pipeline's decoders: RFC 1035 4.2.2 length-prefixed frames (as Netty's
     * TcpDnsQueryDecoder cuts them), each decoded by the same rules as a datagram.
     */
    static ChannelHandler[] tcpFrames(TolerantDnsQueryDecoder decoder) {
        return new ChannelHandler[] {new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE, 0, 2, 0, 2),
                new MessageToMessageDecoder<ByteBuf>() {
                    @Override
                    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
                        // the frame is released by this decoder after the call; decoded records hold their own references
                        decoder.decode(ctx, new DatagramPacket(frame, (InetSocketAddress) ctx.channel().localAddress(),
                                (InetSocketAddress) ctx.channel().remoteAddress()), out);
                    }
                }};
    }
}
