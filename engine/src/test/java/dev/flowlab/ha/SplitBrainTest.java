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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A partition between the members makes both master, both really hold the VIP, and the lab says so. */
class SplitBrainTest {

    @Test
    void partition_bothBecomeMaster_bothAnswerOnTheVip_flagged_healResolvesByPriority() throws Exception {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup());
             EventBus.Subscription events = lab.events().subscribe(10_000, HaPair::isHa)) {
            lab.start();
            awaitVipServedBy(lab, "a");

            lab.apply("partition", "a", Map.of("peer", "b")).get();
            awaitState(lab, "b", VrrpState.MASTER);
            assertThat(group(lab).stateOf("a")).isEqualTo(VrrpState.MASTER);
            await("split brain flagged").atMost(HaPair.WAIT).until(() -> group(lab).splitBrain());

            Set<String> answering = new HashSet<>();
            await("both masters answer new connections on the VIP").atMost(HaPair.WAIT).until(() -> {
                answering.add(HaPair.servedByViaVip(lab));
                return answering.containsAll(Set.of("a", "b"));
            });

            lab.apply("heal", "a", Map.of("peer", "b")).get();
            awaitState(lab, "b", VrrpState.BACKUP);
            await("split brain resolved").atMost(HaPair.WAIT).until(() -> !group(lab).splitBrain());
            assertThat(group(lab).masters()).containsExactly("a");
            awaitVipServedBy(lab, "a");

            var seen = HaPair.drain(events);
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.FAULT_APPLIED);
                assertThat(e.detail()).isEqualTo("partition: VRRP adverts between a and b are dropped");
            });
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HA_STATE);
                assertThat(e.node()).isEqualTo("pair");
                assertThat(e.detail()).startsWith("split brain: ");
            });
            assertThat(seen).anySatisfy(e -> assertThat(e.detail()).isEqualTo("split brain resolved: a is the only MASTER"));
        }
    }

    @Test
    void partitionOfNonMembers_isRefused() {
        try (Lab lab = Stack.lab(HaPair.masterAndBackup())) {
            lab.start();
            assertThat(lab.apply("partition", "a", Map.of()))
                    .failsWithin(java.time.Duration.ofSeconds(1))
                    .withThrowableThat().withMessageContaining("two members of one HA group");
        }
    }
}
