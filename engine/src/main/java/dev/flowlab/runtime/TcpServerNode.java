package dev.flowlab.runtime;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared plumbing of every TCP tier: binding (on loopback, re-binding the same port after a
 * restart), tracking every connection the node holds, graceful stop with a drain deadline, and
 * kill, which resets every connection (SO_LINGER 0) the way a crashed process's sockets are.
 * A tier supplies its pipeline in {@link #initChild(SocketChannel)}.
 */
public abstract class TcpServerNode implements LabNode, ChannelAdopter {
    private static final Logger log = LoggerFactory.getLogger(TcpServerNode.class);
    /** Re-binding after a stop: tries every 20 ms for up to a second. */
    private static final int REBIND_ATTEMPTS = 50;
    private static final long REBIND_PAUSE_MILLIS = 20;

    protected final NodeContext context;
    /** Every open channel of this node: accepted ones and the node's own outgoing connections. */
    protected final ChannelGroup connections;
    private volatile NodeState state = NodeState.STOPPED;
    private volatile Channel listener;
    private volatile InetSocketAddress address;
    /** The VIP this node should hold while it runs (its keepalived is master), or null. */
    private volatile InetSocketAddress vip;
    private volatile Channel vipListener;
    /** Connections that came in through the VIP: they break when the VIP moves away. */
    private final ChannelGroup vipConnections;
    /** Changes at every release, so a connection accepted by a released VIP listener is reset too. */
    private final java.util.concurrent.atomic.AtomicLong vipEpoch = new java.util.concurrent.atomic.AtomicLong();

    protected TcpServerNode(NodeContext context) {
        this.context = context;
        this.connections = new DefaultChannelGroup(context.id(), context.group().next());
        this.vipConnections = new DefaultChannelGroup(context.id() + "-vip", context.group().next());
    }

    /** One listener for every connection's close (not a lambda per connection: idle connections are many). */
    private final io.netty.channel.ChannelFutureListener closedListener = f -> connectionClosed();

    /** An accepted connection closed: counted in the metrics. */
    protected final void connectionClosed() {
        context.metrics().connectionClosed();
    }

    /**
     * True: the tier's pipeline calls {@link #connectionClosed()} itself once per accepted
     * connection (from its channelInactive), so the close future holds one listener (the
     * group's) and not two with a listener array: 48 bytes less per idle connection.
     */
    protected boolean countsClosesItself() {
        return false;
    }

    /** The read buffer sizing of accepted connections: the allocator keeps no state of its own, one serves all. */
    private static final io.netty.channel.RecvByteBufAllocator CHILD_RECV = new io.netty.channel.AdaptiveRecvByteBufAllocator();

    /** Builds the pipeline of an accepted connection. */
    protected abstract void initChild(SocketChannel ch);

    /** The listen backlog (Tomcat's acceptCount); override to change. */
    protected int backlog() {
        return 511;
    }

    /** Called when a graceful stop begins, after the listener closed: close idle connections, mark busy ones to close after their response. */
    protected void onDrain() {
    }

    /** Called after the node stopped or was killed: release timers and state. */
    protected void onStopped() {
    }

    /** Called once the listener is bound (the server channel, e.g. to pause accepting). */
    protected void onBound(Channel listener) {
    }

    @Override
    public String id() {
        return context.id();
    }

    @Override
    public NodeState state() {
        return state;
    }

    protected void state(NodeState s) {
        state = s;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    protected Channel listener() {
        return listener;
    }

    /**
     * A connection was accepted on this node's listener; by default the node takes it ({@link
     * #adopt}). The LVS director in DR mode overrides this to hand it to a real server instead.
     */
    protected void accepted(SocketChannel ch) {
        adopt(ch);
    }

    /**
     * Takes a connection as if this node had accepted it: tracked (so kill resets it), counted,
     * and given this node's pipeline. Must run on the channel's event loop.
     */
    @Override
    public void adopt(SocketChannel ch) {
        connections.add(ch);
        context.metrics().connectionOpened();
        if (!countsClosesItself()) {
            ch.closeFuture().addListener(closedListener);
        }
        initChild(ch);
    }

    /** Registers an outgoing connection so kill and stop close it too. */
    public void track(Channel ch) {
        connections.add(ch);
    }

    @Override
    public synchronized CompletableFuture<InetSocketAddress> start() {
        if (state == NodeState.RUNNING || state == NodeState.STARTING) {
            return CompletableFuture.completedFuture(address);
        }
        state = NodeState.STARTING;
        InetSocketAddress bindTo = address != null ? address : context.bindAddress();
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        ServerBootstrap b = bootstrap(false);
        // A restart re-binds the port this node just closed: NIO frees a closed listener's port
        // only at the selector's next pass, so a bind right after a stop may briefly fail.
        bind(b, bindTo, result, address != null ? REBIND_ATTEMPTS : 1);
        return result;
    }

    private ServerBootstrap bootstrap(boolean viaVip) {
        long epoch = vipEpoch.get();
        ServerBootstrap b = new ServerBootstrap()
                .group(context.group())
                .channel(Transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, CHILD_RECV)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (viaVip) {
                            vipConnections.add(ch);
                            // Accepted just as the VIP was released: it would have missed the reset.
                            if (vipEpoch.get() != epoch) {
                                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                                ch.close();
                                return;
                            }
                        }
                        accepted(ch);
                    }
                });
        if (viaVip) {
            // Two masters (a split brain) really both hold the VIP: the kernel spreads new
            // connections between the two listeners, as ARP flapping would between two hosts.
            Transport.reusePort(b);
        }
        return b;
    }

    // ---- the virtual IP (keepalived's virtual_ipaddress) ----

    /**
     * Holds {@code vipAddress} while this node runs: an extra listener on the VIP, serving the same
     * pipeline. If the node is not running, the VIP is bound when it next starts. Completes once
     * bound (or at once when the node is down); fails when the VIP cannot be bound.
     */
    public CompletableFuture<Void> holdVip(InetSocketAddress vipAddress) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            vip = vipAddress;
            if (state != NodeState.RUNNING || (vipListener != null && vipListener.isOpen())) {
                done.complete(null);
                return done;
            }
        }
        bindVip(vipAddress, done);
        return done;
    }

    private void bindVip(InetSocketAddress vipAddress, CompletableFuture<Void> done) {
        ChannelFuture bind = bootstrap(true).bind(vipAddress);
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new LabStartException(id(), "node " + id() + " cannot bind the VIP "
                        + hostPort(vipAddress) + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            boolean keep;
            synchronized (this) {
                keep = vipAddress.equals(vip) && state == NodeState.RUNNING && (vipListener == null || !vipListener.isOpen());
                if (keep) {
                    vipListener = bind.channel();
                }
            }
            if (!keep) {
                // Released (or the node stopped) while the bind was under way.
                bind.channel().close();
            }
            done.complete(null);
        });
    }

    /**
     * Gives the VIP up: closes its listener and resets the connections that came through it, as a
     * client's packets to the VIP now reach another host that knows nothing of them.
     */
    public CompletableFuture<Void> releaseVip() {
        Channel l;
        synchronized (this) {
            vip = null;
            l = vipListener;
            vipListener = null;
            vipEpoch.incrementAndGet();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        resetAll(vipConnections);
        io.netty.util.concurrent.Future<?> closed = l == null ? context.group().next().newSucceededFuture(null) : l.close();
        closed.addListener(f -> vipConnections.close().addListener(g -> done.complete(null)));
        return done;
    }

    /** Whether this node has a listener bound on its VIP right now. */
    public boolean holdsVip() {
        Channel l = vipListener;
        return l != null && l.isOpen();
    }

    /** The VIP this node holds or will hold when it runs; null when it is not master. */
    public InetSocketAddress vip() {
        return vip;
    }

    /** Closes the VIP listener (if any); the future completes once its port is closed. */
    private io.netty.util.concurrent.Future<?> closeVipListener() {
        Channel l;
        synchronized (this) {
            l = vipListener;
            vipListener = null;
        }
        return l == null ? context.group().next().newSucceededFuture(null) : l.close();
    }

    /** Completes when both the node's own listener and its VIP listener are closed. */
    private io.netty.util.concurrent.Future<?> closeListeners(Channel own) {
        io.netty.util.concurrent.Future<?> vipClosed = closeVipListener();
        io.netty.util.concurrent.Promise<Void> both = context.group().next().newPromise();
        vipClosed.addListener(v -> (own == null ? context.group().next().newSucceededFuture(null) : own.close())
                .addListener(o -> both.setSuccess(null)));
        return both;
    }

    /** Closes one connection with a reset (SO_LINGER 0), as a crashed peer's or a refusing director's socket is. */
    public static void reset(Channel ch) {
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            log.debug("cannot set SO_LINGER on {}", ch, e);
        }
        ch.close();
    }

    private void resetAll(ChannelGroup group) {
        for (Channel ch : group) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                log.debug("{}: cannot set SO_LINGER on {}", id(), ch, e);
            }
        }
    }

    private void bind(ServerBootstrap b, InetSocketAddress bindTo, CompletableFuture<InetSocketAddress> result, int attemptsLeft) {
        ChannelFuture bind = b.bind(bindTo);
        bind.addListener(f -> {
            if (f.isSuccess()) {
                synchronized (this) {
                    listener = bind.channel();
                    address = (InetSocketAddress) listener.localAddress();
                    state = NodeState.RUNNING;
                }
                onBound(listener);
                context.emit(EventType.NODE_STARTED, new Fact.Listening(hostPort(address)));
                InetSocketAddress wanted = vip;
                if (wanted == null) {
                    result.complete(address);
                } else {
                    CompletableFuture<Void> vipBound = new CompletableFuture<>();
                    bindVip(wanted, vipBound);
                    vipBound.whenComplete((v, e) -> {
                        if (e != null) {
                            log.warn("{}: {}", id(), e.getMessage());
                        }
                        result.complete(address);
                    });
                }
            } else if (f.cause() instanceof BindException && attemptsLeft > 1 && state == NodeState.STARTING) {
                ScheduledFuture<?> ignored = context.group().next().schedule(
                        () -> bind(b, bindTo, result, attemptsLeft - 1), REBIND_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                state = NodeState.FAILED;
                Throwable cause = f.cause();
                String why = cause instanceof BindException ? "address already in use" : String.valueOf(cause.getMessage());
                result.completeExceptionally(new LabStartException(id(),
                        "node " + id() + " cannot bind " + hostPort(bindTo) + ": " + why, cause));
            }
        });
    }

    @Override
    public synchronized CompletableFuture<Void> stop(Duration drain) {
        if (state != NodeState.RUNNING && state != NodeState.STARTING) {
            return CompletableFuture.completedFuture(null);
        }
        state = NodeState.STOPPING;
        CompletableFuture<Void> done = new CompletableFuture<>();
        closeListeners(listener).addListener(f -> {
            onDrain();
            long deadline = System.nanoTime() + drain.toNanos();
            waitForDrain(done, deadline);
        });
        return done.whenComplete((v, e) -> {
            state = NodeState.STOPPED;
            onStopped();
            context.emit(EventType.NODE_STOPPED, new Fact.Note("stopped gracefully"));
        });
    }

    private void waitForDrain(CompletableFuture<Void> done, long deadline) {
        if (connections.isEmpty()) {
            done.complete(null);
            return;
        }
        if (System.nanoTime() >= deadline) {
            connections.close().addListener(f -> done.complete(null));
            return;
        }
        ScheduledFuture<?> ignored = context.group().next().schedule(() -> waitForDrain(done, deadline), 10, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized CompletableFuture<Void> kill() {
        NodeState before = state;
        state = NodeState.KILLED;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel l = listener;
        resetAll(connections);
        closeListeners(l).addListener(f -> connections.close().addListener(g -> {
            onStopped();
            if (before != NodeState.KILLED) {
                context.emit(EventType.NODE_KILLED, new Fact.Note("killed: listener closed, connections reset"));
            }
            done.complete(null);
        }));
        return done;
    }

    public static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
