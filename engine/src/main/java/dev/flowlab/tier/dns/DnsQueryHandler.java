package dev.flowlab.tier.dns;

import dev.flowlab.event.EventType;
import dev.flowlab.runtime.NodeContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers decoded queries, UDP and TCP alike, from the zone: one question per query (else
 * FORMERR), opcode QUERY only (else NOTIMP), class IN only (else REFUSED). Never closes the UDP
 * channel: one bad packet must not stop the server.
 */
@ChannelHandler.Sharable
final class DnsQueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private static final Logger log = LoggerFactory.getLogger(DnsQueryHandler.class);
    private static final int CLASS_IN = 1;

    private final ZoneAnswers zone;
    private final NodeContext context;

    DnsQueryHandler(ZoneAnswers zone, NodeContext context) {
        this.zone = zone;
        this.context = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        long start = System.nanoTime();
        SocketAddress from = query instanceof DatagramDnsQuery d ? d.sender() : ctx.channel().remoteAddress();
        String peer = from == null ? null : from.toString().replaceFirst("^/", "");
        context.metrics().requestStarted();
        DnsResponse response = newResponse(ctx, query, DnsResponseCode.NOERROR);
        DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
        String detail;
        if (query.opCode() != DnsOpCode.QUERY) {
            response.setCode(DnsResponseCode.NOTIMP);
            detail = "opcode " + query.opCode() + " not implemented";
        } else if (question == null) {
            response.setCode(DnsResponseCode.FORMERR);
            detail = query.count(DnsSection.QUESTION) + " questions";
        } else if (question.dnsClass() != CLASS_IN) {
            response.setCode(DnsResponseCode.REFUSED);
            response.addRecord(DnsSection.QUESTION, question);
            detail = question.name() + " class " + question.dnsClass() + " refused";
        } else {
            String type = question.type() == DnsRecordType.ANY ? "ANY" : question.type().name();
            context.emit(EventType.DNS_QUERY, peer, null, 0, 0, question.name() + " " + type);
            ZoneAnswers.Answer answer = zone.answer(question.name(), type);
            response.setCode(DnsWire.rcode(answer.code()));
            DnsWire.fill(response, query, zone, answer);
            detail = question.name() + " " + type + " " + answer.code() + " "
                    + answer.addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(","))
                    + " ttl=" + answer.ttl();
        }
        int rcode = response.code().intValue();
        ctx.writeAndFlush(response).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("{}: answer to {} not sent: {}", context.id(), peer, f.cause().toString());
            }
        });
        context.metrics().requestCompleted(rcode, System.nanoTime() - start);
        context.emit(EventType.DNS_ANSWER, peer, null, rcode, System.nanoTime() - start, detail);
    }

    private static DnsResponse newResponse(ChannelHandlerContext ctx, DnsQuery query, DnsResponseCode code) {
        if (query instanceof DatagramDnsQuery d) {
            return new DatagramDnsResponse(d.recipient(), d.sender(), d.id(), d.opCode(), code);
        }
        return new DefaultDnsResponse(query.id(), query.opCode(), code);
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
