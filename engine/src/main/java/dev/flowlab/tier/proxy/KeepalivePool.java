package dev.flowlab.tier.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An upstream pool's idle-connection cache, shared by the proxying tiers (nginx's upstream
 * {@code keepalive N}; the gateway's RPC connections to its Tomcats): idle connections to the
 * pool's servers, per event loop (nginx: per worker), at most N per loop across all its servers;
 * when full, the least recently used connection is closed. Each loop's queue is touched only from that loop.
 */
public final class KeepalivePool {
    private static final AttributeKey<ScheduledFuture<?>> IDLE_TIMER = AttributeKey.valueOf("flowlab.proxy.keepaliveIdle");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("flowlab.proxy.keepaliveIdleSince");
    private static final AttributeKey<Integer> REQUESTS = AttributeKey.valueOf("flowlab.proxy.keepaliveRequests");

    private final int capacity;
    private final long idleNanos;
    private final int maxRequests;
    private final Map<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();

    public KeepalivePool(int capacity, long idleNanos, int maxRequests) {
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.maxRequests = maxRequests;
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** The most recently used idle connection of this loop to {@code server}, or null. */
    public Channel take(EventLoop loop, SocketAddress server) {
        ArrayDeque<Channel> q = idle.get(loop);
        if (q == null) {
            return null;
        }
        for (Iterator<Channel> it = q.iterator(); it.hasNext(); ) {
            Channel ch = it.next();
            if (server.equals(ch.remoteAddress())) {
                it.remove();
                // The idle timer stays: when it fires it sees the connection in use and lets go.
                if (ch.isActive()) {
                    return ch;
                }
            }
        }
        return null;
    }

    /** Counts one more request on this connection; false once keepalive_requests is reached. */
    public boolean countRequest(Channel ch) {
        Integer n = ch.attr(REQUESTS).get();
        int next = n == null ? 1 : n + 1;
        ch.attr(REQUESTS).set(next);
        return next < maxRequests;
    }

    /** Caches an idle connection (on its own loop); closes the least recently used one beyond capacity. */
    public void release(Channel ch) {
        EventLoop loop = ch.eventLoop();
        ArrayDeque<Channel> q = idle.get(loop);
        if (q == null) {
            q = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
        }
        q.addFirst(ch);
        if (idleNanos > 0) {
            ch.attr(IDLE_SINCE).set(System.nanoTime());
            if (ch.attr(IDLE_TIMER).get() == null) {
                armIdleTimer(ch, q, idleNanos);
            }
        }
        while (q.size() > capacity) {
            Channel lru = q.pollLast();
            lru.close();
        }
    }

    /**
     * One timer per connection, not one per release: it fires at most keepalive_timeout after the
     * connection was last cached and then looks at how long it has really been idle.
     */
    private void armIdleTimer(Channel ch, ArrayDeque<Channel> q, long delayNanos) {
        ch.attr(IDLE_TIMER).set(ch.eventLoop().schedule(() -> idleTimerFired(ch, q), delayNanos, TimeUnit.NANOSECONDS));
    }

    private void idleTimerFired(Channel ch, ArrayDeque<Channel> q) {
        ch.attr(IDLE_TIMER).set(null);
        if (!ch.isActive() || !q.contains(ch)) {
            // Closed, or in use by a request: the next release arms a new timer.
            return;
        }
        Long since = ch.attr(IDLE_SINCE).get();
        long idleFor = since == null ? idleNanos : System.nanoTime() - since;
        if (idleFor >= idleNanos) {
            q.remove(ch);
            ch.close();
        } else {
            armIdleTimer(ch, q, idleNanos - idleFor);
        }
    }

    /** A cached connection closed by the server (or reset): forget it. */
    public void remove(Channel ch) {
        ArrayDeque<Channel> q = idle.get(ch.eventLoop());
        if (q != null) {
            q.remove(ch);
        }
    }

    /** Idle connections cached right now, over all loops (called off-loop: approximate). */
    public int idleCount() {
        int n = 0;
        for (ArrayDeque<Channel> q : idle.values()) {
            n += q.size();
        }
        return n;
    }

    /** Closes every idle connection (each on its own loop). */
    public void closeAll() {
        idle.forEach((loop, q) -> loop.execute(() -> {
            for (Channel ch; (ch = q.poll()) != null; ) {
                ch.close();
            }
        }));
    }
}
