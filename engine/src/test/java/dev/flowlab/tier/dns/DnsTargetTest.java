package dev.flowlab.tier.dns;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.client.DnsTarget;
import dev.flowlab.client.ErrorCauses;
import dev.flowlab.client.LoadClient;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.DnsConfig;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The client's resolution through the lab's DNS honours the record's TTL, not the JVM's cache. */
class DnsTargetTest {

    private static DnsTarget target(Lab lab, String host, AtomicLong clock) {
        return new DnsTarget(lab.group().next(), () -> lab.address("dns"), host, null, vip -> {
            for (String id : new String[] {"lvs-1", "lvs-2"}) {
                if (lab.address(id).getAddress().equals(vip)) {
                    return lab.address(id);
                }
            }
            return null;
        }, Duration.ofSeconds(2), clock::get);
    }

    @Test
    void sticksToOneVip_forTheRecordsTtl_thenAsksAgain_andTheRotationMovesIt() throws Exception {
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY.withTtl(60).withRrsetOrder("cyclic")))) {
            lab.start();
            AtomicLong clock = new AtomicLong();
            DnsTarget t = target(lab, "www.taobao.lab", clock);
            InetSocketAddress first = t.next().get(5, TimeUnit.SECONDS);
            assertThat(first).isEqualTo(lab.address("lvs-1"));
            for (int i = 0; i < 10; i++) {
                clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
                assertThat(t.next().get(5, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(t.queries()).as("one query for 11 connections within the TTL").isEqualTo(1);
            assertThat(t.current().ttlSeconds()).isEqualTo(60);
            assertThat(lab.metrics().node("dns").requests()).isEqualTo(1);

            clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
            InetSocketAddress afterExpiry = t.next().get(5, TimeUnit.SECONDS);
            assertThat(t.queries()).isEqualTo(2);
            if (!lab.address("lvs-1").getAddress().equals(lab.address("lvs-2").getAddress())) {
                assertThat(afterExpiry).as("the server rotated its answer").isEqualTo(lab.address("lvs-2"));
            }
        }
    }

    @Test
    void unknownName_failsAsADnsError() {
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY))) {
            lab.start();
            DnsTarget t = target(lab, "nope.taobao.lab", new AtomicLong());
            assertThatThrownBy(() -> t.next().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("NXDOMAIN");
            assertThat(ErrorCauses.classify(new UnknownHostException("x"))).isEqualTo(ErrorCauses.DNS);
        }
    }

    @Test
    void loadClientForLab_resolvesThroughTheDnsNodeItLinksTo() throws Exception {
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY))) {
            lab.start();
            try (LoadClient client = LoadClient.forLab(lab, "client")) {
                assertThat(client.options().target()).isInstanceOf(DnsTarget.class);
                InetSocketAddress a = client.options().target().next().get(5, TimeUnit.SECONDS);
                assertThat(a).isIn(lab.address("lvs-1"), lab.address("lvs-2"));
            }
        }
    }

    @Test
    void aTruncatedAnswer_isAskedAgainOverTcp_andGivesTheWholeSet() throws Exception {
        List<String> sixty = IntStream.rangeClosed(1, 60).mapToObj(i -> "10.0.0." + i).toList();
        try (Lab lab = Stack.lab(DnsServerTest.dnsOverTwoDirectors(DnsConfig.EMPTY.withAddresses(sixty)))) {
            lab.start();
            DnsTarget t = target(lab, "www.taobao.lab", new AtomicLong());
            DnsTarget.Resolution r = t.resolution().get(5, TimeUnit.SECONDS);
            assertThat(r.answer()).hasSize(60);
            assertThat(r.vip().getHostAddress()).isEqualTo("10.0.0.1");
            assertThat(t.queries()).as("one resolution: UDP, then TCP after TC").isEqualTo(1);
            assertThat(lab.metrics().node("dns").requests()).as("the UDP query and its TCP retry").isEqualTo(2);
        }
    }
}
