package dev.flowlab.net.proxy;

import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The one way a proxying tier opens a connection to an upstream server (the Nginx tier's HTTP
 * upstreams, the gateway's RPC backends): an idle connection from the pool's keepalive cache when
 * there is one, else a new connection on the caller's own event loop, from the node's own
 * loopback address, with the tier's connect timeout.
 */
public final class UpstreamConnector {
    private UpstreamConnector() {
    }

    /** An idle pooled connection to {@code target} on this loop, or null (a disabled pool never has one). */
    public static Channel pooled(KeepalivePool pool, EventLoop loop, InetSocketAddress target) {
        return pool != null && pool.enabled() ? pool.take(loop, target) : null;
    }

    /**
     * Connects to {@code target} on {@code loop}. The source address is bound (when the target is on
     * loopback) so each hop's address tells who called; SO_REUSEADDR because binding before connect
     * takes the port from the bind table, where ports in TIME_WAIT count as taken and connection
     * churn would exhaust them. {@code autoRead=false} lets the caller read only when it is ready.
     */
    public static ChannelFuture connect(EventLoop loop, InetSocketAddress target, InetSocketAddress source,
                                        long connectTimeoutNanos, boolean autoRead, Consumer<SocketChannel> pipeline) {
        return connect(loop, target, source, connectTimeoutNanos, autoRead, null, pipeline);
    }

    /**
     * As {@link #connect(EventLoop, InetSocketAddress, InetSocketAddress, long, boolean, Consumer)}, counting
     * the connection in {@code metrics}' upstream connections (nullable) from its connect to its close.
     */
    public static ChannelFuture connect(EventLoop loop, InetSocketAddress target, InetSocketAddress source,
                                        long connectTimeoutNanos, boolean autoRead, NodeMetrics metrics,
                                        Consumer<SocketChannel> pipeline) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(Transport.clientChannels())
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeoutNanos / 1_000_000)))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                });
        ChannelFuture cf = source != null && target.getAddress() != null && target.getAddress().isLoopbackAddress()
                ? b.connect(target, source)
                : b.connect(target);
        if (metrics != null) {
            cf.addListener(f -> {
                if (f.isSuccess()) {
                    metrics.upstreamConnectionOpened();
                    cf.channel().closeFuture().addListener(c -> metrics.upstreamConnectionClosed());
                }
            });
        }
        return cf;
    }
}
