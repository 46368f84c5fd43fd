package dev.flowlab.tier.dns;

import dev.flowlab.stack.Stack;
import dev.flowlab.runtime.Transport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.DnsConfig;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The DNS server on real sockets: Netty's resolver, raw UDP garbage, raw TCP. */
class DnsServerTest {

    static Scenario dnsOverTwoDirectors(DnsConfig dns) {
        LvsConfig lvs = LvsConfig.of("nat", "wlc").withHealthCheck(HealthCheck.DEFAULT.withType("NONE"));
        List<NodeSpec> nodes = List.of(
                NodeSpec.of("client", NodeKind.CLIENT),
                NodeSpec.of("dns", NodeKind.DNS).withConfig(dns),
                NodeSpec.of("lvs-1", NodeKind.LVS).withConfig(lvs),
                NodeSpec.of("lvs-2", NodeKind.LVS).withConfig(lvs));
        List<LinkSpec> links = List.of(LinkSpec.of("client", "dns"), LinkSpec.of("dns", "lvs-1"), LinkSpec.of("dns", "lvs-2"));
        return new Scenario(Scenario.FORMAT, "dns", null, nodes, links, null, null);
    }

    private static DnsNameResolver resolver(Lab lab) {
        return new DnsNameResolverBuilder(lab.group().next())
                .datagramChannelType(Transport.datagramChannel())
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(lab.address("dns")))
                .resolveCache(NoopDnsCache.INSTANCE)
                .recursionDesired(false)
                .queryTimeoutMillis(3000)
                .build();
    }

    /** One query: rcode, the A addresses in answer order, their TTLs, and whether the answer is authoritative. */
    record Reply(DnsResponseCode code, List<String> addresses, List<Long> ttls, boolean authoritative, int authority) {
    }

    private static Reply query(DnsNameResolver r, String name, DnsRecordType type) throws Exception {
        AddressedEnvelope<DnsResponse, InetSocketAddress> env = r.query(new DefaultDnsQuestion(name, type)).get(5, TimeUnit.SECONDS);
        try {
            DnsResponse resp = env.content();
            List<String> addrs = new ArrayList<>();
            List<Long> ttls = new ArrayList<>();
            for (int i = 0; i < resp.count(DnsSection.ANSWER); i++) {
                DnsRawRecord rec = resp.recordAt(DnsSection.ANSWER, i);
                if (rec.type() == DnsRecordType.A) {
                    byte[] b = new byte[4];
                    rec.content().getBytes(rec.content().readerIndex(), b);
                    addrs.add(InetAddress.getByAddress(b).getHostAddress());
                    ttls.add(rec.timeToLive());
                }
            }
            return new Reply(resp.code(), addrs, ttls, resp.isAuthoritativeAnswer(), resp.count(DnsSection.AUTHORITY));
        } finally {
            env.release();
        }
    }

    @Test
    void answersTheVipsOfItsDirectors_withTtl_rotatingBetweenQueries_nxdomainAndRefused() throws Exception {
        try (Lab lab = Stack.lab(dnsOverTwoDirectors(DnsConfig.EMPTY.withTtl(30).withRrsetOrder("cyclic")))) {
            lab.start();
            String vip1 = lab.address("lvs-1").getAddress().getHostAddress();
            String vip2 = lab.address("lvs-2").getAddress().getHostAddress();
            try (DnsNameResolver r = resolver(lab)) {
                Reply first = query(r, "www.taobao.lab.", DnsRecordType.A);
                Reply second = query(r, "www.taobao.lab.", DnsRecordType.A);
                assertThat(first.code()).isEqualTo(DnsResponseCode.NOERROR);
                assertThat(first.authoritative()).isTrue();
                assertThat(first.ttls()).containsOnly(30L);
                if (!vip1.equals(vip2)) {
                    assertThat(first.addresses()).containsExactly(vip1, vip2);
                    assertThat(second.addresses()).as("cyclic rrset-order").containsExactly(vip2, vip1);
                }
                Reply unknown = query(r, "nope.taobao.lab.", DnsRecordType.A);
                assertThat(unknown.code()).isEqualTo(DnsResponseCode.NXDOMAIN);
                assertThat(unknown.authority()).as("SOA for negative caching").isEqualTo(1);
                assertThat(query(r, "www.example.com.", DnsRecordType.A).code()).isEqualTo(DnsResponseCode.REFUSED);
                Reply aaaa = query(r, "www.taobao.lab.", DnsRecordType.AAAA);
                assertThat(aaaa.code()).isEqualTo(DnsResponseCode.NOERROR);
                assertThat(aaaa.addresses()).isEmpty();
            }
            assertThat(lab.metrics().node("dns").requests()).isEqualTo(5);
        }
    }

    @Test
    void byDefault_theOrderIsFixed_andAKilledDirectorsVipStays_asAPlainAuthoritativeServerAnswers() throws Exception {
        try (Lab lab = Stack.lab(dnsOverTwoDirectors(DnsConfig.EMPTY))) {
            lab.start();
            String vip1 = lab.address("lvs-1").getAddress().getHostAddress();
            String vip2 = lab.address("lvs-2").getAddress().getHostAddress();
            assumeTrue(!vip1.equals(vip2), "the directors share one address here (macOS): nothing to order");
            try (DnsNameResolver r = resolver(lab)) {
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).containsExactly(vip1, vip2);
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).as("rrset-order fixed")
                        .containsExactly(vip1, vip2);
                lab.kill("lvs-2").get(5, TimeUnit.SECONDS);
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).as("healthAware off")
                        .containsExactly(vip1, vip2);
            }
        }
    }

    @Test
    void healthAware_aKilledDirectorsVipLeavesTheAnswer_andReturnsWithIt() throws Exception {
        try (Lab lab = Stack.lab(dnsOverTwoDirectors(DnsConfig.EMPTY.withHealthAware(true)))) {
            lab.start();
            String vip1 = lab.address("lvs-1").getAddress().getHostAddress();
            try (DnsNameResolver r = resolver(lab)) {
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).hasSize(
                        vip1.equals(lab.address("lvs-2").getAddress().getHostAddress()) ? 1 : 2);
                lab.kill("lvs-2").get(5, TimeUnit.SECONDS);
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).containsExactly(vip1);
                lab.startNode("lvs-2").get(5, TimeUnit.SECONDS);
                assertThat(query(r, "www.taobao.lab.", DnsRecordType.A).addresses()).contains(vip1).hasSizeGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void garbage_getsSilenceOrFormerr_andTheServerKeepsAnswering() throws Exception {
        try (Lab lab = Stack.lab(dnsOverTwoDirectors(DnsConfig.EMPTY))) {
            lab.start();
            InetSocketAddress server = lab.address("dns");
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                Random random = new Random(42);
                for (int i = 0; i < 50; i++) {
                    byte[] junk = new byte[1 + random.nextInt(200)];
                    random.nextBytes(junk);
                    if (junk.length > 2) {
                        junk[2] &= 0x7f; // a "query" (QR=0), so that only FORMERR or silence may come back
                    }
                    udp.send(new DatagramPacket(junk, junk.length, server));
                }
                udp.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, server));
                byte[] header = ByteBuffer.allocate(12).putShort((short) 0x4242).putShort((short) 0)
                        .putShort((short) 3).array();
                udp.send(new DatagramPacket(header, header.length, server));
                byte[] valid = queryBytes(0x7777, "www.taobao.lab");
                udp.send(new DatagramPacket(valid, valid.length, server));

                boolean sawFormerrFor4242 = false;
                while (true) {
                    DatagramPacket p = new DatagramPacket(new byte[512], 512);
                    udp.receive(p);
                    ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                    int id = b.getShort(0) & 0xffff;
                    int rcode = b.getShort(2) & 0xf;
                    if (id == 0x4242) {
                        assertThat(rcode).as("FORMERR").isEqualTo(1);
                        sawFormerrFor4242 = true;
                    } else if (id == 0x7777) {
                        assertThat(rcode).isZero();
                        assertThat(b.getShort(6)).as("answers").isPositive();
                        break;
                    } else {
                        assertThat(rcode).as("a reply to junk is an error (FORMERR, or NOTIMP/REFUSED if it happens to decode)").isNotZero();
                    }
                }
                assertThat(sawFormerrFor4242).isTrue();
            }
            assertThat(lab.metrics().node("dns").errorsByCause()).containsKey("malformed");
        }
    }

    @Test
    void tcp_answersOnTheSamePort() throws Exception {
        try (Lab lab = Stack.lab(dnsOverTwoDirectors(DnsConfig.EMPTY))) {
            lab.start();
            try (Socket s = new Socket()) {
                s.connect(lab.address("dns"), 3000);
                s.setSoTimeout(5000);
                byte[] q = queryBytes(0x1234, "www.taobao.lab");
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] resp = new byte[in.readUnsignedShort()];
                in.readFully(resp);
                ByteBuffer b = ByteBuffer.wrap(resp);
                assertThat(b.getShort(0) & 0xffff).isEqualTo(0x1234);
                assertThat(b.getShort(2) & 0xf).isZero();
                assertThat(b.getShort(2) & 0x0400).as("AA").isNotZero();
                assertThat(b.getShort(6)).isPositive();
            }
        }
    }

    /** A minimal A query, built by hand so the test does not trust the codec it is testing. */
    static byte[] queryBytes(int id, String name) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }
}
