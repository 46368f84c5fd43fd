package dev.flowlab.ha;

import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.Eventually;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The old master (priority 150) comes back after the backup (100) took over: with preemption (the
 * default) it takes the VIP back; with nopreempt it stays backup; with preempt_delay it waits first.
 */
class PreemptionTest {

    /** Kills a, waits for b to hold the VIP, starts a again; returns when a's keepalived runs. */
    private static void failOverToBThenRestartA(Lab lab) throws Exception {
        lab.start();
        awaitVipServedBy(lab, "a");
        lab.kill("a").get();
        awaitState(lab, "b", VrrpState.MASTER);
        awaitVipServedBy(lab, "b");
        lab.startNode("a").get();
    }

    @Test
    void restartedHigherPriority_preemptsBack() throws Exception {
        Scenario s = HaPair.scenario(HaMember.of("a", 150), HaMember.of("b", 100), null);
        try (Lab lab = new Lab(s)) {
            lab.start();
            // Both start BACKUP: the higher priority wins the first election.
            awaitState(lab, "a", VrrpState.MASTER);
            lab.kill("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            lab.startNode("a").get();

            awaitState(lab, "a", VrrpState.MASTER);
            awaitState(lab, "b", VrrpState.BACKUP);
            awaitVipServedBy(lab, "a");
            assertThat(group(lab).failovers()).extracting(Failover::to).containsExactly("b", "a");
            assertThat(group(lab).failovers().get(1).cause()).isEqualTo("preempted by a");
        }
    }

    @Test
    void restartedWithInitialStateMaster_takesOverAtOnce() throws Exception {
        try (Lab lab = new Lab(HaPair.masterAndBackup())) {
            failOverToBThenRestartA(lab);
            awaitState(lab, "a", VrrpState.MASTER);
            awaitState(lab, "b", VrrpState.BACKUP);
            awaitVipServedBy(lab, "a");
        }
    }

    @Test
    void nopreempt_restartedHigherPriority_staysBackup() throws Exception {
        Scenario s = HaPair.scenario(HaMember.of("a", 150).withNopreempt(true), HaMember.of("b", 100), null);
        try (Lab lab = new Lab(s)) {
            failOverToBThenRestartA(lab);
            long before = group(lab).advertsReceivedBy("a");
            // Enough of b's adverts to span two master_down_intervals of a: a preempting a would have happened by now.
            Duration downA = HaGroup.masterDownInterval(HaPair.ADVERT, 150, 3);
            long enough = 2 * downA.toMillis() / HaPair.ADVERT.toMillis() + 2;
            Eventually.await("a hears " + enough + " adverts from b", HaPair.WAIT,
                    () -> group(lab).advertsReceivedBy("a") - before >= enough);
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.BACKUP);
            assertThat(group(lab).stateOf("b")).isEqualTo(VrrpState.MASTER);
            assertThat(HaPair.servedByViaVip(lab)).isEqualTo("b");
        }
    }

    @Test
    void preemptDelay_waitsThatLongBeforePreempting() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        Scenario s = HaPair.scenario(HaMember.of("a", 150).withPreemptDelay(delay), HaMember.of("b", 100), null);
        try (Lab lab = new Lab(s)) {
            lab.start();
            awaitState(lab, "a", VrrpState.MASTER);
            lab.kill("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            long restarted = System.nanoTime();
            lab.startNode("a").get();

            awaitState(lab, "a", VrrpState.MASTER);
            Failover back = Eventually.await("a holds the VIP again", HaPair.WAIT, () -> group(lab).failovers(),
                    f -> f.size() == 2).get(1);
            assertThat(back.to()).isEqualTo("a");
            // Not before preempt_delay after a first heard the lower priority master.
            assertThat((back.detectedNanos() - restarted) / 1e6).isGreaterThanOrEqualTo(delay.toMillis());
            awaitVipServedBy(lab, "a");
        }
    }
}
