package dev.flowlab.tier.lvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.tier.lvs.sched.RealServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** IPVS's table semantics on a fake clock: states feed active/inactive counts, timeouts expire, the bound holds. */
class ConnectionTableTest {
    private long now;
    private final RealServer a = new RealServer("a", 1);
    private final RealServer b = new RealServer("b", 1);

    private ConnectionTable table(int max) {
        return new ConnectionTable(Duration.ofSeconds(900), Duration.ofSeconds(120), Duration.ofSeconds(300), max, () -> now);
    }

    private static InetSocketAddress client(int i) {
        return new InetSocketAddress("127.0.100." + i, 40000 + i);
    }

    @Test
    void closedEntryTurnsInactive_andExpiresAfterItsStatesTimeout() {
        ConnectionTable t = table(100);
        ConnectionTable.Entry e = t.open(client(1), a, 0);
        assertThat(a.active()).isEqualTo(1);
        t.closed(e, ConnState.TIME_WAIT);
        assertThat(a.active()).isZero();
        assertThat(a.inactive()).isEqualTo(1);
        now += Duration.ofSeconds(119).toNanos();
        assertThat(t.expire()).isZero();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(t.expire()).isEqualTo(1);
        assertThat(a.inactive()).isZero();
        assertThat(t.size()).isZero();
    }

    @Test
    void idleEstablishedEntryExpiresAfterTheTcpTimeout_trafficRestartsIt() {
        ConnectionTable t = table(100);
        ConnectionTable.Entry e = t.open(client(1), a, 0);
        now += Duration.ofSeconds(800).toNanos();
        t.touch(e);
        now += Duration.ofSeconds(800).toNanos();
        assertThat(t.expire()).isZero();
        now += Duration.ofSeconds(100).toNanos();
        assertThat(t.expire()).isEqualTo(1);
        assertThat(e.isGone()).isTrue();
        assertThat(a.active()).isZero();
        t.closed(e, ConnState.CLOSE);
        assertThat(a.inactive()).as("a gone entry is not counted twice").isZero();
    }

    @Test
    void full_dropsTheClosingEntryNearestExpiry_thenRefusesWhenAllAreLive() {
        ConnectionTable t = table(2);
        ConnectionTable.Entry first = t.open(client(1), a, 0);
        ConnectionTable.Entry second = t.open(client(2), b, 0);
        t.closed(first, ConnState.CLOSE);
        ConnectionTable.Entry third = t.open(client(3), b, 0);
        assertThat(third).isNotNull();
        assertThat(first.isGone()).isTrue();
        assertThat(a.inactive()).isZero();
        assertThat(t.open(client(4), a, 0)).as("two live connections fill a table of two").isNull();
        assertThat(t.size()).isEqualTo(2);
        assertThat(second.isGone()).isFalse();
    }

    @Test
    void persistenceTemplate_outlivesItsConnectionsByTheTimeout_andFollowsThePool() {
        ConnectionTable t = table(100);
        t.persist(client(1), a);
        ConnectionTable.Entry e = t.open(client(1), a, 0);
        now += Duration.ofSeconds(1000).toNanos();
        assertThat(t.persistentServer(new InetSocketAddress("127.0.100.1", 1))).as("held by a live connection").isSameAs(a);
        t.closed(e, ConnState.TIME_WAIT);
        now += Duration.ofSeconds(299).toNanos();
        assertThat(t.persistentServer(client(1))).isSameAs(a);
        now += Duration.ofSeconds(2).toNanos();
        assertThat(t.persistentServer(client(1))).isNull();
        t.persist(client(1), a);
        a.inPool(false);
        assertThat(t.persistentServer(client(1))).as("a server out of the pool ends the template").isNull();
    }

    @Test
    void clear_forgetsEverything_andCountsReturnToZero() {
        ConnectionTable t = table(100);
        ConnectionTable.Entry e1 = t.open(client(1), a, 0);
        ConnectionTable.Entry e2 = t.open(client(2), a, 0);
        t.closed(e2, ConnState.CLOSE_WAIT);
        t.clear();
        assertThat(e1.isGone()).isTrue();
        assertThat(a.active()).isZero();
        assertThat(a.inactive()).isZero();
        assertThat(t.countsByState()).isEmpty();
    }

    @Test
    void aTableFullOfClosingEntries_evictsInTheOrderTheyClosed_andCountsStayExact() {
        long[] now = {0};
        ConnectionTable t = new ConnectionTable(Duration.ofSeconds(900), Duration.ofSeconds(120), Duration.ofSeconds(300), 1000,
                () -> now[0]);
        RealServer rs = a;
        java.util.List<ConnectionTable.Entry> first = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ConnectionTable.Entry e = t.open(new InetSocketAddress("127.0.100.1", 10_000 + i), rs, 0);
            now[0] += 1_000;
            t.closed(e, ConnState.TIME_WAIT);
            first.add(e);
        }
        assertThat(t.size()).isEqualTo(1000);
        // A flood of short connections: each new one takes the place of the oldest TIME_WAIT entry.
        for (int i = 0; i < 5000; i++) {
            ConnectionTable.Entry e = t.open(new InetSocketAddress("127.0.100.2", 20_000 + i), rs, 0);
            assertThat(e).isNotNull();
            t.closed(e, ConnState.TIME_WAIT);
        }
        assertThat(first).allMatch(ConnectionTable.Entry::isGone);
        assertThat(t.size()).isEqualTo(1000);
        assertThat(t.countsByState()).containsExactly(java.util.Map.entry(ConnState.TIME_WAIT, 1000));
        // Past the TIME_WAIT timeout the sweep empties the table.
        now[0] += Duration.ofSeconds(121).toNanos();
        assertThat(t.expire()).isEqualTo(1000);
        assertThat(t.size()).isZero();
        assertThat(t.countsByState()).isEmpty();
    }
}
