package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.LabEvent;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The old master (priority 150) comes back after the backup (100) took over: it starts as BACKUP
 * (even with state MASTER), and with preemption (the default) takes the VIP back once its own
 * master_down_interval passes, discarding the lower priority adverts; with nopreempt it stays
 * backup; with preempt_delay it waits first.
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
        try (Lab lab = Stack.lab(s)) {
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
    void restartedWithInitialStateMaster_startsAsBackup_waitsItsMasterDownInterval_thenPreemptsTheLowerMaster() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription sub = lab.events().subscribe(10_000, HaPair::isHa)) {
            failOverToBThenRestartA(lab);
            // keepalived is up on a again, but as BACKUP: b still holds the VIP while a waits.
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.BACKUP);
            assertThat(group(lab).stateOf("b")).isEqualTo(VrrpState.MASTER);

            awaitState(lab, "a", VrrpState.MASTER);
            awaitState(lab, "b", VrrpState.BACKUP);
            awaitVipServedBy(lab, "a");
            List<LabEvent> seen = HaPair.drain(sub);
            List<LabEvent> restarts = HaPair.haStates(seen, "a").stream()
                    .filter(e -> e.fact() instanceof Fact.HaTransition t && t.from() == Fact.HaRole.INIT
                            && t.to() == Fact.HaRole.BACKUP).toList();
            LabEvent waiting = restarts.get(restarts.size() - 1);
            LabEvent preempting = HaPair.haStates(seen, "a").stream()
                    .filter(e -> e.nanos() >= waiting.nanos() && e.fact() instanceof Fact.HaTransition t
                            && t.from() == Fact.HaRole.BACKUP && t.to() == Fact.HaRole.MASTER).findFirst().orElseThrow();
            assertThat(waiting.detail()).contains("starts as BACKUP and claims the VIP after master_down_interval");
            assertThat(preempting.detail()).startsWith("BACKUP -> MASTER: preempting b (its priority 100 < 150; its adverts "
                    + "were discarded) after master_down_interval");
            assertThat(HaPair.haStates(seen, "a")).anySatisfy(e -> assertThat(e.detail())
                    .startsWith("BACKUP: master b has lower priority 100 < 150; its adverts are discarded"));
            Duration formula = HaGroup.masterDownInterval(HaPair.ADVERT, 150, 3);
            double formulaMs = formula.toNanos() / 1e6;
            assertThat(HaPair.millisBetween(waiting, preempting)).isBetween(formulaMs - 1, formulaMs + 250);

            Failover back = group(lab).failovers().get(1);
            assertThat(back.from()).isEqualTo("b");
            assertThat(back.to()).isEqualTo("a");
            assertThat(back.cause()).isEqualTo("preempted by a");
            assertThat(back.preemption()).isTrue();
            assertThat(back.waitMs()).isBetween(formulaMs - 1, formulaMs + 250);
        }
    }

    @Test
    void nopreempt_restartedHigherPriority_staysBackup() throws Exception {
        Scenario s = HaPair.scenario(HaMember.of("a", 150).withNopreempt(true), HaMember.of("b", 100), null);
        try (Lab lab = Stack.lab(s)) {
            failOverToBThenRestartA(lab);
            long before = group(lab).advertsReceivedBy("a");
            // Enough of b's adverts to span two master_down_intervals of a: a preempting a would have happened by now.
            Duration downA = HaGroup.masterDownInterval(HaPair.ADVERT, 150, 3);
            long enough = 2 * downA.toMillis() / HaPair.ADVERT.toMillis() + 2;
            await("a hears " + enough + " adverts from b").atMost(HaPair.WAIT).until(
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
        try (Lab lab = Stack.lab(s)) {
            lab.start();
            awaitState(lab, "a", VrrpState.MASTER);
            lab.kill("a").get();
            awaitState(lab, "b", VrrpState.MASTER);
            long restarted = System.nanoTime();
            lab.startNode("a").get();

            awaitState(lab, "a", VrrpState.MASTER);
            Failover back = await("a holds the VIP again").atMost(HaPair.WAIT).until(() -> group(lab).failovers(),
                    f -> f.size() == 2).get(1);
            assertThat(back.to()).isEqualTo("a");
            // Not before preempt_delay after a first heard the lower priority master.
            assertThat((back.detectedNanos() - restarted) / 1e6).isGreaterThanOrEqualTo(delay.toMillis());
            awaitVipServedBy(lab, "a");
        }
    }
}
