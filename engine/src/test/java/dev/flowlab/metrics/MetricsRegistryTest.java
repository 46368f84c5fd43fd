package dev.flowlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    @Test
    void latencyWindow_coversTheLastTenIntervalsThenForgets() {
        MetricsRegistry registry = new MetricsRegistry(100);
        NodeMetrics m = registry.register("n", "tomcat");
        for (int i = 0; i < 100; i++) {
            m.requestStarted();
            m.requestCompleted(200, 50_000_000L); // 50 ms
        }
        NodeSnapshot first = registry.snapshot(100).nodes().get(0);
        assertThat(first.p50Ms()).isCloseTo(50.0, within(1.0));
        assertThat(first.rps()).isCloseTo(1000.0, within(0.1)); // 100 requests in one 100 ms interval

        for (int tick = 1; tick < MetricsRegistry.WINDOW; tick++) {
            m.requestStarted();
            m.requestCompleted(200, 2_000_000L); // 2 ms, one per interval
            NodeSnapshot s = registry.snapshot(100 + tick * 100L).nodes().get(0);
            assertThat(s.maxMs()).as("the 50 ms interval is still in the window at tick %d", tick).isCloseTo(50.0, within(1.0));
        }
        NodeSnapshot afterWindow = registry.snapshot(100 + MetricsRegistry.WINDOW * 100L).nodes().get(0);
        assertThat(afterWindow.maxMs()).as("the 50 ms interval left the window").isCloseTo(2.0, within(0.1));
        assertThat(afterWindow.p99Ms()).isCloseTo(2.0, within(0.1));
        assertThat(afterWindow.requests()).isEqualTo(100 + MetricsRegistry.WINDOW - 1);
    }

    @Test
    void idleWindow_reportsZeroes() {
        MetricsRegistry registry = new MetricsRegistry(100);
        registry.register("n", "nginx");
        for (int tick = 0; tick < 3 * MetricsRegistry.WINDOW; tick++) {
            NodeSnapshot s = registry.snapshot(tick * 100L).nodes().get(0);
            assertThat(s.p99Ms()).isZero();
            assertThat(s.maxMs()).isZero();
            assertThat(s.rps()).isZero();
        }
    }

    @Test
    void statusCounts_byCode_withNonsenseCodesUnderZero() {
        NodeMetrics m = new NodeMetrics("n", "nginx");
        for (int status : new int[] {200, 200, 404, 502, 499, 700, -1}) {
            m.requestStarted();
            m.requestCompleted(status, 1000);
        }
        assertThat(m.statusCounts()).containsExactly(
                java.util.Map.entry("0", 2L), java.util.Map.entry("200", 2L), java.util.Map.entry("404", 1L),
                java.util.Map.entry("499", 1L), java.util.Map.entry("502", 1L));
    }
}
