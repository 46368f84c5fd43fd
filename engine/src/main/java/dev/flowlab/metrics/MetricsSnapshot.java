package dev.flowlab.metrics;

import java.util.List;

/** All nodes' figures at one instant; {@code tMillis} counts from the lab's start. */
public record MetricsSnapshot(long tMillis, List<NodeSnapshot> nodes) {
    public NodeSnapshot node(String id) {
        return nodes.stream().filter(n -> n.node().equals(id)).findFirst().orElse(null);
    }
}
