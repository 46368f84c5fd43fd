package dev.flowlab.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * One node's figures at one instant, taken from real traffic. Rates and percentiles cover the
 * last second (a sliding window of snapshot intervals); totals count since the node was created.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NodeSnapshot(
        String node,
        String kind,
        String state,
        double rps,
        long requests,
        int activeConnections,
        int inFlight,
        double errorRate,
        Map<String, Long> errors,
        Map<String, Long> status,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double maxMs,
        long bytesIn,
        long bytesOut,
        /** Layer-4 directors: new connections scheduled per second, over the same window as rps (IPVS's CPS). */
        double connectionsPerSecond,
        /** Layer-4 directors: packets forwarded toward the real servers per second (modelled from the bytes). */
        double packetsInPerSecond,
        /** Layer-4 directors: packets forwarded back to clients per second (NAT; 0 in DR, whose replies bypass it). */
        double packetsOutPerSecond,
        long packetsIn,
        long packetsOut,
        /**
         * Capacity figures at this instant, measured: Tomcat's {@code busy_workers} of {@code max_threads},
         * {@code waiting_for_worker} (requests queued for a worker), {@code connections} of
         * {@code max_connections}; a proxy's {@code upstream_connections}. Empty for a node without any.
         */
        Map<String, Integer> gauges) {

    public NodeSnapshot {
        gauges = gauges == null ? Map.of() : Map.copyOf(gauges);
    }

    /** The capacity figure {@code name}, or -1 when the node has none by that name. */
    public int gauge(String name) {
        Integer v = gauges.get(name);
        return v == null ? -1 : v;
    }
}
