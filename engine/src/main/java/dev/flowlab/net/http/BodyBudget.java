package dev.flowlab.net.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory every HTTP tier's buffered request bodies may hold, all connections and all nodes of
 * the JVM together. nginx writes a body larger than {@code client_body_buffer_size} to a temporary
 * file; the lab keeps bodies in memory, so it bounds them instead: by default a quarter of the
 * direct memory Netty may use (256 MB at -Xmx1g), {@code -Dflowlab.bodyBudget=BYTES} to change it.
 * Past the budget a new body is refused with 503 and the connection closed: a clear status, never
 * an OutOfMemoryError that would fail every other client too.
 */
public final class BodyBudget {
    /** The JVM-wide budget the tiers share. */
    public static final BodyBudget SHARED = new BodyBudget(Long.getLong("flowlab.bodyBudget", Math.max(16L << 20, PlatformDependent.maxDirectMemory() / 4)));

    private volatile long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final LongAdder refused = new LongAdder();

    public BodyBudget(long limitBytes) {
        this.limit = limitBytes;
    }

    public long limit() {
        return limit;
    }

    /** Changes the limit (a test or an operator shrinking it to see the refusal); bodies held stay held. */
    public void limit(long bytes) {
        this.limit = bytes;
    }

    /** Bytes of request bodies held right now. */
    public long used() {
        return used.get();
    }

    /** The most ever held at once. */
    public long peak() {
        return peak.get();
    }

    /** Bodies refused because the budget was spent. */
    public long refused() {
        return refused.sum();
    }

    boolean reserve(long n) {
        for (;;) {
            long u = used.get();
            if (u + n > limit) {
                refused.increment();
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                long p = peak.get();
                while (u + n > p && !peak.compareAndSet(p, u + n)) {
                    p = peak.get();
                }
                return true;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    /**
     * One connection's share, a handler placed before the body aggregator: every body chunk is
     * reserved as it arrives; {@link #done(long)} gives a finished request's bytes back; whatever
     * is still held when the connection closes is given back then.
     */
    public static final class Account extends ChannelInboundHandlerAdapter {
        private final BodyBudget budget;
        private final Runnable exhausted;
        private long held;
        private boolean refusing;

        /** {@code exhausted} runs on the connection's loop when a chunk does not fit: answer 503 and close. */
        public Account(BodyBudget budget, Runnable exhausted) {
            this.budget = budget;
            this.exhausted = exhausted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refusing) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpContent c && c.content().isReadable()) {
                int n = c.content().readableBytes();
                if (!budget.reserve(n)) {
                    refusing = true;
                    ReferenceCountUtil.release(msg);
                    ctx.channel().config().setAutoRead(false);
                    exhausted.run();
                    return;
                }
                held += n;
            }
            ctx.fireChannelRead(msg);
        }

        /** A request's body of {@code n} bytes is no longer held. */
        public void done(long n) {
            long give = Math.min(n, held);
            if (give > 0) {
                held -= give;
                budget.release(give);
            }
        }

        /** Bytes this connection holds now. */
        public long held() {
            return held;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (held > 0) {
                budget.release(held);
                held = 0;
            }
            ctx.fireChannelInactive();
        }
    }
}
