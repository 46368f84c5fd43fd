package dev.flowlab.tier.dns;

import static dev.flowlab.tier.dns.RawDns.A;
import static dev.flowlab.tier.dns.RawDns.AAAA;
import static dev.flowlab.tier.dns.RawDns.ANY;
import static dev.flowlab.tier.dns.RawDns.CH;
import static dev.flowlab.tier.dns.RawDns.NS;
import static dev.flowlab.tier.dns.RawDns.SOA;
import static dev.flowlab.tier.dns.RawDns.TXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.runtime.Lab;
import dev.flowlab.stack.Stack;
import dev.flowlab.tier.dns.RawDns.Query;
import dev.flowlab.topology.DnsConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The UDP answer cache (UdpAnswerCache) against the full path on real sockets: with nobody
 * listening to the lab's events a repeated query is answered from the cache; with a subscriber
 * every query takes the full path. The bytes must be the same (the ID and the question's case
 * patched in), the cyclic order must turn by one per query whichever path answers, and a change of
 * the record set (a director killed, healthAware) must show in the next answer.
 */
class DnsAnswerCacheTest {
    private static final int TIMEOUT_MS = 3000;

    /** Raw reply bytes to one query. */
    private static byte[] ask(DatagramSocket s, InetSocketAddress server, byte[] query) throws IOException {
        s.send(new DatagramPacket(query, query.length, server));
        byte[] buf = new byte[65_535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no reply to " + Arrays.toString(query));
            }
            if (p.getLength() >= 2 && buf[0] == query[0] && buf[1] == query[1]) {
                return Arrays.copyOf(buf, p.getLength());
            }
        }
    }

    private static Query withId(Query q, int id) {
        return new Query(id, q.flags(), q.qdcount(), q.name(), q.type(), q.dnsClass(), q.ednsSize(), q.ednsTtl(), q.opts(), q.tail());
    }

    private static Query named(Query q, String name) {
        return new Query(q.id(), q.flags(), q.qdcount(), name, q.type(), q.dnsClass(), q.ednsSize(), q.ednsTtl(), q.opts(), q.tail());
    }

    @Test
    void repeatedQueries_getTheFullPathsBytes_withTheirIdAndCase() throws Exception {
        // fixed order: the bytes of an answer do not depend on the query's turn
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY));
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            lab.start();
            s.setSoTimeout(TIMEOUT_MS);
            InetSocketAddress server = lab.address("dns");
            List<Query> queries = List.of(
                    Query.of("www.taobao.lab", A), Query.of("www.taobao.lab", A).edns(1232, 0),
                    Query.of("www.taobao.lab", A).edns(1232, 0x8000), Query.of("www.taobao.lab", A).flags(0),
                    Query.of("www.taobao.lab", AAAA), Query.of("nope.taobao.lab", A).edns(1232, 0),
                    Query.of("taobao.lab", SOA), Query.of("taobao.lab", NS).edns(4096, 0), Query.of("taobao.lab", ANY),
                    Query.of("ns1.taobao.lab", A), Query.of("www.example.com", A).edns(1232, 0),
                    Query.of("version.bind", TXT).cls(CH), Query.of("www.taobao.lab", A).edns(1232, 1L << 16),
                    Query.of("www.taobao.lab", A).edns(1232, 0).tail(new byte[] {1, 2, 3, 4}));
            int id = 1;
            List<byte[]> cached = new ArrayList<>();
            for (Query q : queries) {
                ask(s, server, withId(q, id++).bytes()); // fills the cache
                String mixed = q.name().toUpperCase(java.util.Locale.ROOT).substring(0, 3) + q.name().substring(3);
                cached.add(ask(s, server, withId(named(q, mixed), 7000 + cached.size()).bytes()));
            }
            try (EventBus.Subscription sub = lab.events().subscribe(1 << 16)) {
                for (int i = 0; i < queries.size(); i++) {
                    Query q = queries.get(i);
                    String mixed = q.name().toUpperCase(java.util.Locale.ROOT).substring(0, 3) + q.name().substring(3);
                    byte[] full = ask(s, server, withId(named(q, mixed), 7000 + i).bytes());
                    assertThat(cached.get(i)).as("cached reply to %s", mixed + " " + q.type()).isEqualTo(full);
                    assertThat(RawDns.parse(full).id()).isEqualTo(7000 + i);
                }
            }
            assertThat(lab.metrics().node("dns").requests()).isEqualTo(queries.size() * 3L);
        }
    }

    @Test
    void cyclicOrder_turnsByOnePerQuery_fromTheCacheAndTheFullPathAlike_andFollowsTheRecordSet() throws Exception {
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY.withRrsetOrder("cyclic").withHealthAware(true)));
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            lab.start();
            s.setSoTimeout(TIMEOUT_MS);
            InetSocketAddress server = lab.address("dns");
            String vip1 = lab.address("lvs-1").getAddress().getHostAddress();
            String vip2 = lab.address("lvs-2").getAddress().getHostAddress();
            org.junit.jupiter.api.Assumptions.assumeTrue(!vip1.equals(vip2), "the directors share one address here");
            List<String> firsts = new ArrayList<>();
            int id = 1;
            for (int i = 0; i < 12; i++) {
                EventBus.Subscription sub = i % 5 == 3 ? lab.events().subscribe(1 << 12) : null; // some on the full path
                try {
                    RawDns.Reply r = RawDns.parse(ask(s, server, withId(Query.of("www.taobao.lab", A), id++).bytes()));
                    assertThat(r.sections().get(1)).hasSize(2);
                    firsts.add(r.sections().get(1).get(0).data());
                } finally {
                    if (sub != null) {
                        sub.close();
                    }
                }
                // a query without the site's A RRset between them does not turn the order
                ask(s, server, withId(Query.of("taobao.lab", SOA), id++).bytes());
            }
            for (int i = 1; i < firsts.size(); i++) {
                assertThat(firsts.get(i)).as("query %d starts with the other VIP", i).isNotEqualTo(firsts.get(i - 1));
            }
            lab.kill("lvs-2").get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                RawDns.Reply r = RawDns.parse(ask(s, server, withId(Query.of("www.taobao.lab", A), id++).bytes()));
                assertThat(r.sections().get(1)).as("healthAware: the killed director's VIP leaves").hasSize(1);
                assertThat(r.sections().get(1).get(0).data()).isEqualTo(vip1);
            }
        }
    }
}
