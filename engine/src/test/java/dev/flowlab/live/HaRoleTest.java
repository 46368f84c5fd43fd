package dev.flowlab.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.Fact.HaRole;
import dev.flowlab.event.LabEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The badge's HA role follows the state keepalived's instance went to (the typed transition), never a word in a sentence. */
class HaRoleTest {
    @Test
    void aDemotedMaster_isABackup_andEveryOtherFactNamesItsState() {
        assertThat(LinkActivity.roleOf(new Fact.HaTransition(HaRole.MASTER, HaRole.BACKUP, "higher priority advert from lvs-2")))
                .isEqualTo(HaRole.BACKUP);
        assertThat(LinkActivity.roleOf(new Fact.HaTransition(HaRole.BACKUP, HaRole.MASTER, "no advert within master_down_interval")))
                .isEqualTo(HaRole.MASTER);
        assertThat(LinkActivity.roleOf(new Fact.HaTransition(HaRole.MASTER, HaRole.FAULT, "track_script failed")))
                .isEqualTo(HaRole.FAULT);
        assertThat(LinkActivity.roleOf(new Fact.HaTransition(HaRole.MASTER, HaRole.STOPPED, "killed"))).isEqualTo(HaRole.STOPPED);
        assertThat(LinkActivity.roleOf(new Fact.VipWithoutService("127.0.10.1:80"))).isEqualTo(HaRole.MASTER);
        assertThat(LinkActivity.roleOf(new Fact.LowerPriorityMaster("lvs-1", 100, 150, "waiting preempt_delay 5s")))
                .isEqualTo(HaRole.BACKUP);
        assertThat(LinkActivity.roleOf(new Fact.PriorityChanged(HaRole.MASTER, 150, 130, "chk failed", -20)))
                .isEqualTo(HaRole.MASTER);
        assertThat(LinkActivity.roleOf(new Fact.DuplicateVip("127.0.10.200:80", List.of("a", "b"), List.of("a"), List.of("b"))))
                .isNull();
        assertThat(LinkActivity.roleOf(new Fact.Note("something else"))).isNull();
    }

    @Test
    void aDemotedMastersBadge_readsBackup() {
        EventBus bus = new EventBus();
        try (LinkActivity activity = new LinkActivity(LiveScenarios.lvsInFront("nat", 1), bus, () -> null, id -> "running",
                id -> null, System.nanoTime(), false)) {
            publish(bus, HaRole.INIT, HaRole.MASTER, "priority 255: the address owner takes the VIP at once");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isEqualTo("master");

            // "MASTER -> BACKUP: ... master ..." names master first and in its reason: the badge follows the target state.
            publish(bus, HaRole.MASTER, HaRole.BACKUP, "advert from lvs-2 with higher priority 200 > 150 (the new master)");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isEqualTo("backup");

            publish(bus, HaRole.BACKUP, HaRole.STOPPED, "keepalived stopped");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isNull();
        }
    }

    private static void publish(EventBus bus, HaRole from, HaRole to, String why) {
        bus.publish(LabEvent.of(EventType.HA_STATE, "lvs", new Fact.HaTransition(from, to, why)));
    }
}
