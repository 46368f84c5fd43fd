package dev.flowlab.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** All nodes' figures at one instant; {@code tMillis} counts from the lab's start. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetricsSnapshot(long tMillis, List<NodeSnapshot> nodes) {
    public NodeSnapshot node(String id) {
        return nodes.stream().filter(n -> n.node().equals(id)).findFirst().orElse(null);
    }
}
