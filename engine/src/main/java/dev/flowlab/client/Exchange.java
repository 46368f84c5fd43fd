package dev.flowlab.client;

/**
 * One request's life in the client: what to send, its trace id, when it was meant to leave (the
 * latency origin) and when it did. Touched only on the client's event loop.
 */
final class Exchange {
    final BrowserMix.Request request;
    final String traceId;
    final long intendedNanos;
    long sentNanos;
    boolean done;
    /** A closed-loop user's next step; null in open loop. */
    Runnable next;

    Exchange(BrowserMix.Request request, String traceId, long intendedNanos) {
        this.request = request;
        this.traceId = traceId;
        this.intendedNanos = intendedNanos;
    }
}
