package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * keepalived's {@code vrrp_script} + {@code track_script}: each member checks its own local service
 * (here: a TCP connect to the member's own listener, what {@code script "nc -z 127.0.0.1 80"} would
 * do). {@code fall} failures in a row mark it failed, {@code rise} successes mark it good again.
 * With weight 0 a failure puts the instance in FAULT; a negative weight lowers the priority while
 * failing, a positive one raises it while succeeding.
 */
@JsonPropertyOrder({"name", "interval", "timeout", "rise", "fall", "weight"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackScript(
        @Param(def = "chk_service", doc = "the vrrp_script's name")
        String name,
        @Param(def = "1s", unit = "duration", doc = "interval: time between two runs of the script")
        Duration interval,
        @Param(def = "1s", unit = "duration", doc = "timeout: a run that has not succeeded by then fails (keepalived: defaults to interval)")
        Duration timeout,
        @Param(def = "1", min = 1, max = 1000, doc = "rise: successes in a row before a failed script counts as good")
        Integer rise,
        @Param(def = "1", min = 1, max = 1000, doc = "fall: failures in a row before a good script counts as failed")
        Integer fall,
        @Param(def = "0", min = -253, max = 253, doc = "weight: 0 = FAULT on failure; negative: added to the priority while failing; "
                + "positive: added while succeeding")
        Integer weight) {

    public static TrackScript tcp(Duration interval, int rise, int fall, int weight) {
        return new TrackScript(null, interval, null, rise, fall, weight);
    }
}
