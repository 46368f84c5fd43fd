package dev.flowlab.event;

/**
 * One thing that happened at one hop. Cheap by design (no maps): the emitting node, the peer
 * (a node id or an address), a monotonic timestamp ({@link System#nanoTime()}), the trace id when
 * one exists, a status (HTTP status, DNS rcode, or 0), a duration when one applies, and a short
 * detail ("cause=connect_refused", "chose tomcat-2 (rr)").
 */
public record LabEvent(long nanos, EventType type, String node, String peer, String traceId,
                       int status, long durationNanos, String detail) {

    public static LabEvent of(EventType type, String node, String detail) {
        return new LabEvent(System.nanoTime(), type, node, null, null, 0, 0, detail);
    }
}
