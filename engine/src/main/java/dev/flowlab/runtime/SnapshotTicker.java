package dev.flowlab.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task at a fixed rate on a daemon thread of its own. The lab's metrics snapshots live here
 * rather than on an I/O event loop: with one event loop thread, every snapshot stalled the
 * traffic it was measuring (it showed as a p99 several times nginx's).
 */
final class SnapshotTicker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotTicker.class);

    private final Thread thread;
    private volatile boolean stopped;

    SnapshotTicker(String name, long intervalMillis, Runnable task) {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = new Thread(() -> loop(intervalNanos, task), name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop(long intervalNanos, Runnable task) {
        long next = System.nanoTime() + intervalNanos;
        while (!stopped) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed", thread.getName(), e);
            }
            // Fixed rate, but a late tick is not followed by a burst of catch-up ticks.
            next = Math.max(next + intervalNanos, System.nanoTime());
        }
    }

    /** Stops the thread and waits until it has ended. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        if (thread == Thread.currentThread() || !thread.isAlive()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
