package dev.flowlab.runtime;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.ha.HighAvailability;
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
    private final LabClock clock = new LabClock();
    private final AddressPlan plan;
    private final Map<String, LabNode> nodes = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> planned = new LinkedHashMap<>();
    private final HighAvailability ha;
    private SnapshotTicker snapshotTicker;
    private volatile boolean closed;

    public Lab(Scenario scenario) {
        this(scenario, LabOptions.defaults());
    }

    public Lab(Scenario scenario, LabOptions options) {
        this.scenario = scenario;
        this.options = options;
        this.metrics = new MetricsRegistry(options.metricsInterval().toMillis());
        this.plan = new AddressPlan(options.distinctLoopback());
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory(THREAD_PREFIX + "io", true, options.threadPriority()), Transport.ioHandlerFactory());
        try {
            for (NodeSpec spec : scenario.nodes()) {
                NodeMetrics m = metrics.register(spec.id(), spec.kind().id());
                if (spec.kind() == NodeKind.EXTERNAL) {
                    ExternalConfig ec = spec.configAs(ExternalConfig.class);
                    planned.put(spec.id(), ec.address() == null ? null : AddressPlan.parseLoopbackOrAny(ec.address()));
                    continue;
                }
                InetSocketAddress bind = plan.assign(spec);
                planned.put(spec.id(), bind);
                if (!spec.kind().isLabServer()) {
                    continue;
                }
                TierFactory factory = Tiers.factory(spec.kind()).orElse(null);
                if (factory != null) {
                    nodes.put(spec.id(), factory.create(new Context(spec, bind, m)));
                }
            }
            ha = new HighAvailability(scenario, group, events, options.distinctLoopback(), this::tcpNode, this::address);
        } catch (RuntimeException e) {
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
        startHighAvailability();
        long interval = options.metricsInterval().toMillis();
        snapshotTicker = new SnapshotTicker(THREAD_PREFIX + "metrics", interval,
                () -> metrics.snapshot(clock.millisSinceStart()));
        snapshotTicker.start();
    }

    /** Starts every member's keepalived and waits (bounded) until each group's master holds the VIP, so traffic finds it. */
    private void startHighAvailability() {
        if (ha.groups().isEmpty()) {
            return;
        }
        Duration deadline = ha.electionDeadline();
        try {
            ha.startAll().get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + deadline.toNanos();
            while (!ha.everyGroupHoldsItsVip() && System.nanoTime() < until) {
                // The election is timer-driven on the event loops; this thread only waits for its outcome.
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LabStartException(null, "interrupted while starting keepalived", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new LabStartException(null, "keepalived failed to start: " + e, e);
        }
        if (!ha.everyGroupHoldsItsVip()) {
            log.warn("an HA group has no master holding its VIP after {} ms", deadline.toMillis());
        }
    }

    private Optional<TcpServerNode> tcpNode(String id) {
        return nodes.get(id) instanceof TcpServerNode t ? Optional.of(t) : Optional.empty();
    }

    /** keepalived of every HA group (empty when the scenario has none). */
    public HighAvailability ha() {
        return ha;
    }

    /**
     * Where other nodes and clients reach a node: the VIP of its HA group when it is a member (links,
     * A records and upstreams that name a member mean the VIP), else its own address.
     */
    public InetSocketAddress serviceAddress(String id) {
        return ha.vipOf(id).orElseGet(() -> address(id));
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
        return withNode(id, n -> ha.die(id).thenCompose(v -> n.kill()));
    }

    /** Kills only the node's server and leaves its keepalived running: what a track_script is for. */
    public CompletableFuture<Void> killService(String id) {
        return withNode(id, n -> {
            ha.serviceKilled(id);
            return n.kill();
        });
    }

    /**
     * Kills only the keepalived process of a running HA member (SIGKILL): the node keeps serving and
     * keeps the VIP bound if it held it (nothing removes it), its adverts stop, and a backup takes
     * over after master_down_interval, so two members hold the VIP until keepalived starts again
     * there ({@link #startKeepalived}) or the host goes.
     */
    public CompletableFuture<Void> killKeepalived(String id) {
        return withRunningMember(id, "kill-keepalived", () -> ha.killKeepalived(id));
    }

    /** Starts a running HA member's keepalived again: it removes a VIP left behind, then starts as BACKUP. */
    public CompletableFuture<Void> startKeepalived(String id) {
        return withRunningMember(id, "start-keepalived", () -> ha.startKeepalived(id));
    }

    private CompletableFuture<Void> withRunningMember(String id, String action,
                                                      java.util.function.Supplier<CompletableFuture<Void>> op) {
        return withNode(id, n -> {
            if (!ha.isMember(id)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(action + ": " + id
                        + " is not a member of an HA group, so it runs no keepalived"));
            }
            if (n.state() != NodeState.RUNNING) {
                return CompletableFuture.failedFuture(new IllegalStateException(action + ": " + id + " is "
                        + n.state().id() + "; keepalived runs on a running node (start the node: its keepalived starts with it)"));
            }
            return op.get();
        });
    }

    /** Stops a node gracefully; a member's keepalived resigns first (priority 0 advert). */
    public CompletableFuture<Void> stop(String id) {
        return withNode(id, n -> ha.resign(id).thenCompose(v -> n.stop(options.drainTimeout())));
    }

    /** Starts a node (and a member's keepalived, if it is not running). */
    public CompletableFuture<Void> startNode(String id) {
        return withNode(id, n -> n.start().thenCompose(a -> ha.start(id)));
    }

    public CompletableFuture<Void> restart(String id) {
        return stop(id).thenCompose(v -> startNode(id));
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
                case "kill-keepalived" -> killKeepalived(nodeId);
                case "start-keepalived" -> startKeepalived(nodeId);
                case "stop" -> stop(nodeId);
                case "start" -> startNode(nodeId);
                case "restart" -> restart(nodeId);
                case "partition" -> {
                    ha.partition(nodeId, p.get("peer"));
                    yield CompletableFuture.completedFuture(null);
                }
                case "heal" -> {
                    ha.heal(nodeId, p.get("peer"));
                    yield CompletableFuture.completedFuture(null);
                }
                default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown action '" + action
                        + "' (expected kill, kill-service, kill-keepalived, start-keepalived, stop, start, restart, partition or heal)"));
            };
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
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
        events.publish(LabEvent.of(type, node, fact));
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
        if (ha != null) {
            ha.close();
        }
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
            return ha.groupOf(nodeId)
                    .map(g -> g.members().stream().anyMatch(m -> tcpNode(m).map(TcpServerNode::holdsVip).orElse(false)))
                    .orElseGet(() -> peer(nodeId).map(n -> n.state().isUp()).orElse(true));
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
