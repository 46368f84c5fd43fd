package dev.flowlab.runtime;

import dev.flowlab.topology.Addresses;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsRegistry;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running topology: one shared Netty event loop group serving every node, the event bus, the
 * metrics registry. Create it from a scenario, {@link #start()} it, act on nodes (kill, stop,
 * start, restart), and {@link #close()} it: closing leaves no thread and no bound port.
 *
 * <p>{@link #start()} and {@link #close()} block and must not run on an event loop; node actions
 * return futures and may be called from anywhere.
 */
public final class Lab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);
    public static final String THREAD_PREFIX = "flowlab-";

    private final Scenario scenario;
    private final LabOptions options;
    private final EventLoopGroup group;
    private final EventBus events = new EventBus();
    private final MetricsRegistry metrics;
    private final LabClock clock;
    private final AddressPlan plan;
    private final Map<String, LabNode> nodes = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> planned = new LinkedHashMap<>();
    private final List<LabExtension> extensions = new ArrayList<>();
    private SnapshotTicker snapshotTicker;
    private volatile boolean closed;

    /**
     * Makes the lab's nodes from its parts (no node starts yet). The runtime knows no tier: a kind
     * without a factory in {@code parts} makes {@link #start()} refuse with a clear message.
     */
    public Lab(Scenario scenario, LabOptions options, LabParts parts) {
        this.scenario = scenario;
        this.options = options;
        this.clock = options.clock() != null ? options.clock() : new LabClock();
        this.metrics = new MetricsRegistry(options.metricsInterval().toMillis());
        this.plan = new AddressPlan(options.distinctLoopback());
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory(THREAD_PREFIX + "io", true, options.threadPriority()), Transport.ioHandlerFactory());
        if (clock instanceof LabClock.Manual manual) {
            manual.drives(group);
        }
        try {
            for (NodeSpec spec : scenario.nodes()) {
                NodeMetrics m = metrics.register(spec.id(), spec.kind().id());
                if (spec.kind() == NodeKind.EXTERNAL) {
                    ExternalConfig ec = spec.configAs(ExternalConfig.class);
                    planned.put(spec.id(), ec.address() == null ? null : Addresses.parseLoopbackOrAny(ec.address()));
                    continue;
                }
                InetSocketAddress bind = plan.assign(spec);
                planned.put(spec.id(), bind);
                if (!spec.kind().isLabServer()) {
                    continue;
                }
                TierFactory factory = parts.tier(spec.kind()).orElse(null);
                if (factory != null) {
                    nodes.put(spec.id(), factory.create(new Context(spec, bind, m)));
                }
            }
            Host host = new Host();
            for (LabExtension.Factory f : parts.extensions()) {
                extensions.add(f.attach(host));
            }
        } catch (RuntimeException e) {
            extensions.forEach(LabExtension::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw e;
        }
        metrics.stateSource(this::stateId);
    }

    /** Starts every node and the metrics snapshots; on failure, stops what started and throws. */
    public void start() {
        for (NodeSpec spec : scenario.nodes()) {
            if (spec.kind().isLabServer() && !nodes.containsKey(spec.id())) {
                close();
                throw new LabStartException(spec.id(), "node " + spec.id() + ": the " + spec.kind().id()
                        + " tier is not available in this build yet", null);
            }
        }
        List<CompletableFuture<InetSocketAddress>> starts = new ArrayList<>();
        for (LabNode n : nodes.values()) {
            starts.add(n.start());
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof LabStartException lse) {
                throw lse;
            }
            throw new LabStartException(null, "lab failed to start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LabStartException(null, "interrupted while starting", e);
        } catch (TimeoutException e) {
            close();
            throw new LabStartException(null, "nodes did not start within 30 s", e);
        }
        for (LabExtension x : extensions) {
            try {
                x.labStarted();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        long interval = options.metricsInterval().toMillis();
        snapshotTicker = new SnapshotTicker(THREAD_PREFIX + "metrics", interval,
                () -> metrics.snapshot(clock.millisSinceStart()));
        snapshotTicker.start();
    }

    private Optional<TcpServerNode> tcpNode(String id) {
        return nodes.get(id) instanceof TcpServerNode t ? Optional.of(t) : Optional.empty();
    }

    /** The extension of this type attached to the lab (keepalived: dev.flowlab.ha.HighAvailability), if any. */
    public <T> Optional<T> extension(Class<T> type) {
        for (LabExtension x : extensions) {
            if (type.isInstance(x)) {
                return Optional.of(type.cast(x));
            }
        }
        return Optional.empty();
    }

    /**
     * Where other nodes and clients reach a node: the VIP of its HA group when it is a member (links,
     * A records and upstreams that name a member mean the VIP), else its own address.
     */
    public InetSocketAddress serviceAddress(String id) {
        for (LabExtension x : extensions) {
            Optional<InetSocketAddress> a = x.serviceAddress(id);
            if (a.isPresent()) {
                return a.get();
            }
        }
        return address(id);
    }

    public Scenario scenario() {
        return scenario;
    }

    public EventBus events() {
        return events;
    }

    public MetricsRegistry metrics() {
        return metrics;
    }

    public LabClock clock() {
        return clock;
    }

    /** The shared event loop group (for the load client and control API that live beside the nodes). */
    public EventLoopGroup group() {
        return group;
    }

    public Optional<LabNode> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    /** Where a node is: its bound address, or for clients and externals their planned one. */
    public InetSocketAddress address(String id) {
        LabNode n = nodes.get(id);
        if (n != null && n.address() != null) {
            return n.address();
        }
        return planned.get(id);
    }

    public NodeState state(String id) {
        LabNode n = nodes.get(id);
        if (n != null) {
            return n.state();
        }
        return closed ? NodeState.STOPPED : NodeState.RUNNING;
    }

    private String stateId(String id) {
        return state(id).id();
    }

    public List<NodeView> nodeViews() {
        List<NodeView> out = new ArrayList<>();
        for (NodeSpec spec : scenario.nodes()) {
            InetSocketAddress a = address(spec.id());
            out.add(new NodeView(spec.id(), spec.kind(), a == null ? null : TcpServerNode.hostPort(a), state(spec.id())));
        }
        return out;
    }

    /** The first server the clients talk to (the HTTP front door), if any. */
    public Optional<NodeSpec> httpEntry() {
        for (NodeSpec c : scenario.nodesOfKind(NodeKind.CLIENT)) {
            for (NodeSpec d : scenario.downstreamOf(c.id())) {
                if (d.kind() != NodeKind.DNS) {
                    return Optional.of(d);
                }
                List<NodeSpec> behindDns = scenario.downstreamOf(d.id());
                if (!behindDns.isEmpty()) {
                    return Optional.of(behindDns.get(0));
                }
            }
        }
        return Optional.empty();
    }

    public Optional<NodeSpec> dnsEntry() {
        return scenario.nodesOfKind(NodeKind.DNS).stream().findFirst();
    }

    /** Kills a node; a member of an HA group loses its keepalived too (no more adverts). */
    public CompletableFuture<Void> kill(String id) {
        return withNode(id, n -> each(x -> x.beforeKill(id)).thenCompose(v -> n.kill()));
    }

    /** Kills only the node's server and leaves its keepalived running: what a track_script is for. */
    public CompletableFuture<Void> killService(String id) {
        return withNode(id, n -> {
            extensions.forEach(x -> x.beforeServiceKill(id));
            return n.kill();
        });
    }

    /** Stops a node gracefully; a member's keepalived resigns first (priority 0 advert). */
    public CompletableFuture<Void> stop(String id) {
        return withNode(id, n -> each(x -> x.beforeStop(id)).thenCompose(v -> n.stop(options.drainTimeout())));
    }

    /** Starts a node (and a member's keepalived, if it is not running). */
    public CompletableFuture<Void> startNode(String id) {
        return withNode(id, n -> n.start().thenCompose(a -> each(x -> x.afterStart(id))));
    }

    public CompletableFuture<Void> restart(String id) {
        return stop(id).thenCompose(v -> startNode(id));
    }

    /** Runs one step of every extension in turn, each after the previous one's future completes. */
    private CompletableFuture<Void> each(java.util.function.Function<LabExtension, CompletableFuture<Void>> step) {
        CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
        for (LabExtension x : extensions) {
            f = f.thenCompose(v -> step.apply(x));
        }
        return f;
    }

    /**
     * Applies a named action to a node: the fault script's and control API's entry. Besides kill
     * (for an HA member: the host dies, keepalived and the VIP with it), stop, start and restart:
     * {@code kill-service} (the server dies, keepalived lives), {@code kill-keepalived} (the
     * keepalived process dies, the server and a held VIP stay), {@code start-keepalived},
     * {@code partition} with {@code peer} (VRRP adverts between two HA members are dropped) and
     * {@code heal} (with or without {@code peer}).
     */
    public CompletableFuture<Void> apply(String action, String nodeId, Map<String, String> params) {
        Map<String, String> p = params == null ? Map.of() : params;
        try {
            return switch (action) {
                case "kill" -> kill(nodeId);
                case "kill-service" -> killService(nodeId);
                case "stop" -> stop(nodeId);
                case "start" -> startNode(nodeId);
                case "restart" -> restart(nodeId);
                default -> {
                    for (LabExtension x : extensions) {
                        if (x.actions().contains(action)) {
                            yield withNode(nodeId, n -> x.apply(action, nodeId, p));
                        }
                    }
                    yield CompletableFuture.failedFuture(new IllegalArgumentException("unknown action '" + action
                            + "' (expected " + expected() + ")"));
                }
            };
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every action {@link #apply} knows: the lab's own and its extensions'. */
    public List<String> actionNames() {
        List<String> names = new ArrayList<>(List.of("kill", "kill-service"));
        extensions.forEach(x -> names.addAll(x.actions()));
        names.addAll(List.of("stop", "start", "restart"));
        return names;
    }

    private String expected() {
        List<String> names = actionNames();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private CompletableFuture<Void> withNode(String id, java.util.function.Function<LabNode, CompletableFuture<Void>> op) {
        LabNode n = nodes.get(id);
        if (n == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    scenario.node(id).isPresent() ? "node " + id + " is not a server the lab runs" : "no node '" + id + "'"));
        }
        return op.apply(n);
    }

    /** Emits a lab-level event (not tied to a node's traffic), e.g. from the fault script. */
    public void emit(EventType type, String node, dev.flowlab.event.Fact fact) {
        events.publish(new LabEvent(clock.nanos(), type, node, null, null, 0, 0, fact));
    }

    public boolean isClosed() {
        return closed;
    }

    /** Kills every node and shuts the event loop group down, waiting until its threads are gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (snapshotTicker != null) {
            snapshotTicker.close();
        }
        extensions.forEach(LabExtension::close);
        List<CompletableFuture<Void>> kills = new ArrayList<>();
        for (LabNode n : nodes.values()) {
            if (n.state() == NodeState.RUNNING || n.state() == NodeState.STARTING || n.state() == NodeState.STOPPING) {
                kills.add(n.kill());
            }
        }
        try {
            CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("some nodes did not close cleanly: {}", e.toString());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private final class Host implements LabHost {
        @Override
        public Scenario scenario() {
            return scenario;
        }

        @Override
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public EventBus events() {
            return events;
        }

        @Override
        public LabOptions options() {
            return options;
        }

        @Override
        public InetSocketAddress ownAddress(String nodeId) {
            return address(nodeId);
        }

        @Override
        public Optional<TcpServerNode> tcpNode(String nodeId) {
            return Lab.this.tcpNode(nodeId);
        }

        @Override
        public NodeState state(String nodeId) {
            return Lab.this.state(nodeId);
        }

        @Override
        public MetricsRegistry metrics() {
            return metrics;
        }

        @Override
        public LabClock clock() {
            return clock;
        }
    }

    private final class Context implements NodeContext {
        private final NodeSpec spec;
        private final InetSocketAddress bind;
        private final NodeMetrics nodeMetrics;

        Context(NodeSpec spec, InetSocketAddress bind, NodeMetrics nodeMetrics) {
            this.spec = spec;
            this.bind = bind;
            this.nodeMetrics = nodeMetrics;
        }

        @Override
        public NodeSpec spec() {
            return spec;
        }

        @Override
        public Scenario scenario() {
            return scenario;
        }

        @Override
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public InetSocketAddress bindAddress() {
            return bind;
        }

        @Override
        public InetSocketAddress addressOf(String nodeId) {
            return serviceAddress(nodeId);
        }

        @Override
        public List<NodeSpec> downstream() {
            return scenario.downstreamOf(spec.id());
        }

        @Override
        public InetSocketAddress sourceAddress() {
            return new InetSocketAddress(bind.getAddress(), 0);
        }

        @Override
        public Optional<LabNode> peer(String nodeId) {
            return Optional.ofNullable(nodes.get(nodeId));
        }

        @Override
        public boolean isServiceUp(String nodeId) {
            for (LabExtension x : extensions) {
                Optional<Boolean> up = x.serviceUp(nodeId);
                if (up.isPresent()) {
                    return up.get();
                }
            }
            return peer(nodeId).map(n -> n.state().isUp()).orElse(true);
        }

        @Override
        public EventBus events() {
            return events;
        }

        @Override
        public NodeMetrics metrics() {
            return nodeMetrics;
        }

        @Override
        public LabClock clock() {
            return clock;
        }

        @Override
        public Path siteRoot() {
            return options.siteRoot();
        }
    }
}
