package dev.flowlab.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.balance.PeerGroup.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nginx's balancing sequences and passive health, reproduced without any network. */
class PeerGroupTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final long TEN_S = Duration.ofSeconds(10).toNanos();

    private static PeerGroup group(Algorithm a, PeerSpec... specs) {
        return new PeerGroup("test", a, List.of(specs), PeerGroup.HealthListener.NONE);
    }

    /** Picks and frees one request at a time, like sequential requests. */
    private static String sequence(PeerGroup g, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Selection s = g.newSelection(null, null, 0);
            Peer p = g.pick(s, T0);
            b.append(p.name());
            g.free(s, Outcome.OK, T0);
        }
        return b.toString();
    }

    @Test
    void smoothWeightedRoundRobin_weights511_giveNginxSequence() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.weighted("a", 5), PeerSpec.weighted("b", 1), PeerSpec.weighted("c", 1));
        assertThat(sequence(g, 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void roundRobin_equalWeights_rotate() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("c"));
        assertThat(sequence(g, 6)).isEqualTo("abcabc");
    }

    @Test
    void failure_dropsEffectiveWeight_andRecoversByOnePerPick() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN,
                PeerSpec.weighted("a", 4).withMaxFails(4, Duration.ofSeconds(10)), PeerSpec.weighted("b", 4));
        Selection s = g.newSelection(null, null, 0);
        assertThat(g.pick(s, T0).name()).isEqualTo("a");
        g.free(s, Outcome.FAILED, T0);
        // weight 4 / max_fails 4: effective_weight 4 -> 3
        assertThat(status(g, "a").effectiveWeight()).isEqualTo(3);
        assertThat(status(g, "a").fails()).isEqualTo(1);
        assertThat(status(g, "a").available()).isTrue();
        sequence(g, 1);
        assertThat(status(g, "a").effectiveWeight()).isEqualTo(4);
    }

    @Test
    void maxFailsReached_serverSkippedForFailTimeout_thenTriedAgain_andUpOnSuccess() {
        List<String> events = new ArrayList<>();
        PeerGroup g = new PeerGroup("test", Algorithm.ROUND_ROBIN, List.of(PeerSpec.of("a"), PeerSpec.of("b")),
                new PeerGroup.HealthListener() {
                    @Override
                    public void serverDown(Peer peer, int fails, long failTimeoutNanos) {
                        events.add("down " + peer.name() + " fails=" + fails);
                    }

                    @Override
                    public void serverUp(Peer peer) {
                        events.add("up " + peer.name());
                    }
                });
        Selection s = g.newSelection(null, null, 0);
        assertThat(s.triesLeft()).isEqualTo(2);
        assertThat(g.pick(s, T0).name()).isEqualTo("a");
        g.free(s, Outcome.FAILED, T0);
        assertThat(s.triesLeft()).isEqualTo(1);
        assertThat(g.pick(s, T0).name()).as("retry goes to the next server").isEqualTo("b");
        g.free(s, Outcome.OK, T0);
        assertThat(events).containsExactly("down a fails=1");

        for (int i = 0; i < 5; i++) {
            Selection r = g.newSelection(null, null, 0);
            assertThat(g.pick(r, T0 + TEN_S).name()).as("within fail_timeout").isEqualTo("b");
            g.free(r, Outcome.OK, T0 + TEN_S);
        }
        long later = T0 + TEN_S + 1;
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Selection r = g.newSelection(null, null, 0);
            picked.add(g.pick(r, later).name());
            g.free(r, Outcome.OK, later);
        }
        assertThat(picked).contains("a");
        assertThat(events).containsExactly("down a fails=1", "up a");
        assertThat(status(g, "a").fails()).isZero();
    }

    @Test
    void allPrimariesDown_noLiveUpstreams() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a"), PeerSpec.of("b"));
        Selection s = g.newSelection(null, null, 0);
        g.pick(s, T0);
        g.free(s, Outcome.FAILED, T0);
        g.pick(s, T0);
        g.free(s, Outcome.FAILED, T0);
        assertThat(s.triesLeft()).isZero();
        assertThat(g.pick(g.newSelection(null, null, 0), T0)).as("no live upstreams").isNull();
    }

    @Test
    void singleServerGroup_isNeverMarkedDown_andNotRetried() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("only"));
        for (int i = 0; i < 5; i++) {
            Selection s = g.newSelection(null, null, 0);
            assertThat(g.pick(s, T0)).isNotNull();
            g.free(s, Outcome.FAILED, T0);
            assertThat(s.triesLeft()).isZero();
        }
        assertThat(status(g, "only").fails()).isZero();
    }

    @Test
    void backupServes_onlyWhenAllPrimariesUnavailable() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("spare").withBackup(true));
        assertThat(sequence(g, 4)).isEqualTo("abab");
        Selection s = g.newSelection(null, null, 0);
        assertThat(s.triesLeft()).isEqualTo(3);
        g.pick(s, T0);
        g.free(s, Outcome.FAILED, T0);
        g.pick(s, T0);
        g.free(s, Outcome.FAILED, T0);
        assertThat(g.pick(s, T0).name()).isEqualTo("spare");
        assertThat(s.onBackups()).isTrue();
        g.free(s, Outcome.OK, T0);
        assertThat(sequence(g, 2)).isEqualTo("sparespare");
    }

    @Test
    void downServer_isNeverChosen_andNotCountedInTries() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a"), PeerSpec.of("b").withDown(true), PeerSpec.of("c"));
        assertThat(sequence(g, 4)).isEqualTo("acac");
        assertThat(g.tries()).isEqualTo(2);
    }

    @Test
    void maxConns_skipsBusyServer() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a").withMaxConns(1), PeerSpec.of("b").withMaxConns(1));
        Selection s1 = g.newSelection(null, null, 0);
        Selection s2 = g.newSelection(null, null, 0);
        Selection s3 = g.newSelection(null, null, 0);
        assertThat(g.pick(s1, T0).name()).isEqualTo("a");
        assertThat(g.pick(s2, T0).name()).isEqualTo("b");
        assertThat(g.pick(s3, T0)).as("both at max_conns").isNull();
        g.free(s1, Outcome.OK, T0);
        assertThat(g.pick(s3, T0).name()).isEqualTo("a");
    }

    @Test
    void proxyNextUpstreamTries_limitsTries() {
        PeerGroup g = group(Algorithm.ROUND_ROBIN, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("c"));
        assertThat(g.newSelection(null, null, 0).triesLeft()).isEqualTo(3);
        assertThat(g.newSelection(null, null, 2).triesLeft()).isEqualTo(2);
    }

    @Test
    void leastConn_prefersFewestConnectionsPerWeight_tiesByRoundRobin() {
        PeerGroup g = group(Algorithm.LEAST_CONN, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.weighted("c", 2));
        Selection busyA = g.newSelection(null, null, 0);
        // all idle: tie among a, b, c broken by smooth round-robin -> c (weight 2) first
        assertThat(g.pick(busyA, T0).name()).isEqualTo("c");
        Selection next = g.newSelection(null, null, 0);
        // c has 1 conn at weight 2 (0.5); a and b have 0: a and b tie, rr picks a
        assertThat(g.pick(next, T0).name()).isEqualTo("a");
        Selection third = g.newSelection(null, null, 0);
        assertThat(g.pick(third, T0).name()).isEqualTo("b");
        assertThat(g.pick(g.newSelection(null, null, 0), T0).name()).as("c: 1/2 < 1/1").isEqualTo("c");
        assertThat(busyA.reason()).startsWith("least_conn");
    }

    @Test
    void ipHash_usesFirstThreeOctets_andNginxHash() {
        PeerGroup g = group(Algorithm.IP_HASH, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("c"));
        // 89 -> (89*113+127)%6271=3913 -> (3913*113+0)%6271=3199 -> (3199*113+0)%6271=4040; 4040%3=2
        for (int last = 1; last < 255; last += 50) {
            Selection s = g.newSelection(new byte[] {127, 0, 0, (byte) last}, null, 0);
            assertThat(g.pick(s, T0).name()).isEqualTo("c");
            assertThat(s.reason()).isEqualTo("ip_hash 127.0.0 -> hash 4040");
            g.free(s, Outcome.OK, T0);
        }
        Selection other = g.newSelection(new byte[] {127, 0, 1, 9}, null, 0);
        // 3913 -> 3199 -> (3199*113+1)%6271=4041; 4041%3=0
        assertThat(g.pick(other, T0).name()).isEqualTo("a");
    }

    @Test
    void ipHash_whenChosenServerFailed_rehashesFromTheLastHash() {
        PeerGroup g = group(Algorithm.IP_HASH, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("c"));
        byte[] client = {127, 0, 0, 7};
        Selection s = g.newSelection(client, null, 0);
        assertThat(g.pick(s, T0).name()).isEqualTo("c");
        g.free(s, Outcome.FAILED, T0);
        // the retry continues from 4040: three more rounds of (h*113+octet)%6271
        int h = 4040;
        for (int b : new int[] {127, 0, 0}) {
            h = (h * 113 + b) % 6271;
        }
        String expected = h % 3 == 2 ? null : List.of("a", "b", "c").get(h % 3);
        Peer retry = g.pick(s, T0);
        if (expected != null) {
            assertThat(retry.name()).isEqualTo(expected);
        } else {
            assertThat(retry.name()).isNotEqualTo("c");
        }
        g.free(s, Outcome.OK, T0);
        Selection fresh = g.newSelection(client, null, 0);
        assertThat(g.pick(fresh, T0).name()).as("c is down for fail_timeout").isNotEqualTo("c");
    }

    @Test
    void hash_sameKeySameServer() {
        PeerGroup g = group(Algorithm.HASH, PeerSpec.of("a"), PeerSpec.of("b"), PeerSpec.of("c"));
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            String key = "/item/" + i;
            Selection s = g.newSelection(null, key, 0);
            first.put(key, g.pick(s, T0).name());
            g.free(s, Outcome.OK, T0);
        }
        for (int i = 0; i < 100; i++) {
            String key = "/item/" + i;
            Selection s = g.newSelection(null, key, 0);
            assertThat(g.pick(s, T0).name()).isEqualTo(first.get(key));
            g.free(s, Outcome.OK, T0);
        }
        assertThat(first.values()).contains("a", "b", "c");
    }

    @Test
    void consistentHash_serverLeaving_movesAboutOneNthOfKeys_andOnlyItsOwn() {
        int n = 5;
        List<PeerSpec> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(PeerSpec.of("tomcat-" + i));
        }
        PeerGroup before = new PeerGroup("t", Algorithm.HASH_CONSISTENT, all, null);
        PeerGroup after = new PeerGroup("t", Algorithm.HASH_CONSISTENT, all.subList(0, n - 1), null);
        int keys = 20_000;
        int moved = 0;
        for (int i = 0; i < keys; i++) {
            String key = "/search?q=" + i;
            String a = pickOnce(before, key);
            String b = pickOnce(after, key);
            if (!a.equals(b)) {
                moved++;
                assertThat(a).as("only keys of the server that left move").isEqualTo("tomcat-" + n);
            }
        }
        double share = moved / (double) keys;
        assertThat(share).isBetween(0.6 / n, 1.4 / n);
    }

    @Test
    void consistentHash_ketamaHas160PointsPerWeightUnit() {
        Ketama k = new Ketama(List.of(new Peer(PeerSpec.weighted("a", 2), 0), new Peer(PeerSpec.of("b"), 1)));
        assertThat(k.size()).isEqualTo(3 * 160);
    }

    @Test
    void hashAlgorithms_refuseBackupServers() {
        assertThatThrownBy(() -> group(Algorithm.IP_HASH, PeerSpec.of("a"), PeerSpec.of("b").withBackup(true)))
                .hasMessageContaining("backup");
    }

    private static String pickOnce(PeerGroup g, String key) {
        Selection s = g.newSelection(null, key, 0);
        String name = g.pick(s, T0).name();
        g.free(s, Outcome.OK, T0);
        return name;
    }

    private static PeerStatus status(PeerGroup g, String name) {
        return g.status(T0).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
