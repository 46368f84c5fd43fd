package dev.flowlab.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowlab.event.Fact;
import dev.flowlab.metrics.MetricsSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One frame of a recording: what the recorder took in since the last frame, up to {@code toMs}
 * from the start of the traffic. The last frame of a recording that ended well has {@code end}
 * set and may carry the run's report. The first frame names where each node was
 * ({@code addresses}, host:port: the peers of events are addresses).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record Chunk(@JsonProperty("to_ms") long toMs,
             List<Event> events,
             List<MetricsSnapshot> snapshots,
             List<RecordedFault> faults,
             long dropped,
             boolean end,
             JsonNode report,
             Map<String, String> addresses) {

    /**
     * A {@link dev.flowlab.event.LabEvent} on file: {@code t} in nanoseconds after the frame's
     * previous event (the first: from the start of the traffic; a frame's events are in time order), the type's id, the node, the peer, the trace id, the status, the duration in
     * nanoseconds and the typed fact. Zeros and nulls are left out.
     */
    record Event(@JsonProperty("t") long t, @JsonProperty("e") String type,
                 @JsonProperty("n") @JsonInclude(JsonInclude.Include.NON_NULL) String node,
                 @JsonProperty("p") @JsonInclude(JsonInclude.Include.NON_NULL) String peer,
                 @JsonProperty("tr") @JsonInclude(JsonInclude.Include.NON_NULL) String traceId,
                 @JsonProperty("s") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int status,
                 @JsonProperty("d") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long durationNanos,
                 @JsonProperty("f") @JsonInclude(JsonInclude.Include.NON_NULL) Fact fact) {
    }
}
