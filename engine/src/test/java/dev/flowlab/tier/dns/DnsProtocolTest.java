package dev.flowlab.tier.dns;

import dev.flowlab.stack.Stack;
import static dev.flowlab.tier.dns.RawDns.A;
import static dev.flowlab.tier.dns.RawDns.ANY;
import static dev.flowlab.tier.dns.RawDns.AXFR;
import static dev.flowlab.tier.dns.RawDns.CH;
import static dev.flowlab.tier.dns.RawDns.NS;
import static dev.flowlab.tier.dns.RawDns.SOA;
import static dev.flowlab.tier.dns.RawDns.TXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.tier.dns.RawDns.Query;
import dev.flowlab.tier.dns.RawDns.Reply;
import dev.flowlab.topology.DnsConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The DNS tier's protocol on real sockets, without nsd (NsdDifferentialTest compares with it):
 * a real zone (NS, SOA, the name server's address), EDNS0, compressed names, truncation and the
 * TCP retry, AXFR refused, CHAOS, RD echoed, and the TCP limits.
 */
class DnsProtocolTest {
    private static final int TIMEOUT = 5000;

    private static Lab lab(DnsConfig dns) {
        Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(dns));
        lab.start();
        return lab;
    }

    @Test
    void theZoneIsARealZone_nsAtTheApex_ns1IsTheServer_soaForNegativeAnswers_anyAndClassAny() throws Exception {
        try (Lab lab = lab(DnsConfig.EMPTY)) {
            InetSocketAddress dns = lab.address("dns");
            String self = dns.getAddress().getHostAddress();

            Reply ns = RawDns.udp(dns, Query.of("taobao.lab", NS).bytes(), TIMEOUT);
            assertThat(ns.aa()).isTrue();
            assertThat(ns.answer()).extracting(RawDns.Rr::data).containsExactly("ns1.taobao.lab.");
            assertThat(ns.sections().get(3)).extracting(RawDns.Rr::toString).containsExactly("ns1.taobao.lab. 60 IN A " + self);

            Reply a = RawDns.udp(dns, Query.of("www.taobao.lab", A).bytes(), TIMEOUT);
            assertThat(a.sections().get(2)).extracting(RawDns.Rr::type).containsExactly(NS);
            if (!lab.address("lvs-1").getAddress().equals(lab.address("lvs-2").getAddress())) {
                assertThat(a.counts()).containsExactly(1, 2, 1, 1);
                assertThat(a.length()).as("names compressed: nsd's 98 bytes (160 with every name in full)").isEqualTo(98);
            }

            Reply soa = RawDns.udp(dns, Query.of("taobao.lab", SOA).bytes(), TIMEOUT);
            assertThat(soa.answer()).extracting(RawDns.Rr::data)
                    .containsExactly("ns1.taobao.lab. hostmaster.taobao.lab. 1 3600 600 86400 60");

            Reply any = RawDns.udp(dns, Query.of("taobao.lab", ANY).bytes(), TIMEOUT);
            assertThat(any.answer()).as("one RRset for ANY, as nsd answers").extracting(RawDns.Rr::type).containsExactly(SOA);

            Reply nx = RawDns.udp(dns, Query.of("nope.taobao.lab", A).bytes(), TIMEOUT);
            assertThat(RawDns.rcodeName(nx.rcode())).isEqualTo("NXDOMAIN");
            assertThat(nx.aa()).isTrue();
            assertThat(nx.rd()).as("RD echoed").isTrue();
            assertThat(nx.sections().get(2)).extracting(RawDns.Rr::type).containsExactly(SOA);

            Reply out = RawDns.udp(dns, Query.of("www.example.com", A).bytes(), TIMEOUT);
            assertThat(RawDns.rcodeName(out.rcode())).isEqualTo("REFUSED");
            assertThat(out.aa()).isFalse();
            assertThat(out.rd()).as("RD echoed on an error").isTrue();

            Reply anyClass = RawDns.udp(dns, Query.of("www.taobao.lab", A).cls(ANY).bytes(), TIMEOUT);
            assertThat(anyClass.answer()).hasSize(2);
            assertThat(anyClass.aa()).as("class ANY: not authoritative").isFalse();
        }
    }

    @Test
    void edns_optEchoedWithTheServersSizeAndDo_badversForVersion1() throws Exception {
        try (Lab lab = lab(DnsConfig.EMPTY)) {
            InetSocketAddress dns = lab.address("dns");
            Reply plain = RawDns.udp(dns, Query.of("www.taobao.lab", A).bytes(), TIMEOUT);
            assertThat(plain.opt()).as("no OPT without EDNS").isFalse();

            Reply edns = RawDns.udp(dns, Query.of("www.taobao.lab", A).edns(4096, 0x8000).bytes(), TIMEOUT);
            assertThat(edns.opt()).isTrue();
            assertThat(edns.ednsSize()).isEqualTo(1232);
            assertThat(edns.dnssecOk()).isTrue();
            assertThat(edns.ednsVersion()).isZero();

            Reply badvers = RawDns.udp(dns, Query.of("www.taobao.lab", A).edns(1232, 1L << 16).bytes(), TIMEOUT);
            assertThat(badvers.rcode()).as("BADVERS, extended rcode 16").isEqualTo(16);
            assertThat(badvers.flags() & 0xF).as("the header's 4 bits").isZero();
            assertThat(badvers.opt()).isTrue();
            assertThat(badvers.answer()).isEmpty();
        }
    }

    @Test
    void anAnswerLargerThanTheClientsSize_isTruncated_andTcpOnTheSamePortGivesItWhole() throws Exception {
        List<String> sixty = IntStream.rangeClosed(1, 60).mapToObj(i -> "10.0.0." + i).toList();
        try (Lab lab = lab(DnsConfig.EMPTY.withAddresses(sixty))) {
            InetSocketAddress dns = lab.address("dns");
            Reply udp = RawDns.udp(dns, Query.of("www.taobao.lab", A).bytes(), TIMEOUT);
            assertThat(udp.tc()).isTrue();
            assertThat(udp.counts()).as("only the question is left, as nsd leaves it").containsExactly(1, 0, 0, 0);
            assertThat(udp.length()).isLessThanOrEqualTo(512);

            Reply small = RawDns.udp(dns, Query.of("www.taobao.lab", A).edns(512, 0).bytes(), TIMEOUT);
            assertThat(small.tc()).isTrue();
            assertThat(small.opt()).isTrue();

            Reply big = RawDns.udp(dns, Query.of("www.taobao.lab", A).edns(1232, 0).bytes(), TIMEOUT);
            assertThat(big.tc()).isFalse();
            assertThat(big.answer()).hasSize(60);
            assertThat(big.length()).isLessThanOrEqualTo(1232);

            Reply tcp = RawDns.tcp(dns, Query.of("www.taobao.lab", A).bytes(), TIMEOUT);
            assertThat(tcp.tc()).isFalse();
            assertThat(tcp.answer()).hasSize(60);
            assertThat(tcp.answer().get(0).data()).isEqualTo("10.0.0.1");
        }
    }

    @Test
    void axfrIsRefusedOverTcp_notImplementedOverUdp_andChaosTellsTheVersionUnlessHidden() throws Exception {
        try (Lab lab = lab(DnsConfig.EMPTY)) {
            InetSocketAddress dns = lab.address("dns");
            Reply axfr = RawDns.tcp(dns, Query.of("taobao.lab", AXFR).bytes(), TIMEOUT);
            assertThat(RawDns.rcodeName(axfr.rcode())).isEqualTo("REFUSED");
            assertThat(axfr.answer()).isEmpty();
            Reply axfrUdp = RawDns.udp(dns, Query.of("taobao.lab", AXFR).bytes(), TIMEOUT);
            assertThat(RawDns.rcodeName(axfrUdp.rcode())).isEqualTo("NOTIMP");

            Reply version = RawDns.udp(dns, Query.of("version.bind", TXT).cls(CH).bytes(), TIMEOUT);
            assertThat(version.answer()).extracting(RawDns.Rr::toString)
                    .containsExactly("version.bind. 0 CH TXT \"Request Flow Lab DNS\"");
            Reply id = RawDns.udp(dns, Query.of("id.server", TXT).cls(CH).bytes(), TIMEOUT);
            assertThat(id.answer()).extracting(RawDns.Rr::data).containsExactly("\"dns\"");
        }
        try (Lab lab = lab(DnsConfig.EMPTY.withHideVersion(true))) {
            Reply hidden = RawDns.udp(lab.address("dns"), Query.of("version.bind", TXT).cls(CH).bytes(), TIMEOUT);
            assertThat(RawDns.rcodeName(hidden.rcode())).isEqualTo("REFUSED");
        }
    }

    @Test
    void tcp_idleConnectionsAreClosedAfterTcpTimeout_andQueriesOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (Lab lab = lab(DnsConfig.EMPTY.withTcpTimeout(Duration.ofMillis(300)))) {
            try (Socket s = new Socket()) {
                s.connect(lab.address("dns"), TIMEOUT);
                s.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                for (int id : new int[] {1, 2, 3}) {
                    byte[] q = new Query(id, 0x0100, 1, "www.taobao.lab", A, RawDns.IN, null, 0, 0, new byte[0]).bytes();
                    out.writeShort(q.length);
                    out.write(q);
                }
                out.flush();
                for (int id : new int[] {1, 2, 3}) {
                    byte[] reply = new byte[in.readUnsignedShort()];
                    in.readFully(reply);
                    assertThat(RawDns.parse(reply).id()).isEqualTo(id);
                }
                assertThat(in.read()).as("the server closes the idle connection").isEqualTo(-1);
            }
        }
    }

    @Test
    void tcp_pastTcpCount_aConnectionWaitsUnanswered_untilAServedOneCloses() throws Exception {
        try (Lab lab = lab(DnsConfig.EMPTY.withTcpCount(2))) {
            DnsServer server = (DnsServer) lab.node("dns").orElseThrow();
            InetSocketAddress dns = lab.address("dns");
            byte[] q = Query.of("www.taobao.lab", A).bytes();
            try (Socket first = ask(dns, q); Socket second = ask(dns, q); Socket third = new Socket()) {
                third.connect(dns, TIMEOUT); // the kernel completes it: nsd's backlog, or held by the lab
                third.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(third.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                assertThat(lab.metrics().node("dns").requests()).as("the third's query is not read").isEqualTo(2);
                first.close();
                DataInputStream in = new DataInputStream(third.getInputStream());
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                assertThat(RawDns.parse(reply).answer()).isNotEmpty();
                assertThat(lab.metrics().node("dns").requests()).isEqualTo(3);
                assertThat(server.tcpWaiting()).isZero();
            }
        }
    }

    /** Opens a TCP connection and has one query answered on it (so the server has accepted it). */
    private static Socket ask(InetSocketAddress dns, byte[] q) throws IOException {
        Socket s = new Socket();
        s.connect(dns, TIMEOUT);
        s.setSoTimeout(TIMEOUT);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(q.length);
        out.write(q);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        in.readFully(new byte[in.readUnsignedShort()]);
        return s;
    }
}
