package dev.flowlab.live;

import dev.flowlab.event.LabEvent;
import java.util.List;

/**
 * One 100 ms batch for the view: every link's figures and samples, the direct-return paths, every
 * node's badge, the notable events of the interval (state changes, failures, a sample of requests),
 * and the bus's counters, so the view can say how much it did not see.
 */
public record ActivityFrame(long tMillis, List<LinkStats> links, List<ReturnPath> directReturns, List<NodeBadge> nodes,
                            List<LabEvent> events, long eventsSeen, long eventsDropped) {
}
