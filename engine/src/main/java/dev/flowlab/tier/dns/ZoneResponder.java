package dev.flowlab.tier.dns;

import static dev.flowlab.tier.dns.DnsReply.BADVERS;
import static dev.flowlab.tier.dns.DnsReply.CLASS_ANY;
import static dev.flowlab.tier.dns.DnsReply.CLASS_CH;
import static dev.flowlab.tier.dns.DnsReply.CLASS_IN;
import static dev.flowlab.tier.dns.DnsReply.FORMERR;
import static dev.flowlab.tier.dns.DnsReply.NOTAUTH;
import static dev.flowlab.tier.dns.DnsReply.NOTIMP;
import static dev.flowlab.tier.dns.DnsReply.NXDOMAIN;
import static dev.flowlab.tier.dns.DnsReply.REFUSED;
import static dev.flowlab.tier.dns.DnsReply.TYPE_A;
import static dev.flowlab.tier.dns.DnsReply.TYPE_ANY;
import static dev.flowlab.tier.dns.DnsReply.TYPE_AXFR;
import static dev.flowlab.tier.dns.DnsReply.TYPE_IXFR;
import static dev.flowlab.tier.dns.DnsReply.TYPE_NS;
import static dev.flowlab.tier.dns.DnsReply.TYPE_OPT;
import static dev.flowlab.tier.dns.DnsReply.TYPE_SOA;
import static dev.flowlab.tier.dns.DnsReply.TYPE_TXT;

import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the server answers, decided as nsd 4.6 decides it (each rule was measured against nsd on
 * the same zone; NsdDifferentialTest repeats the comparison):
 *
 * <ul>
 * <li>The zone: SOA and NS {@code ns1.<zone>} at the apex, {@code ns1.<zone>} A = this server's
 *     address, the site's name with its A record set. A positive answer carries the NS RRset in
 *     authority and ns1's address in additional (nsd's minimal-responses: no); NXDOMAIN and NODATA
 *     carry the SOA; ANY gets one RRset of the name (the first: SOA at the apex), without
 *     authority or additional, as nsd answers it (RFC 8482 allows one).</li>
 * <li>Class ANY (255) is answered from the IN data but not authoritatively (no AA) and without
 *     authority or additional records; CHAOS answers version.bind/version.server (unless
 *     hideVersion) and id.server/hostname.bind (the node's id, where nsd says its host name) with
 *     TTL 0 and no AA, anything else in CHAOS or another class is REFUSED.</li>
 * <li>Names outside the zone: REFUSED without AA. AXFR over UDP: NOTIMP; over TCP: REFUSED at the
 *     apex (no client may transfer the zone), NOTAUTH elsewhere. IXFR: REFUSED.</li>
 * <li>EDNS (RFC 6891): a query with an OPT record gets one back with the server's UDP size and the
 *     DO bit echoed; version above 0 gets BADVERS (with DO clear); two OPT records, or one not
 *     owned by the root, FORMERR. The UDP size is the client's (at least 512) capped by the
 *     server's; 512 without EDNS. Extended DNS errors as nsd adds them (18 prohibited, 20 not
 *     authoritative, 21 not supported), only to EDNS replies.</li>
 * <li>Header: RD echoed on every reply (FORMERR for a query without exactly one question is the
 *     exception: nsd clears all flags there), RA never set, opcode echoed; opcodes other than QUERY
 *     get NOTIMP (NOTIFY: REFUSED at the apex, NXDOMAIN elsewhere) with no question.</li>
 * </ul>
 */
final class ZoneResponder {
    private static final int OPCODE_QUERY = 0;
    private static final int OPCODE_NOTIFY = 4;
    private static final int MAX_UDP = 512;
    private static final int MAX_TCP = 65_535;
    /** SOA timers (refresh, retry, expire) in the usual zone-file magnitudes; the lab has no secondaries. */
    static final long SOA_SERIAL = 1;
    static final long SOA_REFRESH = 3600;
    static final long SOA_RETRY = 600;
    static final long SOA_EXPIRE = 86400;

    private final ZoneAnswers zone;
    private final Supplier<InetSocketAddress> self;
    private final String identity;
    private final String version;
    private final boolean hideVersion;
    private final int maxUdpSize;
    private final String nsHost;

    ZoneResponder(ZoneAnswers zone, Supplier<InetSocketAddress> self, String identity, String version,
                  boolean hideVersion, int maxUdpSize) {
        this.zone = zone;
        this.self = self;
        this.identity = identity;
        this.version = version;
        this.hideVersion = hideVersion;
        this.maxUdpSize = Math.max(MAX_UDP, maxUdpSize);
        this.nsHost = nameServer(zone.zone());
    }

    /** The zone's name server as its NS record names it. */
    static String nameServer(String zone) {
        return "ns1." + zone;
    }

    /** FORMERR for a packet that does not decode: nsd keeps RD and the opcode, nothing else. */
    static DnsReply formerr(int id, int opcode, boolean recursionDesired) {
        return new DnsReply(id, opcode, recursionDesired).code(FORMERR);
    }

    DnsReply respond(DnsQuery query, boolean tcp) {
        int opcode = query.opCode().byteValue() & 0xF;
        DnsReply r = new DnsReply(query.id(), opcode, query.isRecursionDesired());
        int questions = query.count(DnsSection.QUESTION);
        DnsQuestion question = questions > 0 ? query.recordAt(DnsSection.QUESTION) : null;
        if (opcode != OPCODE_QUERY) {
            boolean apex = question != null && ZoneAnswers.canonical(question.name()).equals(zone.zone());
            return r.code(opcode == OPCODE_NOTIFY ? (apex ? REFUSED : NXDOMAIN) : NOTIMP);
        }
        if (questions == 0 && query.count(DnsSection.ANSWER) == 0 && query.count(DnsSection.AUTHORITY) == 0
                && query.count(DnsSection.ADDITIONAL) == 1
                && query.recordAt(DnsSection.ADDITIONAL).type().intValue() == TYPE_OPT) {
            // an EDNS probe (no question, one OPT record): nsd answers NOERROR with its OPT record
            r.edns = new DnsReply.Edns(maxUdpSize, false, new ArrayList<>());
            return r;
        }
        if (questions != 1) {
            r.recursionDesired = false;
            return r.code(FORMERR);
        }
        int qtype = question.type().intValue();
        if (query.count(DnsSection.ANSWER) != 0 || (query.count(DnsSection.AUTHORITY) != 0 && qtype != TYPE_IXFR)) {
            return r.code(FORMERR);
        }
        DnsRecord opt = null;
        for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord rec = query.recordAt(DnsSection.ADDITIONAL, i);
            if (rec.type().intValue() == TYPE_OPT) {
                if (opt != null || !(rec.name().isEmpty() || rec.name().equals("."))) {
                    return r.code(FORMERR);
                }
                opt = rec;
            }
        }
        r.question(question.name(), qtype, question.dnsClass());
        r.limit = tcp ? MAX_TCP : MAX_UDP;
        if (opt != null) {
            long flags = opt.timeToLive();
            int ednsVersion = (int) (flags >> 16) & 0xFF;
            boolean dnssecOk = (flags & 0x8000) != 0;
            r.edns = new DnsReply.Edns(maxUdpSize, ednsVersion == 0 && dnssecOk, new ArrayList<>());
            if (!tcp) {
                r.limit = Math.max(MAX_UDP, Math.min(opt.dnsClass() & 0xFFFF, maxUdpSize));
            }
            if (ednsVersion != 0) {
                return r.code(BADVERS);
            }
        }
        int qclass = question.dnsClass();
        if (qclass == CLASS_CH) {
            return chaos(r);
        }
        if (qclass != CLASS_IN && qclass != CLASS_ANY) {
            r.qname = null;
            r.code(REFUSED).extendedError(DnsReply.EDE_NOT_SUPPORTED);
            return r;
        }
        return fromZone(r, tcp);
    }

    private DnsReply chaos(DnsReply r) {
        String q = ZoneAnswers.canonical(r.qname);
        String text = null;
        if (r.qtype == TYPE_TXT || r.qtype == TYPE_ANY) {
            if ((q.equals("version.bind") || q.equals("version.server")) && !hideVersion) {
                text = version;
            } else if (q.equals("id.server") || q.equals("hostname.bind")) {
                text = identity;
            }
        }
        if (text == null) {
            r.code(REFUSED).extendedError(DnsReply.EDE_NOT_SUPPORTED);
            return r;
        }
        r.answer.add(new DnsReply.Rr(q, TYPE_TXT, CLASS_CH, 0, new DnsReply.Txt(text)));
        return r;
    }

    private DnsReply fromZone(DnsReply r, boolean tcp) {
        String q = ZoneAnswers.canonical(r.qname);
        boolean apex = q.equals(zone.zone());
        if (r.qtype == TYPE_AXFR) {
            if (!tcp) {
                return r.code(NOTIMP);
            }
            if (!apex) {
                return r.code(NOTAUTH);
            }
            r.code(REFUSED).extendedError(DnsReply.EDE_PROHIBITED);
            return r;
        }
        if (!zone.inZone(q)) {
            r.code(REFUSED).extendedError(DnsReply.EDE_NOT_AUTHORITATIVE);
            return r;
        }
        if (r.qtype == TYPE_IXFR) {
            r.code(REFUSED).extendedError(DnsReply.EDE_PROHIBITED);
            return r;
        }
        boolean anyClass = r.qclass == CLASS_ANY;
        r.authoritative = !anyClass;
        List<Rrset> rrsets = rrsetsAt(q, r);
        if (rrsets == null) {
            r.code(NXDOMAIN);
            if (!anyClass) {
                r.authority.add(soa());
            }
            return r;
        }
        List<DnsReply.Rr> match = null;
        for (Rrset set : rrsets) {
            if (r.qtype == TYPE_ANY || set.type() == r.qtype) {
                match = set.records().get();
                break;
            }
        }
        if (match == null || match.isEmpty()) {
            if (!anyClass) {
                r.authority.add(soa()); // NODATA (RFC 2308)
            }
            return r;
        }
        r.answer.addAll(match);
        if (anyClass || r.qtype == TYPE_ANY) {
            return r;
        }
        if (!(apex && r.qtype == TYPE_NS)) {
            r.authority.addAll(ns());
        }
        if (!(q.equals(nsHost) && r.qtype == TYPE_A)) {
            r.additional.addAll(nsAddress());
        }
        return r;
    }

    /** An RRset of a name; its records are made only when it is answered (a cyclic order turns only then). */
    private record Rrset(int type, Supplier<List<DnsReply.Rr>> records) {
    }

    /**
     * The RRsets owned by a name, in the order nsd keeps them (at the apex SOA first); empty for an
     * empty non-terminal (a name that exists only because a longer one does); null when the name
     * does not exist (NXDOMAIN).
     */
    private List<Rrset> rrsetsAt(String q, DnsReply r) {
        List<Rrset> out = new ArrayList<>();
        boolean exists = false;
        if (q.equals(zone.zone())) {
            exists = true;
            out.add(new Rrset(TYPE_SOA, () -> List.of(soa())));
            out.add(new Rrset(TYPE_NS, this::ns));
        }
        if (q.equals(nsHost)) {
            exists = true;
            if (!nsAddress().isEmpty()) {
                out.add(new Rrset(TYPE_A, this::nsAddress));
            }
        }
        if (q.equals(zone.name())) {
            exists = true;
            if (!zone.current().isEmpty()) {
                out.add(new Rrset(TYPE_A, () -> siteAddresses(r)));
            }
        }
        String below = "." + q;
        if (exists || zone.name().endsWith(below) || nsHost.endsWith(below)) {
            return out;
        }
        return null;
    }

    /** The site's A RRset in this query's order; the reply notes the rotation step it took (for the UDP answer cache). */
    private List<DnsReply.Rr> siteAddresses(DnsReply r) {
        List<InetAddress> set = zone.current();
        long step = zone.step();
        r.rotationStep = step;
        r.rotationSize = set.size();
        List<DnsReply.Rr> a = new ArrayList<>();
        for (InetAddress address : zone.ordered(set, step)) {
            a.add(new DnsReply.Rr(zone.name(), TYPE_A, CLASS_IN, zone.ttl(), new DnsReply.Address(address.getAddress())));
        }
        return a;
    }

    DnsReply.Rr soa() {
        return new DnsReply.Rr(zone.zone(), TYPE_SOA, CLASS_IN, zone.ttl(), new DnsReply.Soa(nsHost,
                "hostmaster." + zone.zone(), SOA_SERIAL, SOA_REFRESH, SOA_RETRY, SOA_EXPIRE, zone.ttl()));
    }

    private List<DnsReply.Rr> ns() {
        return List.of(new DnsReply.Rr(zone.zone(), TYPE_NS, CLASS_IN, zone.ttl(), new DnsReply.Host(nsHost)));
    }

    /** ns1's A record: this server's own address (none before it is bound). */
    private List<DnsReply.Rr> nsAddress() {
        InetSocketAddress a = self.get();
        if (a == null || !(a.getAddress() instanceof Inet4Address)) {
            return List.of();
        }
        return List.of(new DnsReply.Rr(nsHost, TYPE_A, CLASS_IN, zone.ttl(), new DnsReply.Address(a.getAddress().getAddress())));
    }

    /** This server's address (ns1's A record); with {@code zone().current()} what every answer depends on besides the query. */
    InetSocketAddress self() {
        return self.get();
    }

    ZoneAnswers zone() {
        return zone;
    }

    /**
     * The zone as it is now, as an RFC 1035 master file that nsd, BIND or any other authoritative
     * server loads: SOA, NS, ns1's address, the site's A records in their configured order.
     */
    String zoneFile() {
        String z = zone.zone() + ".";
        long ttl = zone.ttl();
        StringBuilder b = new StringBuilder();
        b.append("; zone ").append(zone.zone()).append(" as the lab's DNS node serves it\n");
        b.append("$ORIGIN ").append(z).append('\n');
        b.append("$TTL ").append(ttl).append('\n');
        b.append(z).append(' ').append(ttl).append(" IN SOA ").append(nsHost).append(". hostmaster.").append(z)
                .append(' ').append(SOA_SERIAL).append(' ').append(SOA_REFRESH).append(' ').append(SOA_RETRY)
                .append(' ').append(SOA_EXPIRE).append(' ').append(ttl).append('\n');
        b.append(z).append(' ').append(ttl).append(" IN NS ").append(nsHost).append(".\n");
        InetSocketAddress a = self.get();
        if (a != null && a.getAddress() instanceof Inet4Address) {
            b.append(nsHost).append(". ").append(ttl).append(" IN A ").append(a.getAddress().getHostAddress()).append('\n');
        }
        for (InetAddress address : zone.current()) {
            b.append(zone.name()).append(". ").append(ttl).append(" IN A ").append(address.getHostAddress()).append('\n');
        }
        return b.toString();
    }
}
