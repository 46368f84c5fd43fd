package dev.flowlab.ha;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static dev.flowlab.ha.HaPair.awaitState;
import static dev.flowlab.ha.HaPair.awaitVipServedBy;
import static dev.flowlab.ha.HaPair.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TrackScript;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A track_script checks the member's own service while its keepalived lives on. */
class TrackScriptTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @Test
    void weightZero_serviceKilled_masterGoesFault_backupTakesTheVip_andBackWhenTheServiceReturns() throws Exception {
        Scenario s = HaPair.scenario(HaMember.of("a", 150).withState("MASTER"), HaMember.of("b", 100),
                TrackScript.tcp(INTERVAL, 2, 2, 0));
        try (Lab lab = Stack.lab(s);
             EventBus.Subscription events = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");

            lab.apply("kill-service", "a", Map.of()).get();
            awaitState(lab, "a", VrrpState.FAULT);
            awaitState(lab, "b", VrrpState.MASTER);
            awaitVipServedBy(lab, "b");
            Failover f = group(lab).failovers().get(0);
            assertThat(f.cause()).isEqualTo("service killed");
            assertThat(HaPair.drain(events)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HA_STATE);
                assertThat(e.node()).isEqualTo("a");
                assertThat(e.detail()).startsWith("MASTER -> FAULT: chk_service failed 2 time(s) (fall 2)")
                        .endsWith("sent priority 0 advert, released VIP");
            });

            lab.startNode("a").get();
            awaitState(lab, "a", VrrpState.MASTER);
            awaitVipServedBy(lab, "a");
        }
    }

    @Test
    void negativeWeight_failingScriptLowersThePriority_aPreemptingBackupTakesOver() throws Exception {
        Scenario s = HaPair.scenario(HaMember.of("a", 150).withState("MASTER"), HaMember.of("b", 100),
                TrackScript.tcp(INTERVAL, 1, 1, -60));
        try (Lab lab = Stack.lab(s)) {
            lab.start();
            awaitVipServedBy(lab, "a");
            lab.apply("kill-service", "a", Map.of()).get();

            await("a's priority drops to 90").atMost(HaPair.WAIT).until(() -> group(lab).priorityOf("a"), p -> p == 90);
            awaitState(lab, "b", VrrpState.MASTER);
            awaitState(lab, "a", VrrpState.BACKUP);
            awaitVipServedBy(lab, "b");

            lab.startNode("a").get();
            await("a's priority back to 150").atMost(HaPair.WAIT).until(() -> group(lab).priorityOf("a"), p -> p == 150);
            awaitState(lab, "a", VrrpState.MASTER);
            awaitVipServedBy(lab, "a");
        }
    }

    @Test
    void withoutTrackScript_aKilledServiceKeepsTheVipOnTheDeadMaster() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            awaitVipServedBy(lab, "a");
            lab.apply("kill-service", "a", Map.of()).get();
            long before = group(lab).advertsReceivedBy("b");
            await("b keeps hearing a's adverts").atMost(HaPair.WAIT).until(() -> group(lab).advertsReceivedBy("b") - before >= 15);
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.MASTER);
            assertThat(group(lab).stateOf("b")).isEqualTo(VrrpState.BACKUP);
            assertThat(HaPair.servedByViaVip(lab)).isNull();
        }
    }
}
