package dev.flowlab.tier.router;

import dev.flowlab.runtime.EcmpNextHop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The path one flow's packets take from the router: first in the backend's pipeline, it routes
 * each inbound read as a packet. Every read is hashed again over the next hops up now (the
 * router keeps nothing per flow; this element stands for the packets themselves), and the next
 * hop that gets it decides: forward it to the backend that holds the connection, lose it (a dead
 * balancer), or end the connection with a reset (a balancer that does not know the flow, or that
 * sends it to a backend which does not).
 *
 * <p>A lost packet is retransmitted, as the client's TCP does: the bytes wait here (reading from
 * the socket paused) and are sent again after an RTO of 200 ms (Linux's minimum), doubling each
 * time; after 15 retransmissions (tcp_retries2) the connection is given up and reset.
 */
final class EcmpPath extends ChannelInboundHandlerAdapter {
    private static final long RTO_MIN_MILLIS = 200;
    private static final long RTO_MAX_MILLIS = 120_000;
    private static final int RETRIES = 15;

    private final EcmpRouter router;
    private final InetSocketAddress client;
    private final long hash;
    private String hop;
    private String backend;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean holding;
    private boolean paused;
    private boolean readingBefore;
    private int retransmissions;
    private boolean resetSeen;

    EcmpPath(EcmpRouter router, InetSocketAddress client, long hash) {
        this.router = router;
        this.client = client;
        this.hash = hash;
    }

    void established(String nextHop, String holder) {
        this.hop = nextHop;
        this.backend = holder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (backend == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (holding) {
            held.addLast(msg);
            return;
        }
        send(ctx, msg);
    }

    /** Routes one packet; returns false when it was held (lost on the way, to be retransmitted). */
    private boolean send(ChannelHandlerContext ctx, Object msg) {
        String now = router.route(hash);
        EcmpNextHop nh = now == null ? null : router.nextHop(now);
        if (nh == null) {
            hold(ctx, msg);
            return false;
        }
        if (!now.equals(hop)) {
            router.rehashed(client, hop, now);
            hop = now;
        }
        long bytes = msg instanceof ByteBuf b ? b.readableBytes() : 0;
        switch (nh.forward(client, backend, bytes)) {
            case FORWARD -> {
                router.context().metrics().bytesIn(bytes);
                ctx.fireChannelRead(msg);
                return true;
            }
            case DROP -> {
                hold(ctx, msg);
                return false;
            }
            default -> {
                ReferenceCountUtil.release(msg);
                resetSeen = true;
                release();
                EcmpRouter.reset(ctx.channel());
                return false;
            }
        }
    }

    private void hold(ChannelHandlerContext ctx, Object msg) {
        held.addFirst(msg);
        if (!paused) {
            paused = true;
            readingBefore = ctx.channel().config().isAutoRead();
            ctx.channel().config().setAutoRead(false);
        }
        if (!holding) {
            holding = true;
            retransmitLater(ctx);
        }
    }

    private void retransmitLater(ChannelHandlerContext ctx) {
        if (retransmissions >= RETRIES) {
            router.context().metrics().error("retransmissions_exhausted");
            resetSeen = true;
            release();
            EcmpRouter.reset(ctx.channel());
            return;
        }
        long rto = Math.min(RTO_MAX_MILLIS, RTO_MIN_MILLIS << retransmissions);
        retransmissions++;
        ctx.executor().schedule(() -> retransmit(ctx), rto, TimeUnit.MILLISECONDS);
    }

    private void retransmit(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            release();
            return;
        }
        holding = false;
        while (!held.isEmpty()) {
            Object msg = held.pollFirst();
            if (!send(ctx, msg)) {
                // held again (hold() scheduled the next retransmission) or reset
                return;
            }
        }
        retransmissions = 0;
        paused = false;
        ctx.channel().config().setAutoRead(readingBefore);
        if (readingBefore) {
            ctx.read();
        }
    }

    private void release() {
        Object m;
        while ((m = held.pollFirst()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            resetSeen = true;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        if (hop != null) {
            EcmpNextHop nh = router.nextHop(hop);
            if (nh != null) {
                nh.flowClosed(client, resetSeen);
            }
        }
        ctx.fireChannelInactive();
    }
}
