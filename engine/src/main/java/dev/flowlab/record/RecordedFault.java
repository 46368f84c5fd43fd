package dev.flowlab.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A fault applied during the run (a script step, or a kill/stop/start/partition from the app):
 * when, from the start of the traffic, the action and its node and parameters; {@code failure}
 * says why it could not be applied, null when it was.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RecordedFault(@JsonProperty("t_ms") long tMs, String action, String node, Map<String, String> params,
                            String failure) {
    public RecordedFault {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
