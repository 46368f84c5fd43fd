package dev.flowlab.trace;

import dev.flowlab.event.LabEvent;
import java.util.List;

/**
 * One request rebuilt hop by hop from the lab's events: in path order (the DNS lookup, the client,
 * the director's choice at layer 4, then every layer-7 tier), with the raw events it came from.
 */
public record Trace(String traceId, String path, int status, long startNanos, long endNanos,
                    List<TraceHop> hops, List<LabEvent> events) {

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }

    public TraceHop hop(String node) {
        return hops.stream().filter(h -> h.node().equals(node)).findFirst().orElse(null);
    }
}
