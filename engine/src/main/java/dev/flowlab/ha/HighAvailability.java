package dev.flowlab.ha;

import dev.flowlab.event.EventBus;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabExtension;
import dev.flowlab.runtime.LabHost;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.Scenario;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
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
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived for a whole lab: one {@link VrrpGroup} per HA group of the scenario. The lab tells
 * it when a member node is killed (keepalived dies with it), stopped (keepalived resigns with a
 * priority 0 advert) or started (keepalived starts), when only the keepalived process is killed
 * or started again on a running node, and applies partitions between members.
 */
public final class HighAvailability implements LabExtension {
    private static final Logger log = LoggerFactory.getLogger(HighAvailability.class);
    /** Where VIPs live on loopback when the scenario does not fix one: 127.0.10.200 and up. */
    private static final int VIP_BLOCK = 10;
    private static final int VIP_FIRST = 200;

    private final Map<String, VrrpGroup> groups = new LinkedHashMap<>();
    private final Map<String, VrrpGroup> groupOfNode = new LinkedHashMap<>();
    private final Function<String, NodeState> stateOf;
    /** The lab's clock: kills, stops and every HA event and failover are stamped with it. */
    private final LabClock clock;

    /** The keepalived attached to a lab; every lab the product makes has one (dev.flowlab.stack.Stack). */
    public static HighAvailability of(dev.flowlab.runtime.Lab lab) {
        return lab.extension(HighAvailability.class).orElseThrow(() -> new IllegalStateException(
                "this lab was made without keepalived (LabParts without HighAvailability.keepalived())"));
    }

    /** keepalived as a lab extension: the composition root attaches it to every lab. */
    public static LabExtension.Factory keepalived() {
        return HighAvailability::new;
    }

    private HighAvailability(LabHost host) {
        this(host.scenario(), host.group(), host.events(), host.clock(), host.options().distinctLoopback(), host::tcpNode,
                host::ownAddress, host::state);
    }

    public HighAvailability(Scenario scenario, EventLoopGroup loops, EventBus events, LabClock clock, boolean distinctLoopback,
                            Function<String, Optional<TcpServerNode>> nodes, Function<String, InetSocketAddress> ownAddress) {
        this(scenario, loops, events, clock, distinctLoopback, nodes, ownAddress,
                id -> nodes.apply(id).map(TcpServerNode::state).orElse(NodeState.RUNNING));
    }

    private HighAvailability(Scenario scenario, EventLoopGroup loops, EventBus events, LabClock clock, boolean distinctLoopback,
                             Function<String, Optional<TcpServerNode>> nodes, Function<String, InetSocketAddress> ownAddress,
                             Function<String, NodeState> stateOf) {
        this.stateOf = stateOf;
        this.clock = clock;
        int index = 0;
        for (HaGroup g : scenario.haGroups()) {
            InetSocketAddress vip = planVip(g, index++, distinctLoopback);
            VrrpGroup group = new VrrpGroup(g, vip, loops.next(), events, clock, nodes, ownAddress);
            groups.put(g.id(), group);
            for (String member : group.members()) {
                groupOfNode.put(member, group);
            }
        }
    }

    /** The group's VIP: as the file fixes it, else 127.0.10.(200+n) (127.0.0.1 without distinct loopback), port free now. */
    static InetSocketAddress planVip(HaGroup g, int index, boolean distinctLoopback) {
        String host;
        int port = 0;
        if (g.vip() != null && !g.vip().isBlank()) {
            int colon = g.vip().lastIndexOf(':');
            host = colon > 0 ? g.vip().substring(0, colon) : g.vip();
            port = colon > 0 ? Integer.parseInt(g.vip().substring(colon + 1)) : 0;
        } else {
            host = distinctLoopback ? "127.0." + VIP_BLOCK + "." + (VIP_FIRST + index) : "127.0.0.1";
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("HA group " + g.id() + ": vip host '" + host + "' is not an address", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("HA group " + g.id() + ": vip " + host + " is not on loopback");
        }
        if (port == 0) {
            // Every member must bind the same port, so the lab picks one now rather than letting each bind choose.
            try (ServerSocket probe = new ServerSocket(0, 1, address)) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new IllegalArgumentException("HA group " + g.id() + ": no free port on " + host + ": " + e.getMessage(), e);
            }
        }
        return new InetSocketAddress(address, port);
    }

    public List<VrrpGroup> groups() {
        return List.copyOf(groups.values());
    }

    public Optional<VrrpGroup> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    public Optional<VrrpGroup> groupOf(String nodeId) {
        return Optional.ofNullable(groupOfNode.get(nodeId));
    }

    public boolean isMember(String nodeId) {
        return groupOfNode.containsKey(nodeId);
    }

    /** The VIP a member's clients reach it by, if it is in a group. */
    public Optional<InetSocketAddress> vipOf(String nodeId) {
        return groupOf(nodeId).map(VrrpGroup::vip);
    }

    /** Starts every member's keepalived (the nodes are up). */
    public CompletableFuture<Void> startAll() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (VrrpGroup g : groups.values()) {
            for (VrrpInstance i : g.instances()) {
                starts.add(i.start());
            }
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
    }

    /** The longest time an election can take: master_down_interval of the lowest priority member, plus slack. */
    public Duration electionDeadline() {
        Duration longest = Duration.ZERO;
        for (VrrpGroup g : groups.values()) {
            Duration d = HaGroup.masterDownInterval(g.advertInt(), 1, g.vrrpVersion());
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest.plusSeconds(2);
    }

    /** Whether every group has a master whose VIP listener is bound, so clients can connect. */
    public boolean everyGroupHoldsItsVip() {
        return groups.values().stream().allMatch(g -> g.masters().stream()
                .anyMatch(m -> g.node(m).map(TcpServerNode::holdsVip).orElse(false)));
    }

    public CompletableFuture<Void> start(String nodeId) {
        return instance(nodeId).map(VrrpInstance::start).orElse(CompletableFuture.completedFuture(null));
    }

    /** The node is killed: its keepalived dies without a word. */
    public CompletableFuture<Void> die(String nodeId) {
        return instance(nodeId).map(i -> i.die(now())).orElse(CompletableFuture.completedFuture(null));
    }

    /** The node stops gracefully: keepalived resigns first (priority 0 advert) and gives the VIP up. */
    public CompletableFuture<Void> resign(String nodeId) {
        return instance(nodeId).map(i -> i.resign(now())).orElse(CompletableFuture.completedFuture(null));
    }

    /**
     * Only the keepalived process is killed (SIGKILL) on a running node: its adverts stop, and a VIP
     * it held stays bound on the node, so once a backup takes over two members hold it.
     */
    public CompletableFuture<Void> killKeepalived(String nodeId) {
        return member(nodeId).killProcess(now());
    }

    /** Starts a member's keepalived again on its running node; it removes a VIP the killed one left behind first. */
    public CompletableFuture<Void> startKeepalived(String nodeId) {
        return member(nodeId).start();
    }

    private long now() {
        return clock.nanos();
    }

    private VrrpInstance member(String nodeId) {
        return instance(nodeId).orElseThrow(() -> new IllegalArgumentException(nodeId
                + " is not a member of an HA group: only members run keepalived"));
    }

    /** Only the service died; keepalived lives on, and a track_script (if any) will notice. */
    public void serviceKilled(String nodeId) {
        long at = now();
        groupOf(nodeId).ifPresent(g -> g.loop().execute(() -> {
            if (g.stateOf(nodeId) == VrrpState.MASTER) {
                g.masterLost(nodeId, "service killed", at);
            }
        }));
    }

    /** Drops every VRRP advert between two members of one group, both ways. */
    public void partition(String a, String b) {
        VrrpGroup g = groupOfNode.get(a);
        if (g == null || b == null || g != groupOfNode.get(b)) {
            throw new IllegalArgumentException("partition needs two members of one HA group (got " + a + " and " + b + ")");
        }
        g.cut(a, b);
    }

    /** Lets adverts flow again between {@code a} and {@code b} (or between {@code a} and everyone when b is null). */
    public void heal(String a, String b) {
        VrrpGroup g = groupOfNode.get(a);
        if (g == null) {
            throw new IllegalArgumentException(a + " is not a member of an HA group");
        }
        g.heal(a, b);
    }

    public List<Failover> failovers() {
        List<Failover> out = new ArrayList<>();
        groups.values().forEach(g -> out.addAll(g.failovers()));
        out.sort(java.util.Comparator.comparingLong(Failover::lostNanos));
        return out;
    }

    private Optional<VrrpInstance> instance(String nodeId) {
        return groupOf(nodeId).flatMap(g -> g.instance(nodeId));
    }

    // ---- the lab's hooks (LabExtension) ----

    /** Starts every member's keepalived and waits (bounded) until each group's master holds the VIP, so traffic finds it. */
    @Override
    public void labStarted() {
        if (groups.isEmpty()) {
            return;
        }
        Duration deadline = electionDeadline();
        try {
            startAll().get(10, TimeUnit.SECONDS);
            // Real time, not the lab's clock: the election runs on the loops' real-time VRRP timers.
            long until = System.nanoTime() + deadline.toNanos();
            while (!everyGroupHoldsItsVip() && System.nanoTime() < until) {
                // The election is timer-driven on the event loops; this thread only waits for its outcome.
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabStartException(null, "interrupted while starting keepalived", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LabStartException(null, "keepalived failed to start: " + e, e);
        }
        if (!everyGroupHoldsItsVip()) {
            log.warn("an HA group has no master holding its VIP after {} ms", deadline.toMillis());
        }
    }

    @Override
    public Optional<InetSocketAddress> serviceAddress(String nodeId) {
        return vipOf(nodeId);
    }

    /** A member's service is up while any member of its group holds the VIP. */
    @Override
    public Optional<Boolean> serviceUp(String nodeId) {
        return groupOf(nodeId).map(g -> g.members().stream()
                .anyMatch(m -> g.node(m).map(TcpServerNode::holdsVip).orElse(false)));
    }

    @Override
    public CompletableFuture<Void> beforeKill(String nodeId) {
        return die(nodeId);
    }

    @Override
    public void beforeServiceKill(String nodeId) {
        serviceKilled(nodeId);
    }

    @Override
    public CompletableFuture<Void> beforeStop(String nodeId) {
        return resign(nodeId);
    }

    @Override
    public CompletableFuture<Void> afterStart(String nodeId) {
        return start(nodeId);
    }

    @Override
    public List<String> actions() {
        return List.of("kill-keepalived", "start-keepalived", "partition", "heal");
    }

    @Override
    public CompletableFuture<Void> apply(String action, String nodeId, Map<String, String> params) {
        try {
            switch (action) {
                case "kill-keepalived":
                    return withRunningMember(nodeId, action, () -> killKeepalived(nodeId));
                case "start-keepalived":
                    return withRunningMember(nodeId, action, () -> startKeepalived(nodeId));
                case "partition":
                    partition(nodeId, params.get("peer"));
                    return CompletableFuture.completedFuture(null);
                case "heal":
                    heal(nodeId, params.get("peer"));
                    return CompletableFuture.completedFuture(null);
                default:
                    return LabExtension.super.apply(action, nodeId, params);
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> withRunningMember(String id, String action, Supplier<CompletableFuture<Void>> op) {
        if (!isMember(id)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(action + ": " + id
                    + " is not a member of an HA group, so it runs no keepalived"));
        }
        NodeState state = stateOf.apply(id);
        if (state != NodeState.RUNNING) {
            return CompletableFuture.failedFuture(new IllegalStateException(action + ": " + id + " is "
                    + state.id() + "; keepalived runs on a running node (start the node: its keepalived starts with it)"));
        }
        return op.get();
    }

    @Override
    public void close() {
        groups.values().forEach(VrrpGroup::close);
    }
}
