package dev.flowlab.tier.tomcat;

import java.util.ArrayDeque;

/**
 * Tomcat's executor modelled as permits: {@code maxThreads} requests are processed at once, the
 * rest wait in FIFO order. No thread is created; a permit is held only while a request is in
 * service, so idle keep-alive connections hold none (as with Tomcat's NIO connector).
 *
 * <p>Shared by every event loop serving the node, hence the lock; it is held for a few field
 * updates only. A released permit is handed straight to the oldest waiter, so a request that
 * arrives later can never overtake one that waits.
 */
final class WorkerPool {
    /** A request waiting for a worker. Called on the releasing thread; hop to your own loop. */
    interface Waiter {
        void workerGranted();
    }

    static final int GRANTED = 0;
    static final int REJECTED = -1;

    private final int maxThreads;
    private final int maxQueue;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private volatile int busy;
    private volatile int queued;
    private volatile int peakBusy;
    private volatile int peakQueued;

    /**
     * @param maxQueue Tomcat's executor queue is unbounded but can never hold more requests than
     *                 there are connections, so maxConnections bounds it
     */
    WorkerPool(int maxThreads, int maxQueue) {
        this.maxThreads = maxThreads;
        this.maxQueue = maxQueue;
    }

    /** {@link #GRANTED} (the caller holds a permit now), the queue depth once queued, or {@link #REJECTED}. */
    synchronized int acquireOrEnqueue(Waiter waiter) {
        if (busy < maxThreads && queue.isEmpty()) {
            busy++;
            if (busy > peakBusy) {
                peakBusy = busy;
            }
            return GRANTED;
        }
        if (queue.size() >= maxQueue) {
            return REJECTED;
        }
        queue.addLast(waiter);
        queued = queue.size();
        if (queued > peakQueued) {
            peakQueued = queued;
        }
        return queued;
    }

    /** Gives the permit back, or hands it to the oldest waiter. */
    void release() {
        Waiter next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                busy--;
                return;
            }
            queued = queue.size();
        }
        next.workerGranted();
    }

    /** Removes a waiter whose connection went away; false when a permit was already handed to it. */
    synchronized boolean cancel(Waiter waiter) {
        boolean removed = queue.remove(waiter);
        queued = queue.size();
        return removed;
    }

    int maxThreads() {
        return maxThreads;
    }

    int busy() {
        return busy;
    }

    int queued() {
        return queued;
    }

    int peakBusy() {
        return peakBusy;
    }

    int peakQueued() {
        return peakQueued;
    }
}
