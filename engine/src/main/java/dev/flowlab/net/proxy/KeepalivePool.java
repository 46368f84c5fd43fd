package dev.flowlab.net.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
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
    /** A connection's own bookkeeping, in one channel attribute (looked up once per call, no boxing). */
    private static final AttributeKey<Cached> STATE = AttributeKey.valueOf("flowlab.proxy.keepalive");

    private static final class Cached {
        int requests;
        long idleSince;
        ScheduledFuture<?> idleTimer;
    }

    /** The loop's own clock, the one its timers run on. */
    private static long now(Channel ch) {
        return ch.eventLoop() instanceof AbstractScheduledEventExecutor loop ? loop.ticker().nanoTime() : System.nanoTime();
    }

    private static Cached state(Channel ch) {
        Attribute<Cached> a = ch.attr(STATE);
        Cached c = a.get();
        if (c == null) {
            c = new Cached();
            a.set(c);
        }
        return c;
    }

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
        return ++state(ch).requests < maxRequests;
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
            Cached c = state(ch);
            c.idleSince = now(ch);
            if (c.idleTimer == null) {
                armIdleTimer(ch, c, q, idleNanos);
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
    private void armIdleTimer(Channel ch, Cached c, ArrayDeque<Channel> q, long delayNanos) {
        c.idleTimer = ch.eventLoop().schedule(() -> idleTimerFired(ch, c, q), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void idleTimerFired(Channel ch, Cached c, ArrayDeque<Channel> q) {
        c.idleTimer = null;
        if (!ch.isActive() || !q.contains(ch)) {
            // Closed, or in use by a request: the next release arms a new timer.
            return;
        }
        long idleFor = now(ch) - c.idleSince;
        if (idleFor >= idleNanos) {
            q.remove(ch);
            ch.close();
        } else {
            armIdleTimer(ch, c, q, idleNanos - idleFor);
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
