package dev.flowlab.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.metrics.NodeSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The card's capacity line and the saturation that picks the bottleneck, from a node's measured gauges. */
class NodeCapacityTest {

    private static NodeSnapshot with(Map<String, Integer> gauges) {
        return new NodeSnapshot("n", "tomcat", "running", 0, 0, 0, 0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                gauges);
    }

    @Test
    void tomcat_showsBusyWorkersOfMaxThreads_andTheWaitingOnlyWhenThereAreSome() {
        assertThat(NodeViewModel.capacityOf(with(Map.of("busy_workers", 12, "max_threads", 200, "waiting_for_worker", 0))))
                .isEqualTo("workers\u00a012/200");
        assertThat(NodeViewModel.capacityOf(with(Map.of("busy_workers", 50, "max_threads", 50, "waiting_for_worker", 7))))
                .isEqualTo("workers\u00a050/50   7\u00a0waiting");
    }

    @Test
    void proxy_showsItsUpstreamConnections_andANodeWithoutGauges_nothing() {
        assertThat(NodeViewModel.capacityOf(with(Map.of("upstream_connections", 8)))).isEqualTo("upstream\u00a08\u00a0conn");
        assertThat(NodeViewModel.capacityOf(with(Map.of()))).isEmpty();
    }

    @Test
    void saturation_isTheFullestLimit_andAQueueForWorkersIsPastFull() {
        assertThat(NodeViewModel.saturationOf(with(Map.of("busy_workers", 100, "max_threads", 200)))).isEqualTo(0.5);
        assertThat(NodeViewModel.saturationOf(with(Map.of("busy_workers", 10, "max_threads", 200, "connections", 90,
                "max_connections", 100)))).isEqualTo(0.9);
        assertThat(NodeViewModel.saturationOf(with(Map.of("busy_workers", 50, "max_threads", 50, "waiting_for_worker", 25))))
                .isEqualTo(1.5);
        assertThat(NodeViewModel.saturationOf(with(Map.of("upstream_connections", 8)))).isZero();
    }

    @Test
    void aRouterCountsItsFlows_andABalancerTheMovedFlowsThatSurvivedOrBroke() {
        assertThat(NodeViewModel.capacityOf(with(Map.of("flows_hashed", 120, "flows_rehashed", 23))))
                .isEqualTo("flows\u00a0120   re-hashed\u00a023");
        assertThat(NodeViewModel.capacityOf(with(Map.of("moved_survived", 0, "moved_broken", 0)))).isEmpty();
        assertThat(NodeViewModel.capacityOf(with(Map.of("moved_survived", 11, "moved_broken", 2))))
                .isEqualTo("moved:\u00a011\u00a0survived   2\u00a0broke");
    }
}
