package dev.flowlab.tier.dns;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers decoded queries, UDP and TCP alike, with {@link ZoneResponder}'s reply, encoded by
 * {@link DnsReply} (compressed names, truncated to the client's UDP size). Never closes the UDP
 * channel: one bad packet must not stop the server.
 */
@ChannelHandler.Sharable
final class DnsQueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private static final Logger log = LoggerFactory.getLogger(DnsQueryHandler.class);

    private final ZoneResponder responder;
    private final NodeContext context;
    /** The UDP channel's answer cache, handed each reply this handler encodes (null over TCP). */
    private final UdpAnswerCache cache;

    DnsQueryHandler(ZoneResponder responder, NodeContext context) {
        this(responder, context, null);
    }

    DnsQueryHandler(ZoneResponder responder, NodeContext context, UdpAnswerCache cache) {
        this.responder = responder;
        this.context = context;
        this.cache = cache;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        long start = System.nanoTime();
        boolean udp = ctx.channel() instanceof DatagramChannel;
        boolean emitting = context.emitting();
        // the peer's text only for the events (a regex per query cost more than the answer)
        SocketAddress from = !emitting ? null : query instanceof DatagramDnsQuery q ? q.sender() : ctx.channel().remoteAddress();
        String peer = from == null ? null : from.toString().replaceFirst("^/", "");
        context.metrics().requestStarted();
        DnsReply reply;
        try {
            reply = responder.respond(query, !udp);
        } catch (RuntimeException e) {
            log.debug("{}: cannot answer {}: {}", context.id(), query, e.toString());
            reply = ZoneResponder.formerr(query.id(), query.opCode().byteValue(), query.isRecursionDesired());
        }
        if (reply.qname != null && emitting) {
            context.emit(EventType.DNS_QUERY, peer, null, 0, 0, new Fact.DnsQuery(reply.qname, className(reply.qclass),
                    typeName(reply.qtype)));
        }
        ByteBuf wire;
        try {
            wire = encode(ctx, reply);
        } catch (IllegalArgumentException e) {
            // a question name this server cannot echo (a label Netty decoded into more than 63 bytes)
            reply = ZoneResponder.formerr(query.id(), query.opCode().byteValue(), query.isRecursionDesired());
            wire = encode(ctx, reply);
        }
        if (cache != null && udp) {
            cache.offer(reply, wire);
        }
        DatagramDnsQuery d = (DatagramDnsQuery) query; // TolerantDnsQueryDecoder makes one from TCP frames too
        write(ctx, wire, d.sender(), d.recipient());
        context.metrics().requestCompleted(reply.rcode, System.nanoTime() - start);
        if (emitting) {
            context.emit(EventType.DNS_ANSWER, peer, null, reply.rcode, System.nanoTime() - start, fact(reply, udp));
        }
    }

    /**
     * Writes a reply: over UDP a datagram to {@code to} of at most the reply's limit, over TCP the
     * two-byte length and the message.
     */
    static void send(ChannelHandlerContext ctx, DnsReply reply, InetSocketAddress to, InetSocketAddress at) {
        write(ctx, encode(ctx, reply), to, at);
    }

    private static ByteBuf encode(ChannelHandlerContext ctx, DnsReply reply) {
        boolean udp = ctx.channel() instanceof DatagramChannel;
        return reply.encode(ctx.alloc(), udp ? reply.limit : 65_535, !udp);
    }

    private static void write(ChannelHandlerContext ctx, ByteBuf wire, InetSocketAddress to, InetSocketAddress at) {
        Object out = ctx.channel() instanceof DatagramChannel ? new DatagramPacket(wire, to, at) : wire;
        ctx.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("answer to {} not sent: {}", to, f.cause().toString());
            }
        });
    }

    /** What the answer says; its sentence is "www.taobao.lab. A NOERROR 127.0.10.1,127.0.10.2 ttl=60", and TC/EDNS when they apply. */
    static Fact.DnsAnswer fact(DnsReply r, boolean udp) {
        List<String> addresses = new ArrayList<>();
        long ttl = -1;
        for (DnsReply.Rr rr : r.answer) {
            if (rr.type() == DnsReply.TYPE_A && rr.data() instanceof DnsReply.Address a) {
                try {
                    InetAddress ip = InetAddress.getByAddress(a.bytes());
                    if (ip instanceof Inet4Address) {
                        addresses.add(ip.getHostAddress());
                        ttl = rr.ttl();
                    }
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        boolean counted = ttl >= 0 && r.counts[1] > 0;
        return new Fact.DnsAnswer(r.qname, r.qname == null ? null : className(r.qclass), r.qname == null ? null : typeName(r.qtype),
                rcodeName(r.rcode), counted ? List.copyOf(addresses) : List.of(), counted ? ttl : -1, r.truncated,
                r.answer.size(), r.limit, udp, r.edns == null ? -1 : r.edns.udpSize(), r.edns != null && r.edns.dnssecOk());
    }

    private static String className(int dnsClass) {
        return switch (dnsClass) {
            case DnsReply.CLASS_IN -> "";
            case DnsReply.CLASS_CH -> "CH ";
            case DnsReply.CLASS_ANY -> "ANY ";
            default -> "CLASS" + dnsClass + " ";
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case DnsReply.TYPE_ANY -> "ANY";
            case DnsReply.TYPE_AXFR -> "AXFR";
            case DnsReply.TYPE_IXFR -> "IXFR";
            default -> {
                String n = DnsRecordType.valueOf(type).name();
                yield n.startsWith("UNKNOWN") ? "TYPE" + type : n;
            }
        };
    }

    /** dig's names for the codes. */
    static String rcodeName(int rcode) {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 9 -> "NOTAUTH";
            case 16 -> "BADVERS";
            default -> "RCODE" + rcode;
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
            ctx.close();
            return;
        }
        context.metrics().error("dns_error");
        log.debug("{}: DNS handler error on {}: {}", context.id(), ctx.channel(), cause.toString());
        if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
            ctx.close();
        }
    }
}
