package dev.flowlab.event;

/**
 * One thing that happened at one hop. Cheap by design (no maps): the emitting node, the peer
 * (a node id or an address), a monotonic timestamp ({@link System#nanoTime()}), the trace id when
 * one exists, a status (HTTP status, DNS rcode, or 0), a duration when one applies, and the typed
 * {@link Fact} of what happened. Consumers read the fact's fields ({@code instanceof}); the sentence
 * a human reads is rendered from it, only when asked for ({@link #detail()}).
 */
public record LabEvent(long nanos, EventType type, String node, String peer, String traceId,
                       int status, long durationNanos, Fact fact) {

    public static LabEvent of(EventType type, String node, Fact fact) {
        return new LabEvent(System.nanoTime(), type, node, null, null, 0, 0, fact);
    }

    /** The fact as a human sentence ("chose tomcat-2 (rr)"), or null when the event carries none. Rendered on each call. */
    public String detail() {
        return fact == null ? null : fact.describe();
    }
}
