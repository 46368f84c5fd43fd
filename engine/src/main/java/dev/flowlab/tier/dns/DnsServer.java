package dev.flowlab.tier.dns;

import dev.flowlab.runtime.Transport;
import dev.flowlab.event.EventType;
import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.DnsConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's authoritative DNS server: UDP on the node's loopback address (127.0.5.x, port chosen
 * automatically unless fixed), and TCP on the same port. A records come from {@link ZoneAnswers}:
 * by default the current address of each linked node (the LVS VIPs), without the ones whose node
 * is not running when {@code healthAware}. {@code dig @host -p port www.taobao.lab} works.
 */
public final class DnsServer implements LabNode {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    /** An idle TCP DNS connection is closed after this (RFC 7766 suggests seconds). */
    private static final int TCP_IDLE_SECONDS = 10;
    private static final int AUTO_PORT_ATTEMPTS = 5;

    private final NodeContext context;
    private final DnsConfig config;
    private final ZoneAnswers zone;
    private final ChannelGroup tcpConnections;
    private volatile NodeState state = NodeState.STOPPED;
    private volatile InetSocketAddress address;
    private volatile Channel udp;
    private volatile Channel tcpListener;

    public DnsServer(NodeContext context) {
        this.context = context;
        this.config = Params.withDefaults(context.spec().configAs(DnsConfig.class));
        this.zone = new ZoneAnswers(config.zone(), config.name(), config.ttl(), config.rrsetOrder(), this::records,
                this::healthy);
        this.tcpConnections = new DefaultChannelGroup(context.id() + "-tcp", context.group().next());
        if (config.addresses() != null) {
            for (String a : config.addresses()) {
                parse(a);
            }
        }
    }

    /** The A record set before health filtering: configured addresses, else each linked node's address now. */
    private List<ZoneAnswers.Vip> records() {
        List<ZoneAnswers.Vip> out = new ArrayList<>();
        if (config.addresses() != null && !config.addresses().isEmpty()) {
            for (String a : config.addresses()) {
                out.add(new ZoneAnswers.Vip(null, parse(a)));
            }
            return out;
        }
        for (NodeSpec d : context.downstream()) {
            InetSocketAddress a = context.addressOf(d.id());
            if (a != null) {
                out.add(new ZoneAnswers.Vip(d.id(), a.getAddress()));
            }
        }
        return out;
    }

    private boolean healthy(ZoneAnswers.Vip vip) {
        if (!config.healthAware() || vip.nodeId() == null) {
            return true;
        }
        return context.isServiceUp(vip.nodeId());
    }

    private InetAddress parse(String text) {
        try {
            String host = text.contains(":") ? text.substring(0, text.lastIndexOf(':')) : text;
            InetAddress a = InetAddress.getByName(host);
            if (!(a instanceof java.net.Inet4Address)) {
                throw new IllegalArgumentException("node " + context.id() + ": " + text + " is not an IPv4 address");
            }
            return a;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("node " + context.id() + ": '" + text + "' is not an address");
        }
    }

    public ZoneAnswers zone() {
        return zone;
    }

    /** The effective configuration (defaults applied). */
    public DnsConfig config() {
        return config;
    }

    @Override
    public String id() {
        return context.id();
    }

    @Override
    public NodeState state() {
        return state;
    }

    /** The UDP (and TCP) address: where dig and the client's resolver send queries. */
    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int openConnections() {
        return tcpConnections.size();
    }

    @Override
    public synchronized CompletableFuture<InetSocketAddress> start() {
        if (state == NodeState.RUNNING || state == NodeState.STARTING) {
            return CompletableFuture.completedFuture(address);
        }
        state = NodeState.STARTING;
        InetSocketAddress bindTo = address != null ? address : context.bindAddress();
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        bind(bindTo, bindTo.getPort() == 0 ? AUTO_PORT_ATTEMPTS : 1, result);
        return result;
    }

    private void bind(InetSocketAddress bindTo, int attemptsLeft, CompletableFuture<InetSocketAddress> result) {
        Bootstrap udpBootstrap = new Bootstrap().group(context.group()).channel(Transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast("dns-udp-encoder", new DatagramDnsResponseEncoder())
                                .addLast("dns-udp-decoder", new TolerantDatagramDnsQueryDecoder(context))
                                .addLast("dns-answers", new DnsQueryHandler(zone, context));
                    }
                });
        ChannelFuture udpBind = udpBootstrap.bind(bindTo);
        udpBind.addListener(f -> {
            if (!f.isSuccess()) {
                failed(bindTo, "UDP", f.cause(), result);
                return;
            }
            InetSocketAddress bound = (InetSocketAddress) udpBind.channel().localAddress();
            if (!config.tcp()) {
                running(udpBind.channel(), null, bound, result);
                return;
            }
            bindTcp(bound).addListener(t -> {
                ChannelFuture tcpBind = (ChannelFuture) t;
                if (tcpBind.isSuccess()) {
                    running(udpBind.channel(), tcpBind.channel(), bound, result);
                } else if (attemptsLeft > 1) {
                    // The OS gave a UDP port whose TCP twin is taken: try another pair.
                    udpBind.channel().close().addListener(c -> bind(bindTo, attemptsLeft - 1, result));
                } else {
                    udpBind.channel().close();
                    failed(bound, "TCP", tcpBind.cause(), result);
                }
            });
        });
    }

    private ChannelFuture bindTcp(InetSocketAddress at) {
        DnsQueryHandler answers = new DnsQueryHandler(zone, context);
        return new ServerBootstrap().group(context.group()).channel(Transport.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        tcpConnections.add(ch);
                        ch.pipeline().addLast("idle", new ReadTimeoutHandler(TCP_IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast("dns-tcp-encoder", new TcpDnsResponseEncoder())
                                .addLast("dns-tcp-decoder", new TcpDnsQueryDecoder())
                                .addLast("dns-answers", answers);
                    }
                }).bind(at);
    }

    private synchronized void running(Channel udpChannel, Channel tcpChannel, InetSocketAddress bound,
                                      CompletableFuture<InetSocketAddress> result) {
        udp = udpChannel;
        tcpListener = tcpChannel;
        address = bound;
        state = NodeState.RUNNING;
        context.emit(EventType.NODE_STARTED, "DNS for " + zone.zone() + " on " + TcpServerNode.hostPort(bound)
                + (tcpChannel != null ? " (UDP and TCP)" : " (UDP)"));
        result.complete(bound);
    }

    private void failed(InetSocketAddress at, String proto, Throwable cause, CompletableFuture<InetSocketAddress> result) {
        state = NodeState.FAILED;
        String why = cause instanceof BindException ? "address already in use" : String.valueOf(cause.getMessage());
        result.completeExceptionally(new LabStartException(id(), "node " + id() + " cannot bind " + proto + " "
                + TcpServerNode.hostPort(at) + ": " + why, cause));
    }

    @Override
    public synchronized CompletableFuture<Void> stop(Duration drain) {
        if (state != NodeState.RUNNING && state != NodeState.STARTING) {
            return CompletableFuture.completedFuture(null);
        }
        return closeAll(NodeState.STOPPED, EventType.NODE_STOPPED, "stopped");
    }

    @Override
    public synchronized CompletableFuture<Void> kill() {
        if (state == NodeState.KILLED) {
            return CompletableFuture.completedFuture(null);
        }
        for (Channel ch : tcpConnections) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                log.debug("{}: cannot set SO_LINGER on {}", id(), ch, e);
            }
        }
        return closeAll(NodeState.KILLED, EventType.NODE_KILLED, "killed: sockets closed");
    }

    private CompletableFuture<Void> closeAll(NodeState next, EventType event, String detail) {
        state = NodeState.STOPPING;
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<io.netty.util.concurrent.Future<?>> closes = new ArrayList<>();
        if (udp != null) {
            closes.add(udp.close());
        }
        if (tcpListener != null) {
            closes.add(tcpListener.close());
        }
        closes.add(tcpConnections.close());
        int[] pending = {closes.size()};
        for (io.netty.util.concurrent.Future<?> f : closes) {
            f.addListener(x -> {
                synchronized (pending) {
                    if (--pending[0] == 0) {
                        state = next;
                        context.emit(event, detail);
                        done.complete(null);
                    }
                }
            });
        }
        return done;
    }
}
