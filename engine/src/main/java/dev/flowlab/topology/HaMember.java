package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * One node's keepalived in an {@link HaGroup}: its priority, the state it starts in, and how it
 * preempts. keepalived only honours {@code nopreempt} and {@code preempt_delay} on an instance
 * that starts in state BACKUP.
 */
@JsonPropertyOrder({"node", "priority", "state", "nopreempt", "preempt_delay"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HaMember(
        String node,
        @Param(def = "100", min = 1, max = 255, doc = "priority: the higher wins the election; 255 is the address owner")
        Integer priority,
        @Param(def = "BACKUP", oneOf = {"MASTER", "BACKUP"}, doc = "state: the state keepalived starts in; MASTER advertises at "
                + "once, BACKUP waits master_down_interval before taking over")
        String state,
        @Param(def = "false", doc = "nopreempt: a higher priority backup does not take the VIP from a running master")
        Boolean nopreempt,
        @JsonProperty("preempt_delay")
        @Param(def = "0s", unit = "duration", min = 0, max = 1000, doc = "preempt_delay: wait this long after start-up (or after "
                + "first hearing a lower priority master) before preempting")
        Duration preemptDelay) {

    public static HaMember of(String node, int priority) {
        return new HaMember(node, priority, null, null, null);
    }

    public HaMember withState(String value) {
        return new HaMember(node, priority, value, nopreempt, preemptDelay);
    }

    public HaMember withNopreempt(Boolean value) {
        return new HaMember(node, priority, state, value, preemptDelay);
    }

    public HaMember withPreemptDelay(Duration value) {
        return new HaMember(node, priority, state, nopreempt, value);
    }
}
