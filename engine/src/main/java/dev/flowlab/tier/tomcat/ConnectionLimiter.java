package dev.flowlab.tier.tomcat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Tomcat's acceptor with its {@code maxConnections} latch, on the listening channel: each accepted
 * connection is counted, and at the limit the listener stops accepting (auto-read off, so the
 * socket no longer asks for OP_ACCEPT). New connections then wait in the kernel's listen backlog
 * ({@code acceptCount}); once that is full the OS refuses or drops them. Which of the two is the
 * OS's choice: Linux drops the excess SYNs (unless {@code tcp_abort_on_overflow} is set), so
 * clients usually see a connect timeout; other systems answer with a reset (refused).
 *
 * <p>The count lives on the listener's event loop only: closes on other loops hop there to count
 * down and, below the limit, resume accepting.
 */
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int maxConnections;
    private final Runnable onPause;
    private Channel listener;
    private volatile int connections;
    private volatile boolean paused;

    /** @param onPause told (on the listener's loop) each time the acceptor stops at the limit */
    ConnectionLimiter(int maxConnections, Runnable onPause) {
        this.maxConnections = maxConnections;
        this.onPause = onPause;
    }

    /** Installs the limiter in front of the bootstrap's acceptor; call on the listener's loop before it accepts. */
    void install(Channel serverChannel) {
        this.listener = serverChannel;
        RecvByteBufAllocator alloc = serverChannel.config().getRecvByteBufAllocator();
        if (alloc instanceof MaxMessagesRecvByteBufAllocator mm) {
            // One accept per read: the limit is checked before the next accept, like Tomcat's
            // LimitLatch, instead of after a batch of 16 that could overshoot it.
            mm.maxMessagesPerRead(1);
        }
        serverChannel.pipeline().addFirst("tomcat-acceptor-limit", this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            connections++;
            child.closeFuture().addListener(f -> listener.eventLoop().execute(this::connectionClosed));
            if (connections >= maxConnections && !paused) {
                paused = true;
                listener.config().setAutoRead(false);
                onPause.run();
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void connectionClosed() {
        connections--;
        if (paused && connections < maxConnections && listener.isActive()) {
            paused = false;
            listener.config().setAutoRead(true);
        }
    }

    /** Connections accepted and not yet closed. */
    int connections() {
        return connections;
    }

    /** True while the acceptor is stopped at maxConnections. */
    boolean isPaused() {
        return paused;
    }
}
