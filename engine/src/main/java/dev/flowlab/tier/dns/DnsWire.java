package dev.flowlab.tier.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsMessage;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Builds the records of an authoritative answer with Netty's DNS types. */
final class DnsWire {
    /** SOA timers (refresh, retry, expire) in the usual zone-file magnitudes; the lab has no secondaries. */
    private static final int SOA_REFRESH = 3600;
    private static final int SOA_RETRY = 600;
    private static final int SOA_EXPIRE = 86400;

    private DnsWire() {
    }

    static DnsResponseCode rcode(ZoneAnswers.Code code) {
        return switch (code) {
            case NOERROR -> DnsResponseCode.NOERROR;
            case NXDOMAIN -> DnsResponseCode.NXDOMAIN;
            case REFUSED -> DnsResponseCode.REFUSED;
        };
    }

    /** Fills an answer: the question echoed, the A records, and the zone's SOA for negative answers (RFC 2308). */
    static void fill(DnsResponse response, DnsMessage query, ZoneAnswers zone, ZoneAnswers.Answer answer) {
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        response.setAuthoritativeAnswer(answer.code() != ZoneAnswers.Code.REFUSED);
        response.setRecursionDesired(query.isRecursionDesired());
        response.setRecursionAvailable(false);
        response.addRecord(DnsSection.QUESTION, question);
        for (InetAddress a : answer.addresses()) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                    answer.ttl(), Unpooled.wrappedBuffer(a.getAddress())));
        }
        boolean soaQuestion = question.type() == DnsRecordType.SOA && ZoneAnswers.canonical(question.name()).equals(zone.zone());
        if (soaQuestion) {
            response.addRecord(DnsSection.ANSWER, soa(zone, answer.ttl()));
        } else if (answer.code() != ZoneAnswers.Code.REFUSED && answer.addresses().isEmpty()) {
            response.addRecord(DnsSection.AUTHORITY, soa(zone, answer.ttl()));
        }
    }

    static DefaultDnsRawRecord soa(ZoneAnswers zone, long ttl) {
        ByteBuf rdata = Unpooled.buffer();
        writeName(rdata, "ns1." + zone.zone());
        writeName(rdata, "hostmaster." + zone.zone());
        rdata.writeInt(1);
        rdata.writeInt(SOA_REFRESH);
        rdata.writeInt(SOA_RETRY);
        rdata.writeInt(SOA_EXPIRE);
        rdata.writeInt((int) Math.min(Integer.MAX_VALUE, ttl));
        return new DefaultDnsRawRecord(zone.zone() + ".", DnsRecordType.SOA, ttl, rdata);
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(bytes.length);
            out.writeBytes(bytes);
        }
        out.writeByte(0);
    }
}
