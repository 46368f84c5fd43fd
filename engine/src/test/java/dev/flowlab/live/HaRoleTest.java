package dev.flowlab.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.Fact.HaRole;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.ha.Failover;
import dev.flowlab.ha.HighAvailability;
import dev.flowlab.ha.VrrpGroup;
import dev.flowlab.ha.VrrpState;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.ArrayList;
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
                id -> null, new LabClock(), false)) {
            publish(bus, HaRole.INIT, HaRole.MASTER, "priority 255: the address owner takes the VIP at once");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isEqualTo("master");

            // "MASTER -> BACKUP: ... master ..." names master first and in its reason: the badge follows the target state.
            publish(bus, HaRole.MASTER, HaRole.BACKUP, "advert from lvs-2 with higher priority 200 > 150 (the new master)");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isEqualTo("backup");

            publish(bus, HaRole.BACKUP, HaRole.STOPPED, "keepalived stopped");
            assertThat(LinkActivityTest.badge(activity.tickNow(), "lvs").role()).isNull();
        }
    }

    /**
     * A real keepalived pair on a lab driven by a manual clock: a (150) is master, is killed, b takes
     * over, a comes back and preempts, so b goes MASTER -> BACKUP. The VRRP timers run on real time,
     * but every HA event and failover is stamped with the lab's clock (standing still between the
     * test's advances), and b's badge reads backup after its demotion.
     */
    @Test
    void vrrpTransitions_areStampedByTheLabsClock_andTheDemotedMastersBadgeReadsBackup() throws Exception {
        Duration advert = Duration.ofMillis(100);
        Duration wait = Duration.ofSeconds(10);
        HaGroup group = new HaGroup("pair", null, 7, advert, 3, List.of(HaMember.of("a", 150), HaMember.of("b", 100)), null);
        Scenario s = new Scenario(Scenario.FORMAT, "ha-pair", null, List.of(NodeSpec.of("client", NodeKind.CLIENT),
                NodeSpec.of("a", NodeKind.TOMCAT), NodeSpec.of("b", NodeKind.TOMCAT)), List.of(LinkSpec.of("client", "a")),
                null, null, List.of(group));
        LabClock.Manual clock = LabClock.manual();
        try (Lab lab = Stack.lab(s, LabOptions.defaults().withClock(clock));
             EventBus.Subscription sub = lab.events().subscribe(10_000, e -> e.type() == EventType.HA_STATE);
             LinkActivity activity = new LinkActivity(lab)) {
            lab.start();
            VrrpGroup pair = HighAvailability.of(lab).group("pair").orElseThrow();
            await("a is master").atMost(wait).until(() -> pair.stateOf("a"), st -> st == VrrpState.MASTER);

            clock.advance(Duration.ofSeconds(5));
            long killedAt = clock.nanos();
            lab.kill("a").get();
            await("b takes over and holds the VIP").atMost(wait).until(() -> pair.stateOf("b") == VrrpState.MASTER
                    && pair.failovers().size() == 1);
            await("b's badge").atMost(wait).until(() -> activity.latest() != null
                    && "master".equals(LinkActivityTest.badge(activity.latest(), "b").role()));

            clock.advance(Duration.ofSeconds(3));
            long restartedAt = clock.nanos();
            lab.startNode("a").get();
            await("a preempts b").atMost(wait).until(() -> pair.stateOf("a") == VrrpState.MASTER
                    && pair.stateOf("b") == VrrpState.BACKUP && pair.failovers().size() == 2);

            List<LabEvent> seen = new ArrayList<>();
            for (LabEvent e; (e = sub.poll()) != null; ) {
                seen.add(e);
            }
            assertThat(transitionOf(seen, "b", HaRole.BACKUP, HaRole.MASTER).nanos()).isEqualTo(killedAt);
            assertThat(transitionOf(seen, "b", HaRole.MASTER, HaRole.BACKUP).nanos()).isEqualTo(restartedAt);
            assertThat(seen).allSatisfy(e -> assertThat(e.nanos()).isBetween(clock.originNanos(), restartedAt));
            Failover takeover = pair.failovers().get(0);
            Failover back = pair.failovers().get(1);
            assertThat(List.of(takeover.lostNanos(), takeover.detectedNanos(), takeover.vipBoundNanos())).containsOnly(killedAt);
            assertThat(List.of(back.detectedNanos(), back.vipBoundNanos())).containsOnly(restartedAt);

            await("the demoted master's badge").atMost(wait).until(() -> LinkActivityTest.badge(activity.latest(), "b").role(),
                    "backup"::equals);
            assertThat(LinkActivityTest.badge(activity.latest(), "a").role()).isEqualTo("master");
            assertThat(activity.latest().tMillis()).isEqualTo(Duration.ofSeconds(8).toMillis());
        }
    }

    private static LabEvent transitionOf(List<LabEvent> events, String node, HaRole from, HaRole to) {
        return events.stream().filter(e -> node.equals(e.node()) && e.fact() instanceof Fact.HaTransition t && t.from() == from
                && t.to() == to).reduce((first, later) -> later).orElseThrow(() -> new AssertionError(
                "no " + from + " -> " + to + " of " + node + " in " + events.stream().map(LabEvent::detail).toList()));
    }

    private static void publish(EventBus bus, HaRole from, HaRole to, String why) {
        bus.publish(LabEvent.of(EventType.HA_STATE, "lvs", new Fact.HaTransition(from, to, why)));
    }
}
