package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * One node's keepalived in an {@link HaGroup}: its priority, its configured initial state, and how
 * it preempts. As in keepalived 2.x, every instance below priority 255 starts as BACKUP (state
 * MASTER included) and claims the VIP only after its own master_down_interval without hearing a
 * master; only the address owner (255) is MASTER at once. keepalived only honours
 * {@code nopreempt} and {@code preempt_delay} on an instance whose initial state is BACKUP.
 */
@JsonPropertyOrder({"node", "priority", "state", "nopreempt", "preempt_delay"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HaMember(
        String node,
        @Param(def = "100", min = 1, max = 255, doc = "priority: the higher wins the election; 255 is the address owner, "
                + "the only one that takes the VIP at once when it starts")
        Integer priority,
        @Param(def = "BACKUP", oneOf = {"MASTER", "BACKUP"}, doc = "state: the initial state. Below priority 255 both start "
                + "as BACKUP and claim the VIP after master_down_interval (3 * advert_int + skew) unless they hear a master; "
                + "MASTER only makes keepalived ignore nopreempt and preempt_delay. At 255 the member is MASTER at once")
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
