package dev.flowlab.runtime;

import dev.flowlab.event.EventType;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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

    protected TcpServerNode(NodeContext context) {
        this.context = context;
        this.connections = new DefaultChannelGroup(context.id(), context.group().next());
    }

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
        ch.closeFuture().addListener(f -> context.metrics().connectionClosed());
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
        ServerBootstrap b = new ServerBootstrap()
                .group(context.group())
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted(ch);
                    }
                });
        // A restart re-binds the port this node just closed: NIO frees a closed listener's port
        // only at the selector's next pass, so a bind right after a stop may briefly fail.
        bind(b, bindTo, result, address != null ? REBIND_ATTEMPTS : 1);
        return result;
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
                context.emit(EventType.NODE_STARTED, "listening on " + hostPort(address));
                result.complete(address);
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
        Channel l = listener;
        (l == null ? context.group().next().newSucceededFuture(null) : l.close()).addListener(f -> {
            onDrain();
            long deadline = System.nanoTime() + drain.toNanos();
            waitForDrain(done, deadline);
        });
        return done.whenComplete((v, e) -> {
            state = NodeState.STOPPED;
            onStopped();
            context.emit(EventType.NODE_STOPPED, "stopped gracefully");
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
        for (Channel ch : connections) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                log.debug("{}: cannot set SO_LINGER on {}", id(), ch, e);
            }
        }
        io.netty.util.concurrent.Future<?> closeListener = l == null ? context.group().next().newSucceededFuture(null) : l.close();
        closeListener.addListener(f -> connections.close().addListener(g -> {
            onStopped();
            if (before != NodeState.KILLED) {
                context.emit(EventType.NODE_KILLED, "killed: listener closed, connections reset");
            }
            done.complete(null);
        }));
        return done;
    }

    public static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
