package dev.flowlab.event;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trace ids someone asked to see in detail. A collector {@link #announce announces} an id; the
 * next request a load client sends {@link #claim claims} it instead of making its own; every tier
 * then asks {@link #watched} and, only for such an id, captures the headers at its hop. When nobody
 * traces, both checks are one volatile read, so the hot path pays nothing for the feature.
 */
public final class TraceMarks {
    private final AtomicReference<String> announced = new AtomicReference<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean any;

    /** The next request a client sends carries this trace id, and every hop captures its headers. */
    public void announce(String traceId) {
        watched.add(traceId);
        any = true;
        announced.set(traceId);
    }

    /**
     * Every hop captures this id's headers, without handing the id to the next load-client request
     * (for a client that sets the id on its own request, such as a traced browser visit).
     */
    public void watch(String traceId) {
        watched.add(traceId);
        any = true;
    }

    /** For a client making its next request: the announced id (once), or null. */
    public String claim() {
        if (announced.get() == null) {
            return null;
        }
        return announced.getAndSet(null);
    }

    /** Whether an announced id is still waiting for a request to carry it. */
    public boolean pending() {
        return announced.get() != null;
    }

    public boolean watched(String traceId) {
        return any && traceId != null && watched.contains(traceId);
    }

    /** Stops capturing for this id (its trace is complete or abandoned). */
    public void release(String traceId) {
        watched.remove(traceId);
        announced.compareAndSet(traceId, null);
        any = !watched.isEmpty();
    }
}
