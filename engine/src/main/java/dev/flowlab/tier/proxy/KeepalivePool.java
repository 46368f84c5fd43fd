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
                ScheduledFuture<?> t = ch.attr(IDLE_TIMER).getAndSet(null);
                if (t != null) {
                    t.cancel(false);
                }
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
        ArrayDeque<Channel> q = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
        q.addFirst(ch);
        if (idleNanos > 0) {
            ch.attr(IDLE_TIMER).set(loop.schedule(() -> {
                q.remove(ch);
                ch.close();
            }, idleNanos, TimeUnit.NANOSECONDS));
        }
        while (q.size() > capacity) {
            Channel lru = q.pollLast();
            lru.close();
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
