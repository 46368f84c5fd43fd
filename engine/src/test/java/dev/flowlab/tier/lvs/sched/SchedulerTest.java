package dev.flowlab.tier.lvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The schedulers reproduce IPVS's own choices (ip_vs_*.c). */
class SchedulerTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.100.1", 40000);

    private static String sequence(Scheduler s, List<RealServer> servers, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            RealServer r = s.schedule(servers, CLIENT);
            sb.append(r == null ? "-" : r.id());
        }
        return sb.toString();
    }

    private static List<RealServer> servers(int... weights) {
        List<RealServer> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(new RealServer(String.valueOf((char) ('A' + i)), weights[i]));
        }
        return out;
    }

    @Test
    void wrr_weights432_giveIpvsSequence_AABABCABC() {
        assertThat(sequence(new WeightedRoundRobin(), servers(4, 3, 2), 18)).isEqualTo("AABABCABC" + "AABABCABC");
    }

    @Test
    void wrr_usesTheGcdStep_andSkipsWeightZero() {
        assertThat(sequence(new WeightedRoundRobin(), servers(4, 2, 0), 6)).isEqualTo("AABAAB");
        assertThat(sequence(new WeightedRoundRobin(), servers(0, 0), 3)).isEqualTo("---");
    }

    @Test
    void wrr_afterAWeightChange_keepsGoingWithTheNewWeights() {
        List<RealServer> s = servers(1, 1);
        WeightedRoundRobin wrr = new WeightedRoundRobin();
        assertThat(sequence(wrr, s, 4)).isEqualTo("ABAB");
        s.get(0).weight(0);
        assertThat(sequence(wrr, s, 3)).isEqualTo("BBB");
    }

    @Test
    void rr_cyclesAndSkipsQuiescedAndOverloadedServers() {
        List<RealServer> s = servers(1, 0, 1);
        assertThat(sequence(new RoundRobin(), s, 4)).isEqualTo("ACAC");
        s.get(2).upperThreshold(1);
        s.get(2).connectionEstablished();
        assertThat(sequence(new RoundRobin(), s, 2)).isEqualTo("AA");
    }

    @Test
    void upperThreshold_hasIpvsHysteresis_clearingBelowThreeQuarters() {
        RealServer r = new RealServer("A", 1, 4, 0);
        for (int i = 0; i < 4; i++) {
            r.connectionEstablished();
        }
        assertThat(r.available()).isFalse();
        r.activeEntryExpired();
        assertThat(r.available()).as("3 of 4: still overloaded until below 3").isFalse();
        r.activeEntryExpired();
        assertThat(r.available()).isTrue();
    }

    @Test
    void wlc_overheadIsActiveTimes256PlusInactive_dividedByWeight() {
        List<RealServer> s = servers(1, 1);
        RealServer a = s.get(0);
        RealServer b = s.get(1);
        // A: 1 active = 256; B: 255 inactive = 255, so B is lighter.
        a.connectionEstablished();
        for (int i = 0; i < 255; i++) {
            b.connectionEstablished();
            b.connectionDeactivated();
        }
        assertThat(a.overhead()).isEqualTo(256);
        assertThat(b.overhead()).isEqualTo(255);
        assertThat(new WeightedLeastConnection().schedule(s, CLIENT)).isSameAs(b);
        // one more inactive on B: 256 vs 256, the tie goes to the first in the list.
        b.connectionEstablished();
        b.connectionDeactivated();
        assertThat(new WeightedLeastConnection().schedule(s, CLIENT)).isSameAs(a);
        // weight 3 on B: 256/1 against 256/3.
        b.weight(3);
        assertThat(new WeightedLeastConnection().schedule(s, CLIENT)).isSameAs(b);
        assertThat(new LeastConnection().schedule(s, CLIENT)).as("lc ignores weights").isSameAs(a);
    }

    @Test
    void wlc_spreadsByWeight_whenConnectionsStayOpen() {
        List<RealServer> s = servers(3, 1);
        WeightedLeastConnection wlc = new WeightedLeastConnection();
        for (int i = 0; i < 400; i++) {
            wlc.schedule(s, CLIENT).connectionEstablished();
        }
        assertThat(s.get(0).active()).isEqualTo(300);
        assertThat(s.get(1).active()).isEqualTo(100);
    }

    @Test
    void sed_ignoresInactive_andNqPrefersAnIdleServer() {
        List<RealServer> s = servers(4, 1);
        RealServer a = s.get(0);
        RealServer b = s.get(1);
        a.connectionEstablished();
        a.connectionEstablished();
        // sed: A (2+1)/4 = 0.75 < B (0+1)/1 = 1
        assertThat(new ShortestExpectedDelay(false).schedule(s, CLIENT)).isSameAs(a);
        // nq: B is idle, so B
        assertThat(new ShortestExpectedDelay(true).schedule(s, CLIENT)).isSameAs(b);
        for (int i = 0; i < 1000; i++) {
            b.connectionEstablished();
            b.connectionDeactivated();
        }
        assertThat(new ShortestExpectedDelay(true).schedule(s, CLIENT)).as("inactive does not count").isSameAs(b);
    }

    @Test
    void sh_sameSourceSameServer_weightsTakeBuckets_andAnUnavailableServerRefuses() {
        List<RealServer> s = servers(1, 3);
        SourceHashing sh = new SourceHashing();
        Set<String> chosen = new HashSet<>();
        int toB = 0;
        for (int i = 1; i <= 250; i++) {
            InetSocketAddress c = new InetSocketAddress("10.0." + i + ".7", 1000 + i);
            RealServer first = sh.schedule(s, c);
            assertThat(sh.schedule(s, new InetSocketAddress(c.getAddress(), 2000))).isSameAs(first);
            chosen.add(first.id());
            toB += first.id().equals("B") ? 1 : 0;
        }
        assertThat(chosen).containsExactlyInAnyOrder("A", "B");
        assertThat(toB).isBetween(150, 230);
        InetSocketAddress c = new InetSocketAddress("10.0.1.7", 1);
        RealServer owner = sh.schedule(s, c);
        owner.upperThreshold(1);
        owner.connectionEstablished();
        assertThat(sh.schedule(s, c)).as("no sh-fallback: refused").isNull();
    }

    @Test
    void mh_sameSourceSameServer_andOnlyThatServersClientsMoveWhenOneLeaves() {
        List<RealServer> s = servers(1, 1, 1, 1);
        MaglevHashing mh = new MaglevHashing(MaglevTable.IPVS_DEFAULT_SIZE);
        List<InetSocketAddress> clients = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            clients.add(new InetSocketAddress("10." + (i / 250) + "." + (i % 250) + ".1", 5555));
        }
        List<String> before = clients.stream().map(c -> mh.schedule(s, c).id()).toList();
        assertThat(new HashSet<>(before)).hasSize(4);
        s.get(2).inPool(false);
        List<String> after = clients.stream().map(c -> mh.schedule(s, c).id()).toList();
        long moved = 0;
        long movedThatDidNotHaveTo = 0;
        for (int i = 0; i < clients.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                moved++;
                movedThatDidNotHaveTo += before.get(i).equals("C") ? 0 : 1;
            }
        }
        assertThat(after).doesNotContain("C");
        assertThat(moved).isLessThan(clients.size() * 30L / 100);
        assertThat(movedThatDidNotHaveTo).isLessThan(clients.size() * 5L / 100);
    }

    @Test
    void maglev_fillsEvenly_everyBackendWithinOneSlotOfMOverN() {
        for (int n : new int[] {3, 7, 10, 64}) {
            List<String> names = names(n);
            MaglevTable t = new MaglevTable(names, MaglevTable.IPVS_DEFAULT_SIZE);
            double share = (double) t.size() / n;
            for (int c : t.slotCounts()) {
                assertThat((double) c).as("n=%d", n).isBetween(Math.floor(share) - 1e-9, Math.ceil(share) + 1e-9);
            }
            assertThat(java.util.Arrays.stream(t.slotCounts()).sum()).isEqualTo(t.size());
        }
    }

    @Test
    void maglev_removingOneOfN_movesLittleMoreThanOneNth() {
        int n = 10;
        List<String> names = names(n);
        MaglevTable full = new MaglevTable(names, MaglevTable.IPVS_DEFAULT_SIZE);
        List<String> fewer = new ArrayList<>(names);
        String removed = fewer.remove(4);
        MaglevTable less = new MaglevTable(fewer, MaglevTable.IPVS_DEFAULT_SIZE);
        int moved = 0;
        for (int slot = 0; slot < full.size(); slot++) {
            String was = names.get(full.backendAt(slot));
            String now = fewer.get(less.backendAt(slot));
            if (!was.equals(now)) {
                moved++;
            }
            if (!was.equals(removed)) {
                continue;
            }
            assertThat(now).isNotEqualTo(removed);
        }
        double fraction = (double) moved / full.size();
        assertThat(fraction).as("moved share").isGreaterThanOrEqualTo(1.0 / n - 0.01).isLessThan(1.0 / n + 0.05);
    }

    @Test
    void maglev_weightsGiveProportionalShares_andZeroWeightNone() {
        MaglevTable t = new MaglevTable(List.of("a", "b", "c"), new int[] {2, 1, 0}, 4093);
        int[] counts = t.slotCounts();
        assertThat(counts[2]).isZero();
        assertThat(Math.abs(counts[0] - 2 * counts[1])).isLessThanOrEqualTo(2);
        assertThatThrownBy(() -> new MaglevTable(List.of("a"), 4096)).hasMessageContaining("not prime");
    }

    @Test
    void namedSchedulers_coverIpvsNames() {
        Set<String> names = List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "mh").stream()
                .map(n -> Scheduler.named(n, 4093).name()).collect(Collectors.toSet());
        assertThat(names).hasSize(8);
        assertThatThrownBy(() -> Scheduler.named("fair", 4093)).hasMessageContaining("rr, wrr, lc, wlc");
    }

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("nginx-" + (i + 1));
        }
        return out;
    }
}
