package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.Fact.HaRole;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Takeover of the VIP on real sockets: kill, graceful stop, and the VIP answering from the new master. */
class VrrpFailoverTest {

    @Test
    void startup_initialMasterHoldsTheVip_backupStaysBackup() {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            awaitState(lab, "a", VrrpState.MASTER);
            awaitState(lab, "b", VrrpState.BACKUP);
            assertThat(lab.serviceAddress("a")).isEqualTo(group(lab).vip()).isEqualTo(lab.serviceAddress("b"));
            assertThat(lab.address("a")).isNotEqualTo(group(lab).vip());
            awaitVipServedBy(lab, "a");
            assertThat(group(lab).masters()).containsExactly("a");
            assertThat(group(lab).splitBrain()).isFalse();
        }
    }

    @Test
    void aLateEventLoop_thatRunsTheBackupsTimerBeforeReadingTheMastersAdvert_doesNotMakeItMaster() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription events = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            HaPair.awaitBackupHeardMaster(lab, "b");
            HaPair.drain(events);
            long before = group(lab).advertsReceivedBy("b");

            // An overloaded machine: the group's loop is held past b's master_down_interval, so a's
            // advert task and b's timer come due in one pass, the timer before b reads the advert.
            Duration held = HaGroup.masterDownInterval(HaPair.ADVERT, 100, 3).plus(HaPair.ADVERT);
            group(lab).loop().submit(() -> {
                long until = System.nanoTime() + held.toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }).get();
            await("b reads a's adverts again").atMost(HaPair.WAIT).until(
                    () -> group(lab).advertsReceivedBy("b") - before >= 3);

            assertThat(group(lab).masters()).containsExactly("a");
            assertThat(group(lab).failovers()).isEmpty();
            assertThat(HaPair.drain(events)).noneMatch(e -> "b".equals(e.node())
                    && e.fact() instanceof Fact.HaTransition t && t.from() == HaRole.BACKUP && t.to() == HaRole.MASTER);
        }
    }

    @Test
    void masterKilled_backupTakesOverAfterMasterDownInterval_andTheVipAnswersFromIt() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription events = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            HaPair.awaitBackupHeardMaster(lab, "b");

            lab.kill("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            awaitVipServedBy(lab, "b");

            List<Failover> failovers = group(lab).failovers();
            assertThat(failovers).hasSize(1);
            Failover f = failovers.get(0);
            assertThat(f.from()).isEqualTo("a");
            assertThat(f.to()).isEqualTo("b");
            assertThat(f.cause()).isEqualTo("killed");
            Duration formula = HaGroup.masterDownInterval(HaPair.ADVERT, 100, 3);
            // The backup cannot notice before its master_down_interval has passed without an advert.
            assertThat(f.detectionMs()).isGreaterThanOrEqualTo(formula.toMillis() - HaPair.ADVERT.toMillis());
            assertThat(f.takeoverMs()).isGreaterThanOrEqualTo(f.detectionMs());

            List<LabEvent> seen = HaPair.drain(events);
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.VIP_MOVED);
                assertThat(e.node()).isEqualTo("b");
                assertThat(e.detail()).startsWith("gratuitous ARP: VIP ").endsWith("now at b");
            });
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HA_STATE);
                assertThat(e.node()).isEqualTo("b");
                assertThat(e.detail()).startsWith("BACKUP -> MASTER: no advert from a for master_down_interval");
            });
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.VRRP_ADVERT);
                assertThat(e.detail()).startsWith("advert missed from a");
            });
            assertThat(seen).anySatisfy(e -> assertThat(e.detail()).startsWith("MASTER -> STOPPED: keepalived died with the node"));
        }
    }

    @Test
    void masterStoppedGracefully_resignsWithPriorityZero_backupTakesOverAfterSkewTime() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription events = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            HaPair.awaitBackupHeardMaster(lab, "b");

            lab.stop("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            awaitVipServedBy(lab, "b");

            Failover f = group(lab).failovers().get(0);
            assertThat(f.cause()).isEqualTo("stopped (priority 0 advert)");
            assertThat(HaPair.drain(events)).anySatisfy(e -> {
                assertThat(e.node()).isEqualTo("b");
                assertThat(e.detail()).contains("a resigned (priority 0 advert); took over after skew time");
            });
        }
    }

    @Test
    void vipMovesAway_connectionsThroughTheOldMasterBreak_newConnectionsReachTheNewMaster() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            awaitVipServedBy(lab, "a");
            await("earlier connections closed").atMost(HaPair.WAIT).until(
                    () -> lab.node("a").orElseThrow().openConnections() == 0);
            java.net.Socket held = new java.net.Socket();
            held.connect(lab.serviceAddress("a"), 1000);
            held.setSoTimeout(5000);
            try (held) {
                await("a counts the held connection").atMost(HaPair.WAIT).until(
                        () -> lab.node("a").orElseThrow().openConnections() >= 1);
                lab.stop("a").get();
                // The old master gave the VIP up: the connection is reset, not left hanging.
                assertThat(held.getInputStream().read()).isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                assertThat(reset.getMessage()).containsIgnoringCase("reset");
            }
            awaitVipServedBy(lab, "b");
        }
    }
}
