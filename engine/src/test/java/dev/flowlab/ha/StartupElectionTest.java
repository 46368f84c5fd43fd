package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.firstState;
import static dev.flowlab.ha.HaPair.group;
import static dev.flowlab.ha.HaPair.haStates;
import static dev.flowlab.ha.HaPair.millisBetween;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.Fact.HaRole;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What keepalived 2.2.7 does when it starts: every instance below priority 255 enters BACKUP,
 * whatever its configured state, and claims the VIP only when its own master_down_interval passes
 * without a master's advert; the address owner (255) is MASTER at once.
 */
class StartupElectionTest {
    /** Scheduling slack on a loaded machine: the timer never fires early, it may run a little late. */
    private static final double LATE_MS = 250;

    @Test
    void stateMasterBelow255_startingAlone_isBackupFirst_andClaimsTheVipAfterItsMasterDownInterval() {
        try (Lab lab = Stack.lab(HaPair.alone(HaMember.of("a", 150).withState("MASTER")));
             EventBus.Subscription sub = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            List<LabEvent> seen = HaPair.drain(sub);

            LabEvent backup = firstState(seen, "a", HaRole.INIT, HaRole.BACKUP);
            LabEvent master = firstState(seen, "a", HaRole.BACKUP, HaRole.MASTER);
            Duration formula = HaGroup.masterDownInterval(HaPair.ADVERT, 150, 3);
            assertThat(backup.detail()).isEqualTo("INIT -> BACKUP: initial state MASTER, but priority 150 < 255 (only the "
                    + "address owner starts as MASTER): starts as BACKUP and claims the VIP after master_down_interval "
                    + VrrpInstance.roundedMillis(formula).toMillis() + "ms unless it hears a master");
            assertThat(master.detail()).startsWith("BACKUP -> MASTER: no master advert within master_down_interval");
            assertThat(HaPair.transitions(seen, "a"))
                    .containsSubsequence("STOPPED -> INIT", "INIT -> BACKUP", "BACKUP -> MASTER")
                    .doesNotContain("INIT -> MASTER");
            double formulaMs = formula.toNanos() / 1e6;
            assertThat(millisBetween(backup, master)).isBetween(formulaMs - 1, formulaMs + LATE_MS);
            // Nothing claimed the VIP during the wait.
            assertThat(seen).filteredOn(e -> e.type() == EventType.VIP_MOVED).allSatisfy(e ->
                    assertThat(e.nanos()).isGreaterThanOrEqualTo(master.nanos()));
            assertThat(group(lab).masters()).containsExactly("a");
        }
    }

    @Test
    void pairStartingTogether_theHigherPriorityClaimsAfterItsOwnInterval_theOtherStaysBackup() {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription sub = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            HaPair.awaitBackupHeardMaster(lab, "b");
            List<LabEvent> seen = HaPair.drain(sub);

            double formulaMs = HaGroup.masterDownInterval(HaPair.ADVERT, 150, 3).toNanos() / 1e6;
            assertThat(millisBetween(firstState(seen, "a", HaRole.INIT, HaRole.BACKUP), firstState(seen, "a", HaRole.BACKUP, HaRole.MASTER)))
                    .isBetween(formulaMs - 1, formulaMs + LATE_MS);
            assertThat(firstState(seen, "b", HaRole.INIT, HaRole.BACKUP).detail()).startsWith("INIT -> BACKUP: initial state BACKUP: ");
            assertThat(haStates(seen, "b")).noneMatch(e -> e.fact() instanceof Fact.HaTransition t && t.to() == HaRole.MASTER);
            assertThat(group(lab).stateOf("b")).isEqualTo(VrrpState.BACKUP);
        }
    }

    @Test
    void addressOwner_priority255_isMasterAtOnce() {
        try (Lab lab = Stack.lab(HaPair.alone(HaMember.of("a", 255)));
             EventBus.Subscription sub = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            List<LabEvent> seen = HaPair.drain(sub);

            LabEvent init = firstState(seen, "a", HaRole.STOPPED, HaRole.INIT);
            LabEvent master = firstState(seen, "a", HaRole.INIT, HaRole.MASTER);
            assertThat(master.detail()).isEqualTo("INIT -> MASTER: priority 255: the address owner takes the VIP at once");
            assertThat(haStates(seen, "a")).noneMatch(e -> e.fact() instanceof Fact.HaTransition t
                    && (t.from() == HaRole.BACKUP || t.to() == HaRole.BACKUP));
            // It did not wait for any master_down_interval (its own would be the shortest one there is).
            assertThat(millisBetween(init, master)).isLessThan(HaGroup.masterDownInterval(HaPair.ADVERT, 255, 3).toNanos() / 1e6);
        }
    }
}
