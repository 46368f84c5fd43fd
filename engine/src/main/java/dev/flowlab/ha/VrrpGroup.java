package dev.flowlab.ha;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.TrackScript;
import io.netty.channel.EventLoop;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The running form of one {@link HaGroup}: its members' VRRP instances on one event loop, the VIP,
 * the partitions cutting adverts between members, split-brain detection, duplicate-VIP detection
 * (a host whose keepalived was killed still holds the VIP while another member holds it too) and
 * the record of VIP moves. State changes happen on {@link #loop()}; the queries may be called from
 * anywhere.
 */
public final class VrrpGroup {
    private final HaGroup spec;
    private final EventLoop loop;
    private final InetSocketAddress vip;
    private final EventBus events;
    private final LabClock clock;
    private final Function<String, Optional<TcpServerNode>> nodes;
    private final Function<String, InetSocketAddress> ownAddress;
    private final Map<String, VrrpInstance> instances = new LinkedHashMap<>();
    private final Set<Set<String>> cuts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Failover> failovers = new CopyOnWriteArrayList<>();
    private volatile boolean splitBrain;
    private volatile boolean duplicateVip;
    private volatile String lastMaster;
    private String lostMaster;
    private String lostCause;
    private long lostNanos;
    private String newMaster;
    private long detectedNanos;
    private long newMasterWaitStart;
    private long droppedAdverts;
    private boolean splitBrainCheckPending;
    private final Map<String, Long> leftMasterAt = new java.util.HashMap<>();

    VrrpGroup(HaGroup spec, InetSocketAddress vip, EventLoop loop, EventBus events, LabClock clock,
              Function<String, Optional<TcpServerNode>> nodes, Function<String, InetSocketAddress> ownAddress) {
        this.spec = Params.withDefaults(new HaGroup(spec.id(), spec.vip(), spec.virtualRouterId(), spec.advertInt(),
                spec.vrrpVersion(), spec.members(), null));
        this.loop = loop;
        this.vip = vip;
        this.events = events;
        this.clock = clock;
        this.nodes = nodes;
        this.ownAddress = ownAddress;
        TrackScript track = spec.trackScript() == null ? null : Params.withDefaults(spec.trackScript());
        for (HaMember m : this.spec.members()) {
            instances.put(m.node(), new VrrpInstance(this, m, track, loop));
        }
    }

    public String id() {
        return spec.id();
    }

    public InetSocketAddress vip() {
        return vip;
    }

    public String vipText() {
        return TcpServerNode.hostPort(vip);
    }

    Inet4Address vipInet4() {
        return vip.getAddress() instanceof Inet4Address v4 ? v4 : (Inet4Address) loopbackV4();
    }

    private static java.net.InetAddress loopbackV4() {
        try {
            return java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Duration advertInt() {
        return spec.advertInt();
    }

    public int vrrpVersion() {
        return spec.vrrpVersion();
    }

    public int virtualRouterId() {
        return spec.virtualRouterId();
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Now on the lab's clock: what every event and {@link Failover} of the group is stamped with. The
     * VRRP timers themselves (adverts, master_down_interval, preempt_delay) run on the event loop's
     * real time, as {@link LabClock} says of socket-level timers.
     */
    long now() {
        return clock.nanos();
    }

    List<VrrpInstance> instances() {
        return List.copyOf(instances.values());
    }

    Optional<VrrpInstance> instance(String nodeId) {
        return Optional.ofNullable(instances.get(nodeId));
    }

    public List<String> members() {
        return List.copyOf(instances.keySet());
    }

    public VrrpState stateOf(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i == null ? null : i.state();
    }

    public int priorityOf(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i == null ? 0 : i.priority();
    }

    /** {@code master_down_interval} as this member computes it now (its effective priority). */
    public Duration masterDownIntervalOf(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i == null ? null : i.masterDownInterval();
    }

    /** The members in state MASTER; two or more is a split brain. */
    public List<String> masters() {
        List<String> out = new ArrayList<>();
        instances.forEach((id, i) -> {
            if (i.state() == VrrpState.MASTER) {
                out.add(id);
            }
        });
        return out;
    }

    /** Adverts this member's keepalived has taken in (after the partition filter) since the lab started. */
    public long advertsReceivedBy(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i == null ? 0 : i.advertsReceived();
    }

    public boolean splitBrain() {
        return splitBrain;
    }

    /**
     * Whether a member whose keepalived was killed still holds the VIP while another member holds it
     * too (two hosts answer for one address). Unlike a split brain, only one of them is MASTER.
     */
    public boolean duplicateVip() {
        return duplicateVip;
    }

    /** The members whose node has a listener on the VIP right now (normally the master alone). */
    public List<String> vipHolders() {
        List<String> out = new ArrayList<>();
        for (String id : instances.keySet()) {
            if (node(id).map(TcpServerNode::holdsVip).orElse(false)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Whether this member's keepalived was killed while it held the VIP, which then stayed on its host. */
    public boolean vipLeftBehindOn(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i != null && i.vipLeftBehind();
    }

    /** Whether this member's keepalived runs (in any VRRP state); false once killed or stopped. */
    public boolean keepalivedRunning(String nodeId) {
        VrrpInstance i = instances.get(nodeId);
        return i != null && i.running();
    }

    public List<Failover> failovers() {
        return List.copyOf(failovers);
    }

    public boolean isCut(String a, String b) {
        return cuts.contains(Set.of(a, b));
    }

    Optional<TcpServerNode> node(String nodeId) {
        return nodes.apply(nodeId);
    }

    InetSocketAddress ownAddressOf(String nodeId) {
        return ownAddress.apply(nodeId);
    }

    /** Where the member's own service listens (its track_script's target). */
    InetSocketAddress serviceAddressOf(String nodeId) {
        return node(nodeId).map(TcpServerNode::address).orElse(null);
    }

    VrrpInstance instanceAt(InetSocketAddress sender) {
        for (VrrpInstance i : instances.values()) {
            if (sender.equals(i.advertAddress())) {
                return i;
            }
        }
        return null;
    }

    // ---- partitions

    void cut(String a, String b) {
        loop.execute(() -> {
            if (cuts.add(Set.of(a, b))) {
                emit(EventType.FAULT_APPLIED, a, b, new Fact.Partition(a, b, false));
            }
        });
    }

    void heal(String a, String b) {
        loop.execute(() -> {
            List<Set<String>> healed = new ArrayList<>();
            for (Set<String> c : cuts) {
                if (c.contains(a) && (b == null || c.contains(b))) {
                    healed.add(c);
                }
            }
            for (Set<String> c : healed) {
                cuts.remove(c);
                List<String> pair = new ArrayList<>(c);
                emit(EventType.FAULT_CLEARED, a, pair.get(0).equals(a) ? pair.get(1) : pair.get(0),
                        new Fact.Partition(pair.get(0), pair.get(1), true));
            }
        });
    }

    void advertDropped(String from, String to) {
        droppedAdverts++;
        if (droppedAdverts == 1 || droppedAdverts % 50 == 0) {
            emit(EventType.VRRP_ADVERT, to, from, new Fact.AdvertDropped(from, droppedAdverts));
        }
    }

    /**
     * A member in MASTER whose adverts {@code backup} receives (no partition between them) and would
     * accept, if any: a backup whose timer runs out while one exists has simply not read its advert yet.
     */
    VrrpInstance masterHeardBy(VrrpInstance backup) {
        for (VrrpInstance i : instances.values()) {
            if (i != backup && i.state() == VrrpState.MASTER && !isCut(i.nodeId(), backup.nodeId()) && backup.wouldAccept(i.priority())) {
                return i;
            }
        }
        return null;
    }

    // ---- masters and VIP moves (on the loop)

    void masterLost(String nodeId, String cause, long nanos) {
        if (lostMaster == null) {
            lostMaster = nodeId;
            lostCause = cause;
            lostNanos = nanos;
        }
    }

    void becameMaster(VrrpInstance instance, long waitStartNanos) {
        long now = now();
        newMaster = instance.nodeId();
        detectedNanos = now;
        newMasterWaitStart = waitStartNanos == 0 ? now : waitStartNanos;
        checkSplitBrain();
    }

    void leftMaster(VrrpInstance instance) {
        long now = now();
        leftMasterAt.put(instance.nodeId(), now);
        for (int i = failovers.size() - 1; i >= 0; i--) {
            Failover f = failovers.get(i);
            if (f.from().equals(instance.nodeId()) && f.releasedNanos() == 0) {
                failovers.set(i, f.released(now));
                break;
            }
        }
        checkSplitBrain();
    }

    void vipBound(VrrpInstance instance) {
        long now = now();
        String to = instance.nodeId();
        String from = lostMaster != null ? lostMaster : lastMaster;
        emit(EventType.VIP_MOVED, to, from, new Fact.VipMoved(vipText(), from, to));
        if (from != null && !from.equals(to)) {
            long lost = lostMaster != null ? lostNanos : detectedNanos;
            VrrpInstance previous = instances.get(from);
            boolean previousStillMaster = previous != null && previous.state() == VrrpState.MASTER;
            String cause = lostMaster != null ? lostCause
                    : previousStillMaster && previous.priority() > instance.priority()
                    ? "took over while " + from + " is still MASTER (it hears no adverts from it: split brain)"
                    : "preempted by " + to;
            // A lost master let the VIP go when it was lost; a preempted one lets go when it hears the
            // new master, which may be before or after this bind (0: not yet, filled in by leftMaster);
            // a host whose keepalived was killed lets it go only when that VIP is removed there.
            boolean leftBehind = previous != null && previous.vipLeftBehind();
            long released = leftBehind ? 0 : lostMaster != null ? lostNanos
                    : previousStillMaster ? 0 : leftMasterAt.getOrDefault(from, now);
            long detected = to.equals(newMaster) ? detectedNanos : now;
            long waitStart = to.equals(newMaster) ? newMasterWaitStart : now;
            failovers.add(new Failover(id(), from, to, cause, lost, detected, now, released, waitStart));
        }
        lastMaster = to;
        lostMaster = null;
        lostCause = null;
        checkDuplicateVip(null);
    }

    /** A member's keepalived was killed while it held the VIP: the VIP stays bound on its host. */
    void keepalivedKilledHoldingVip() {
        checkDuplicateVip(null);
    }

    /** The VIP a killed keepalived left on a host is gone (keepalived started again, the host died or stopped). */
    void leftBehindVipRemoved(VrrpInstance instance, String why) {
        long now = now();
        for (int i = failovers.size() - 1; i >= 0; i--) {
            Failover f = failovers.get(i);
            if (f.from().equals(instance.nodeId()) && f.releasedNanos() == 0) {
                failovers.set(i, f.released(now));
                break;
            }
        }
        checkDuplicateVip(instance.nodeId() + ": " + why);
    }

    /** After a member's VIP listener went away (it was killed, stopped or demoted). */
    void vipReleased() {
        checkDuplicateVip(null);
    }

    /**
     * Two holders of the VIP, one of them a host whose keepalived was killed, are a duplicate VIP:
     * said once when it begins and once when it ends.
     */
    private void checkDuplicateVip(String why) {
        List<String> holders = vipHolders();
        List<String> orphans = holders.stream().filter(this::vipLeftBehindOn).toList();
        boolean duplicate = holders.size() > 1 && !orphans.isEmpty();
        if (duplicate && !duplicateVip) {
            duplicateVip = true;
            List<String> masters = holders.stream().filter(h -> stateOf(h) == VrrpState.MASTER).toList();
            emit(EventType.HA_STATE, spec.id(), null, new Fact.DuplicateVip(vipText(), holders, orphans, masters));
        } else if (!duplicate && duplicateVip) {
            duplicateVip = false;
            emit(EventType.HA_STATE, spec.id(), null,
                    new Fact.DuplicateVipResolved(vipText(), holders.isEmpty() ? null : holders.get(0), why));
        }
    }

    /**
     * Two masters for a moment are a normal handover (a preempting master's first advert, sent as it
     * enters MASTER, is on its way); two masters still there an advert interval later are a split brain.
     */
    private void checkSplitBrain() {
        List<String> masters = masters();
        if (masters.size() > 1 && !splitBrain && !splitBrainCheckPending) {
            splitBrainCheckPending = true;
            loop.schedule(() -> {
                splitBrainCheckPending = false;
                confirmSplitBrain();
            }, advertInt().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } else if (masters.size() <= 1 && splitBrain) {
            splitBrain = false;
            emit(EventType.HA_STATE, spec.id(), null, new Fact.SplitBrainResolved(masters.isEmpty() ? null : masters.get(0)));
        }
    }

    private void confirmSplitBrain() {
        List<String> masters = masters();
        if (masters.size() > 1 && !splitBrain) {
            splitBrain = true;
            emit(EventType.HA_STATE, spec.id(), null, new Fact.SplitBrain(vipText(), masters));
        }
    }

    void emit(EventType type, String node, String peer, Fact fact) {
        events.publish(new LabEvent(clock.nanos(), type, node, peer, null, 0, 0, fact));
    }

    void close() {
        instances.values().forEach(VrrpInstance::close);
    }

    Set<String> memberSet() {
        return new HashSet<>(instances.keySet());
    }
}
