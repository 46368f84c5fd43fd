package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * What the clients send. Open loop ({@code rps}): requests leave at the planned rate whatever
 * the responses do, and latency counts from the planned send time (no coordinated omission).
 * Closed loop ({@code concurrency}): that many users, each sending its next request when the
 * last one is answered.
 */
@JsonPropertyOrder({"mode", "rps", "concurrency", "duration", "mix"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Traffic(
        @Param(def = "open", oneOf = {"open", "closed"}, doc = "open: a fixed arrival rate; closed: a fixed number of users")
        String mode,
        @Param(def = "100", unit = "requests/s", min = 0, max = 1_000_000, doc = "Arrival rate in open-loop mode")
        Double rps,
        @Param(def = "8", unit = "users", min = 1, max = 100_000, doc = "Users in closed-loop mode")
        Integer concurrency,
        @Param(def = "10s", unit = "duration", min = 0, doc = "How long `lab run` sends traffic")
        Duration duration,
        @Param(doc = "The share of page, static and API requests (a browser's mix)")
        RequestMix mix) {

    public static final Traffic DEFAULT = new Traffic(null, null, null, null, null);
}
