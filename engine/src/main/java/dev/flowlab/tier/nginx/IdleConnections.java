package dev.flowlab.tier.nginx;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle keep-alive client connections of one Nginx tier on one event loop, as nginx keeps its
 * keepalive_timeout in the event timer tree instead of a timer object per connection. Two lists,
 * each in the order the connections went idle (the oldest first; the same keepalive_timeout for
 * all), linked through the connections themselves (no node objects):
 * <ul>
 * <li><b>recent</b>: idle for less than {@link #PARK_AFTER_NANOS}; still with their whole pipeline
 * and their own keep-alive timer ({@code ClientTimeouts}), so a client that sends its next request
 * soon pays nothing;</li>
 * <li><b>parked</b>: idle longer; their pipeline is stripped to the connection handler alone
 * ({@link ClientConnection#park()}), and this list's one task closes them at keepalive_timeout.</li>
 * </ul>
 * One scheduled task per loop, at the earliest deadline of either list. Loop thread only.
 */
final class IdleConnections implements Runnable {
    /** How long a keep-alive connection stays whole before its pipeline is stripped (flowlab.nginx.parkIdleMillis). */
    static final long PARK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("flowlab.nginx.parkIdleMillis", 250));

    private final EventLoop loop;
    private ClientConnection recentHead;
    private ClientConnection recentTail;
    private ClientConnection parkedHead;
    private ClientConnection parkedTail;
    private ScheduledFuture<?> task;
    private long taskAt;

    IdleConnections(EventLoop loop) {
        this.loop = loop;
    }

    /** The connection went idle (its answer written, nothing buffered) at {@code c.idleSince}. */
    void addRecent(ClientConnection c) {
        remove(c);
        c.idleList = 1;
        c.idlePrev = recentTail;
        c.idleNext = null;
        if (recentTail == null) {
            recentHead = c;
        } else {
            recentTail.idleNext = c;
        }
        recentTail = c;
        schedule(c.idleSince + PARK_AFTER_NANOS);
    }

    private void addParked(ClientConnection c) {
        c.idleList = 2;
        c.idlePrev = parkedTail;
        c.idleNext = null;
        if (parkedTail == null) {
            parkedHead = c;
        } else {
            parkedTail.idleNext = c;
        }
        parkedTail = c;
        schedule(c.idleSince + c.keepaliveNanos());
    }

    /** The connection is idle no more (a request, a close). */
    void remove(ClientConnection c) {
        if (c.idleList == 0) {
            return;
        }
        ClientConnection prev = c.idlePrev;
        ClientConnection next = c.idleNext;
        if (c.idleList == 1) {
            if (prev == null) {
                recentHead = next;
            } else {
                prev.idleNext = next;
            }
            if (next == null) {
                recentTail = prev;
            } else {
                next.idlePrev = prev;
            }
        } else {
            if (prev == null) {
                parkedHead = next;
            } else {
                prev.idleNext = next;
            }
            if (next == null) {
                parkedTail = prev;
            } else {
                next.idlePrev = prev;
            }
        }
        c.idleList = 0;
        c.idlePrev = null;
        c.idleNext = null;
    }

    private void schedule(long at) {
        if (task != null && taskAt <= at) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        taskAt = at;
        task = loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        task = null;
        long now = System.nanoTime();
        for (ClientConnection c; (c = recentHead) != null && now - c.idleSince >= PARK_AFTER_NANOS; ) {
            remove(c);
            if (c.park()) {
                addParked(c);
            }
        }
        for (ClientConnection c; (c = parkedHead) != null && now - c.idleSince >= c.keepaliveNanos(); ) {
            remove(c);
            c.keepaliveExpired();
        }
        long next = Long.MAX_VALUE;
        if (recentHead != null) {
            next = recentHead.idleSince + PARK_AFTER_NANOS;
        }
        if (parkedHead != null) {
            next = Math.min(next, parkedHead.idleSince + parkedHead.keepaliveNanos());
        }
        if (next != Long.MAX_VALUE) {
            schedule(next);
        }
    }

    /** Connections parked now (for tests). */
    int parked() {
        int n = 0;
        for (ClientConnection c = parkedHead; c != null; c = c.idleNext) {
            n++;
        }
        return n;
    }
}
