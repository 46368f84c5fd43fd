package dev.flowlab.tier.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The DNS tier's answer path for one query of the site's A record (three VIPs, cyclic order): the
 * zone's decision (answer, authority, additional, as nsd gives them) and its wire form, without
 * the socket. dnsperf's figure (bench/) adds the kernel's UDP path and Netty's datagram channel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DnsAnswerJmh {
    private ZoneResponder responder;
    private DatagramDnsQuery query;

    @Setup
    public void setUp() throws UnknownHostException {
        List<ZoneAnswers.Vip> vips = List.of(new ZoneAnswers.Vip("lvs-a", InetAddress.getByName("127.0.10.1")),
                new ZoneAnswers.Vip("lvs-b", InetAddress.getByName("127.0.10.2")),
                new ZoneAnswers.Vip("lvs-c", InetAddress.getByName("127.0.10.3")));
        ZoneAnswers zone = new ZoneAnswers("taobao.lab", "www.taobao.lab", 60, "cyclic", () -> vips, v -> true);
        InetSocketAddress self = new InetSocketAddress("127.0.9.1", 53);
        responder = new ZoneResponder(zone, () -> self, "dns", "4.6.1", false, 1232);
        query = new DatagramDnsQuery(new InetSocketAddress("127.0.1.1", 40000), self, 4242);
        query.setRecursionDesired(true);
        query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion("www.taobao.lab.", DnsRecordType.A));
    }

    @TearDown
    public void tearDown() {
        query.release();
    }

    @Benchmark
    public int answerAndEncode() {
        ByteBuf wire = responder.respond(query, false).encode(PooledByteBufAllocator.DEFAULT, 512, false);
        int n = wire.readableBytes();
        wire.release();
        return n;
    }
}
