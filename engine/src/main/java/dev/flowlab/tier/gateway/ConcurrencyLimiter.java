package dev.flowlab.tier.gateway;

import java.util.ArrayDeque;

/**
 * A route's traffic shaping: at most {@code maxConcurrent} requests in flight to its backends,
 * up to {@code maxQueue} more waiting in FIFO order (the queue timeout is the waiter's own
 * timer). A released slot goes straight to the oldest waiter. Shared by every event loop, hence
 * the short lock; a waiter is called on the releasing thread and must hop to its own loop.
 */
final class ConcurrencyLimiter {
    interface Waiter {
        void granted();
    }

    static final int ADMITTED = 0;
    static final int REJECTED = -1;

    private final int maxConcurrent;
    private final int maxQueue;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    ConcurrencyLimiter(int maxConcurrent, int maxQueue) {
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
    }

    /** {@link #ADMITTED}, the queue position once queued, or {@link #REJECTED} (queue full). */
    synchronized int acquireOrEnqueue(Waiter w) {
        if (inFlight < maxConcurrent && queue.isEmpty()) {
            inFlight++;
            return ADMITTED;
        }
        if (queue.size() >= maxQueue) {
            return REJECTED;
        }
        queue.addLast(w);
        return queue.size();
    }

    void release() {
        Waiter next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.granted();
    }

    /** Leaves the queue (timeout, client gone); false when the slot was already handed over. */
    synchronized boolean cancel(Waiter w) {
        return queue.remove(w);
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int queued() {
        return queue.size();
    }

    int maxConcurrent() {
        return maxConcurrent;
    }
}
