package dev.flowlab.tier.dns;

import dev.flowlab.runtime.Transport;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
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
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's authoritative DNS server: UDP on the node's loopback address (127.0.5.x, port chosen
 * automatically unless fixed), and TCP on the same port (idle connections closed after
 * {@code tcpTimeout}, at most {@code tcpCount} open: past it the listener stops accepting, as
 * nsd's does). The site's A records come from {@link ZoneAnswers}: by default the current address
 * of each linked node (the LVS VIPs), without the ones whose node is not running when
 * {@code healthAware}; the rest of the zone and every rule of the answer from
 * {@link ZoneResponder}. {@code dig @host -p port www.taobao.lab} works.
 */
public final class DnsServer implements LabNode {
    /** Pipeline steps, by name. */
    static final String UDP_CACHE = "dns-udp-cache";
    static final String UDP_DECODER = "dns-udp-decoder";
    static final String ANSWERS = "dns-answers";
    static final String IDLE = "idle";
    static final String TCP_LENGTH = "dns-tcp-length";
    static final String TCP_FRAMES = "dns-tcp-frames";

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int AUTO_PORT_ATTEMPTS = 5;
    private static final int UDP_DATAGRAM = 2048;
    private static final int UDP_BATCH = 16;

    private final NodeContext context;
    private final DnsConfig config;
    private final ZoneAnswers zone;
    private final ZoneResponder responder;
    private final ChannelGroup tcpConnections;
    /** Accepted past tcpCount, held unread until a served connection closes (FIFO). */
    private final ArrayDeque<Channel> tcpWaiting = new ArrayDeque<>();
    private volatile NodeState state = NodeState.STOPPED;
    private volatile InetSocketAddress address;
    private volatile Channel udp;
    private volatile Channel tcpListener;
    /** The configured addresses, parsed once (null: the linked nodes' addresses, looked up per answer). */
    private final List<ZoneAnswers.Vip> configured;

    public DnsServer(NodeContext context) {
        this.context = context;
        this.config = Params.withDefaults(context.spec().configAs(DnsConfig.class));
        this.zone = new ZoneAnswers(config.zone(), config.name(), config.ttl(), config.rrsetOrder(), this::records,
                this::healthy);
        if (zone.name().equals(ZoneResponder.nameServer(zone.zone()))) {
            throw new IllegalArgumentException("node " + context.id() + ": name " + config.name()
                    + " is the zone's name server (its A record is this server's own address)");
        }
        this.responder = new ZoneResponder(zone, this::address, context.id(), config.version(), config.hideVersion(),
                config.maxUdpSize());
        this.tcpConnections = new DefaultChannelGroup(context.id() + "-tcp", context.group().next());
        if (config.addresses() != null && !config.addresses().isEmpty()) {
            List<ZoneAnswers.Vip> vips = new ArrayList<>();
            for (String a : config.addresses()) {
                vips.add(new ZoneAnswers.Vip(null, parse(a)));
            }
            this.configured = List.copyOf(vips);
        } else {
            if (config.addresses() != null) {
                for (String a : config.addresses()) {
                    parse(a);
                }
            }
            this.configured = null;
        }
    }

    /** The A record set before health filtering: configured addresses, else each linked node's address now. */
    private List<ZoneAnswers.Vip> records() {
        if (configured != null) {
            return configured;
        }
        List<ZoneAnswers.Vip> out = new ArrayList<>();
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

    /** The zone as it is now, as a master file nsd or BIND loads (SOA, NS, ns1's A record, the site's A records). */
    public String zoneFile() {
        return responder.zoneFile();
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

    /** TCP connections open: served ones and those held past tcpCount. */
    @Override
    public int openConnections() {
        return tcpConnections.size() + tcpWaiting();
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
                        UdpAnswerCache cache = new UdpAnswerCache(responder, context);
                        ch.pipeline().addLast(UDP_CACHE, cache)
                                .addLast(UDP_DECODER, new TolerantDnsQueryDecoder(context))
                                .addLast(ANSWERS, new DnsQueryHandler(responder, context, cache));
                    }
                });
        if (Transport.kind() == Transport.Kind.EPOLL) {
            // recvmmsg: up to 16 datagrams per system call, each up to 2048 bytes (what the
            // default allocator of one datagram per read gave; a longer one is cut there as before)
            udpBootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UDP_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_DATAGRAM * UDP_BATCH));
        }
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
        DnsQueryHandler answers = new DnsQueryHandler(responder, context);
        TolerantDnsQueryDecoder decoder = new TolerantDnsQueryDecoder(context);
        long idleMillis = Math.max(1, config.tcpTimeout().toMillis());
        return new ServerBootstrap().group(context.group()).channel(Transport.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Frames are decoded as datagrams are (garbage gets FORMERR, not a close), and
                        // replies written as length-prefixed bytes by DnsReply (names compressed, where
                        // Netty's TcpDnsResponseEncoder writes every name in full).
                        io.netty.channel.ChannelHandler[] frames = TolerantDnsQueryDecoder.tcpFrames(decoder);
                        ch.pipeline().addLast(IDLE, new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS))
                                .addLast(TCP_LENGTH, frames[0])
                                .addLast(TCP_FRAMES, frames[1])
                                .addLast(ANSWERS, answers);
                        admit(ch, ch.parent());
                    }
                }).bind(at);
    }

    /**
     * nsd's tcp-count: at most that many connections are served; at the cap the listener stops
     * accepting, so new connections wait in the kernel's listen backlog. Netty still completes the
     * accept it had already asked for, so a connection or a few can arrive past the cap: those are
     * held unread (as if still in the backlog) and served in turn when a connection closes.
     */
    private void admit(Channel ch, Channel listener) {
        int cap = config.tcpCount();
        boolean now;
        synchronized (tcpWaiting) {
            now = tcpConnections.size() < cap;
            if (now) {
                tcpConnections.add(ch);
            } else {
                tcpWaiting.add(ch);
            }
            if (tcpConnections.size() >= cap) {
                listener.config().setAutoRead(false);
            }
        }
        if (now) {
            ch.closeFuture().addListener(f -> released(listener));
        } else {
            ch.config().setAutoRead(false); // before channelActive: nothing is read until it is admitted
            ch.closeFuture().addListener(f -> {
                synchronized (tcpWaiting) {
                    tcpWaiting.remove(ch);
                }
            });
        }
    }

    /** A served connection closed: the next held one is served, else the listener accepts again. */
    private void released(Channel listener) {
        Channel next;
        synchronized (tcpWaiting) {
            if (state != NodeState.RUNNING && state != NodeState.STARTING) {
                return; // stopping: closeAll closes the held ones
            }
            next = tcpWaiting.poll();
            while (next != null && !next.isOpen()) {
                next = tcpWaiting.poll();
            }
            if (next != null) {
                tcpConnections.add(next);
            } else if (tcpConnections.size() < config.tcpCount() && listener.isOpen()) {
                listener.config().setAutoRead(true);
            }
        }
        if (next != null) {
            next.closeFuture().addListener(f -> released(listener));
            next.config().setAutoRead(true);
        }
    }

    /** TCP connections accepted past tcpCount and not served yet (for tests and inspectors). */
    int tcpWaiting() {
        synchronized (tcpWaiting) {
            return tcpWaiting.size();
        }
    }

    private synchronized void running(Channel udpChannel, Channel tcpChannel, InetSocketAddress bound,
                                      CompletableFuture<InetSocketAddress> result) {
        udp = udpChannel;
        tcpListener = tcpChannel;
        address = bound;
        state = NodeState.RUNNING;
        context.emit(EventType.NODE_STARTED, new Fact.Note("DNS for " + zone.zone() + " on " + TcpServerNode.hostPort(bound)
                + (tcpChannel != null ? " (UDP and TCP)" : " (UDP)")));
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
        List<Channel> all = new ArrayList<>(tcpConnections);
        synchronized (tcpWaiting) {
            all.addAll(tcpWaiting);
        }
        for (Channel ch : all) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                log.debug("{}: cannot set SO_LINGER on {}", id(), ch, e);
            }
        }
        return closeAll(NodeState.KILLED, EventType.NODE_KILLED, "killed: sockets closed");
    }

    private CompletableFuture<Void> closeAll(NodeState next, EventType event, String detail) {
        state = NodeState.STOPPING; // from here no held connection is promoted (released() checks it)
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<io.netty.util.concurrent.Future<?>> closes = new ArrayList<>();
        if (udp != null) {
            closes.add(udp.close());
        }
        if (tcpListener != null) {
            closes.add(tcpListener.close());
        }
        List<Channel> held;
        synchronized (tcpWaiting) {
            held = new ArrayList<>(tcpWaiting);
        }
        for (Channel ch : held) {
            closes.add(ch.close());
        }
        closes.add(tcpConnections.close());
        int[] pending = {closes.size()};
        for (io.netty.util.concurrent.Future<?> f : closes) {
            f.addListener(x -> {
                synchronized (pending) {
                    if (--pending[0] == 0) {
                        state = next;
                        context.emit(event, new Fact.Note(detail));
                        done.complete(null);
                    }
                }
            });
        }
        return done;
    }
}
