package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * keepalived's real-server check for an LVS virtual service, under keepalived's own names and
 * defaults. Each check connects within {@code connect_timeout}; a failure is retried {@code retry}
 * times, {@code delay_before_retry} apart, and only then does the server leave the pool (or get
 * weight 0 with {@code inhibit_on_failure}); the next round comes {@code delay_loop} later.
 * Scenarios may shorten these for demos; the defaults are keepalived's.
 */
@JsonPropertyOrder({"type", "delay_loop", "connect_timeout", "retry", "delay_before_retry", "inhibit_on_failure",
        "path", "status_code"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(
        @Param(def = "TCP_CHECK", oneOf = {"TCP_CHECK", "HTTP_GET", "NONE"},
                doc = "TCP_CHECK passes when the connection opens; HTTP_GET when GET path answers status_code; NONE: no check "
                        + "(keepalived's own default when no checker is configured)")
        String type,
        @JsonProperty("delay_loop")
        @Param(def = "60s", unit = "duration", min = 0, doc = "delay_loop: the interval between two checks of a server")
        Duration delayLoop,
        @JsonProperty("connect_timeout")
        @Param(def = "5s", unit = "duration", min = 0, doc = "connect_timeout: a check that has not connected (and, for HTTP_GET, answered) by then fails")
        Duration connectTimeout,
        @Param(def = "1", unit = "retries", min = 0, max = 100, doc = "retry: failed attempts retried before the server is declared down")
        Integer retry,
        @JsonProperty("delay_before_retry")
        @Param(def = "1s", unit = "duration", min = 0, doc = "delay_before_retry: the pause before a retry")
        Duration delayBeforeRetry,
        @JsonProperty("inhibit_on_failure")
        @Param(def = "false", doc = "inhibit_on_failure: a failed server keeps its table entry with weight 0 instead of leaving the pool")
        Boolean inhibitOnFailure,
        @Param(def = "/", doc = "HTTP_GET: url path")
        String path,
        @JsonProperty("status_code")
        @Param(def = "200", min = 100, max = 599, doc = "HTTP_GET: the status the answer must have")
        Integer statusCode) {

    public static final HealthCheck DEFAULT = new HealthCheck(null, null, null, null, null, null, null, null);

    public static HealthCheck tcp(Duration delayLoop, Duration connectTimeout, int retry, Duration delayBeforeRetry) {
        return new HealthCheck("TCP_CHECK", delayLoop, connectTimeout, retry, delayBeforeRetry, null, null, null);
    }

    public HealthCheck withType(String value) {
        return new HealthCheck(value, delayLoop, connectTimeout, retry, delayBeforeRetry, inhibitOnFailure, path, statusCode);
    }

    public HealthCheck withInhibitOnFailure(Boolean value) {
        return new HealthCheck(type, delayLoop, connectTimeout, retry, delayBeforeRetry, value, path, statusCode);
    }

    public HealthCheck withPath(String value) {
        return new HealthCheck(type, delayLoop, connectTimeout, retry, delayBeforeRetry, inhibitOnFailure, value, statusCode);
    }
}
