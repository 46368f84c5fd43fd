package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.Map;

/**
 * One timed action of a scenario's fault script, e.g. kill tomcat-2 at 5s. {@code action} is one
 * of the node actions the runtime supports (kill, stop, start, restart, and faults as they land).
 */
@JsonPropertyOrder({"at", "action", "node", "params"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ScriptStep(Duration at, String action, String node, Map<String, String> params) {
    public ScriptStep {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
