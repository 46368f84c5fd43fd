package dev.flowlab.topology;

import java.time.Duration;

/**
 * How long the application works on one request while holding a worker. Timer-driven (no thread
 * sleeps); {@code cpuBurn} adds real CPU work on the event loop, for demos of a CPU-bound app.
 */
public record ServiceTime(
        @Param(def = "fixed", oneOf = {"fixed", "uniform", "exponential"},
                doc = "fixed: always mean; uniform: between min and max; exponential: random with the given mean")
        String distribution,
        @Param(def = "0ms", unit = "duration", min = 0, doc = "Mean service time (fixed and exponential)")
        Duration mean,
        @Param(def = "0ms", unit = "duration", min = 0, doc = "Lower bound (uniform)")
        Duration min,
        @Param(def = "0ms", unit = "duration", min = 0, doc = "Upper bound (uniform)")
        Duration max,
        @Param(def = "0us", unit = "duration", min = 0, doc = "Real CPU time burned per request")
        Duration cpuBurn) {

    public static ServiceTime fixed(Duration mean) {
        return new ServiceTime("fixed", mean, null, null, null);
    }
}
