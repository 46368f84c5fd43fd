package dev.flowlab.runtime;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.StandardSocketOptions;
import java.util.Locale;

/**
 * The lab's one choice of Netty transport, for every event loop, listener, client socket and
 * datagram socket of the engine: Linux epoll where its native library loads (what nginx and
 * haproxy use on Linux; fewer copies and no JDK selector lock), else the JDK's NIO.
 * {@code -Dflowlab.transport=nio} forces NIO; {@code =epoll} insists on epoll and fails loudly
 * when it is unavailable. Chosen once per JVM: channels of one transport only run on its loops.
 */
public final class Transport {

    /** The transports the lab can run on. */
    public enum Kind { EPOLL, NIO }

    private static final Kind KIND = choose(System.getProperty("flowlab.transport", "auto"));

    private Transport() {
    }

    static Kind choose(String wanted) {
        switch (wanted.trim().toLowerCase(Locale.ROOT)) {
            case "nio":
                return Kind.NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("-Dflowlab.transport=epoll, but epoll is unavailable here: "
                            + Epoll.unavailabilityCause());
                }
                return Kind.EPOLL;
            case "auto":
            case "":
                return Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
            default:
                throw new IllegalArgumentException("-Dflowlab.transport=" + wanted + ": expected auto, epoll or nio");
        }
    }

    /** The transport this JVM's labs run on. */
    public static Kind kind() {
        return KIND;
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return KIND == Kind.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerSocketChannel> serverSocketChannel() {
        return KIND == Kind.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Client sockets (the load client, proxies' upstream connections, the NAT relay, health checks).
     * On epoll each gets IP_BIND_ADDRESS_NO_PORT, as nginx sets for {@code proxy_bind}: a socket bound
     * to a node's own source address then takes its port at connect time, unique per destination,
     * instead of at bind time, unique per address. Without it, thousands of closed upstream
     * connections in TIME_WAIT made every new bind scan the port range in the kernel (an Nginx
     * churning upstream connections spent most of its CPU there, and throughput collapsed).
     */
    public static ChannelFactory<SocketChannel> clientChannels() {
        if (KIND == Kind.EPOLL) {
            return () -> {
                EpollSocketChannel ch = new EpollSocketChannel();
                ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
                return ch;
            };
        }
        return NioSocketChannel::new;
    }

    public static Class<? extends DatagramChannel> datagramChannel() {
        return KIND == Kind.EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** SO_REUSEPORT on a listener: two listeners on one address share its new connections. */
    public static ServerBootstrap reusePort(ServerBootstrap b) {
        if (KIND == Kind.EPOLL) {
            return b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        return b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
}
