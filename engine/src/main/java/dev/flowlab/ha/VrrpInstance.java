package dev.flowlab.ha;

import dev.flowlab.runtime.Transport;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.TrackScript;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's keepalived: a VRRP instance (RFC 3768/5798 as keepalived implements it) on the
 * group's event loop. It starts as BACKUP whatever its configured state, as keepalived 2.x does
 * ({@code vrrp_init_state}): only the address owner (priority 255) becomes MASTER at once; any
 * other member, {@code state MASTER} included, claims the VIP only when its own
 * {@code master_down_interval} passes without an advert it accepts. A backup waits
 * {@code master_down_interval} for adverts and takes over when none came (after skew time only when
 * the master resigned with priority 0); a lower priority advert is discarded, so a higher priority
 * backup preempts when that interval runs out. A master advertises every {@code advert_int}, holds
 * the VIP, and yields to a higher priority advert. Preemption follows {@code nopreempt} and
 * {@code preempt_delay}; a failing {@code track_script} with weight 0 puts the instance in FAULT,
 * any other weight moves its priority.
 *
 * <p>Three ways for keepalived to end: {@link #die} (the host died: the VIP goes with it),
 * {@link #resign} (graceful stop: priority 0 advert, VIP removed) and {@link #killProcess} (SIGKILL
 * of the keepalived process on a live host: no more adverts, but the VIP stays configured on the
 * host, so after a backup's takeover two hosts hold it). A keepalived that starts removes any VIP
 * its instance left behind, as keepalived's start-up does ("removing VIPs").
 *
 * <p>Every field is touched on {@link #loop} only; the public reads are volatile snapshots.
 */
final class VrrpInstance {
    private static final Logger log = LoggerFactory.getLogger(VrrpInstance.class);

    private final VrrpGroup group;
    private final String nodeId;
    private final EventLoop loop;
    private final int basePriority;
    private final boolean initialMaster;
    private final boolean addressOwner;
    private final boolean nopreempt;
    private final Duration preemptDelay;
    private final TrackScript track;
    private final TrackScriptRunner tracker;

    private volatile VrrpState state = VrrpState.STOPPED;
    private volatile int effectivePriority;
    private Channel channel;
    private volatile InetSocketAddress advertAddress;
    private ScheduledFuture<?> advertTimer;
    private ScheduledFuture<?> downTimer;
    private ScheduledFuture<?> missTimer;
    private String masterSeen;
    private int missed;
    private long preemptDeadline;
    private boolean lowerMasterReported;
    /** A lower priority master heard (and its advert discarded) since the down timer was armed: the timer's expiry preempts it. */
    private String lowerMaster;
    private int lowerMasterPriority;
    /** When the running down timer was armed: the start of the wait that ends in MASTER. */
    private long waitStartNanos;
    /** keepalived was SIGKILLed while this node held the VIP: the VIP stays bound on the host. */
    private volatile boolean vipLeftBehind;
    private volatile long advertsReceived;

    VrrpInstance(VrrpGroup group, HaMember effectiveMember, TrackScript effectiveTrack, EventLoop loop) {
        this.group = group;
        this.nodeId = effectiveMember.node();
        this.loop = loop;
        this.basePriority = effectiveMember.priority();
        this.addressOwner = basePriority == 255;
        this.initialMaster = "MASTER".equals(effectiveMember.state()) || addressOwner;
        this.nopreempt = Boolean.TRUE.equals(effectiveMember.nopreempt()) && !initialMaster;
        this.preemptDelay = initialMaster ? Duration.ZERO : effectiveMember.preemptDelay();
        this.track = effectiveTrack;
        this.tracker = effectiveTrack == null ? null
                : new TrackScriptRunner(loop, effectiveTrack, () -> group.serviceAddressOf(nodeId), new TrackListener());
        this.effectivePriority = basePriority;
    }

    String nodeId() {
        return nodeId;
    }

    VrrpState state() {
        return state;
    }

    int priority() {
        return effectivePriority;
    }

    InetSocketAddress advertAddress() {
        return advertAddress;
    }

    boolean running() {
        return state != VrrpState.STOPPED;
    }

    Duration masterDownInterval() {
        return HaGroup.masterDownInterval(group.advertInt(), effectivePriority, group.vrrpVersion());
    }

    Duration skew() {
        return HaGroup.skew(group.advertInt(), effectivePriority, group.vrrpVersion());
    }

    // ---- lifecycle (each runs on the loop)

    /**
     * keepalived starts: removes a VIP a killed keepalived left behind, enters INIT, then BACKUP
     * (waiting master_down_interval for a master) or, for the address owner (priority 255), MASTER.
     */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (state != VrrpState.STOPPED) {
                done.complete(null);
                return;
            }
            CompletableFuture<Void> cleaned = vipLeftBehind ? removeLeftBehindVip("keepalived started: removing VIPs")
                    : CompletableFuture.completedFuture(null);
            cleaned.whenComplete((v, e) -> loop.execute(() -> bindAndStart(done)));
        });
        return done;
    }

    private void bindAndStart(CompletableFuture<Void> done) {
        if (state != VrrpState.STOPPED) {
            done.complete(null);
            return;
        }
        InetSocketAddress own = group.ownAddressOf(nodeId);
        new Bootstrap().group(loop).channel(Transport.datagramChannel()).handler(new AdvertReceiver())
                .bind(new InetSocketAddress(own.getAddress(), 0)).addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn("{}: keepalived cannot bind its VRRP socket: {}", nodeId, f.cause().toString());
                        done.completeExceptionally(f.cause());
                        return;
                    }
                    if (state != VrrpState.STOPPED) {
                        ((io.netty.channel.ChannelFuture) f).channel().close();
                        done.complete(null);
                        return;
                    }
                    channel = ((io.netty.channel.ChannelFuture) f).channel();
                    advertAddress = (InetSocketAddress) channel.localAddress();
                    effectivePriority = basePriority;
                    preemptDeadline = 0;
                    masterSeen = null;
                    lowerMaster = null;
                    lowerMasterReported = false;
                    transition(VrrpState.INIT, "keepalived started (priority " + basePriority + ", master_down_interval "
                            + Durations.format(roundedMillis(masterDownInterval())) + ")");
                    if (tracker != null) {
                        tracker.start();
                        updatePriority();
                    }
                    if (addressOwner) {
                        waitStartNanos = group.now();
                        toMaster("priority 255: the address owner takes the VIP at once");
                    } else {
                        String configured = initialMaster ? "initial state MASTER, but priority " + basePriority
                                + " < 255 (only the address owner starts as MASTER)" : "initial state BACKUP";
                        toBackup(configured + ": starts as BACKUP and claims the VIP after master_down_interval "
                                + Durations.format(roundedMillis(masterDownInterval())) + " unless it hears a master");
                    }
                    done.complete(null);
                });
    }

    /** The node died and keepalived with it: no more adverts, the VIP goes with the host. */
    CompletableFuture<Void> die(long atNanos) {
        return shutdown(Ending.HOST_DIED, atNanos);
    }

    /** keepalived stops gracefully: a master sends a priority 0 advert so a backup takes over after skew time. */
    CompletableFuture<Void> resign(long atNanos) {
        return shutdown(Ending.STOPPED, atNanos);
    }

    /**
     * The keepalived process alone is killed (SIGKILL) on a live host: no adverts, no priority 0
     * advert, and nothing removes the VIP, so a master's host keeps it bound (and its service keeps
     * answering on it) while a backup takes over after master_down_interval.
     */
    CompletableFuture<Void> killProcess(long atNanos) {
        return shutdown(Ending.PROCESS_KILLED, atNanos);
    }

    private enum Ending { HOST_DIED, STOPPED, PROCESS_KILLED }

    private CompletableFuture<Void> shutdown(Ending ending, long atNanos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (state == VrrpState.STOPPED) {
                // keepalived is already gone; a VIP it left behind goes now with the host, or with a graceful stop.
                if (vipLeftBehind && ending != Ending.PROCESS_KILLED) {
                    removeLeftBehindVip(ending == Ending.HOST_DIED ? "the host died" : "the node stopped")
                            .whenComplete((v, e) -> done.complete(null));
                } else {
                    done.complete(null);
                }
                return;
            }
            boolean wasMaster = state == VrrpState.MASTER;
            boolean graceful = ending == Ending.STOPPED;
            boolean keepsVip = ending == Ending.PROCESS_KILLED && wasMaster
                    && group.node(nodeId).map(TcpServerNode::holdsVip).orElse(false);
            if (wasMaster) {
                group.masterLost(nodeId, switch (ending) {
                    case HOST_DIED -> "killed";
                    case STOPPED -> "stopped (priority 0 advert)";
                    case PROCESS_KILLED -> "keepalived killed";
                }, atNanos);
            }
            if (graceful && wasMaster) {
                sendAdvert(VrrpAdvert.PRIORITY_RESIGN);
            }
            cancelTimers();
            if (tracker != null) {
                tracker.stop();
            }
            Channel ch = channel;
            channel = null;
            String why = switch (ending) {
                case HOST_DIED -> "keepalived died with the node (no more adverts)";
                case STOPPED -> "keepalived stopped" + (wasMaster ? "; sent priority 0 advert" : "");
                case PROCESS_KILLED -> "keepalived process killed (SIGKILL): no more adverts"
                        + (keepsVip ? "; nothing removed VIP " + group.vipText() + ", which stays on " + nodeId
                        + " and its service still answers on it" : "");
            };
            transition(VrrpState.STOPPED, why);
            CompletableFuture<Void> released;
            if (keepsVip) {
                vipLeftBehind = true;
                group.keepalivedKilledHoldingVip();
                released = CompletableFuture.completedFuture(null);
            } else {
                released = group.node(nodeId).map(TcpServerNode::releaseVip).orElse(CompletableFuture.completedFuture(null));
                group.vipReleased();
            }
            (ch == null ? CompletableFuture.<Void>completedFuture(null) : toFuture(ch.close()))
                    .thenCombine(released, (a, b) -> (Void) null)
                    .whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    /** Removes the VIP a killed keepalived left on this host (on the loop); completes once it is released. */
    private CompletableFuture<Void> removeLeftBehindVip(String why) {
        vipLeftBehind = false;
        CompletableFuture<Void> released = group.node(nodeId).map(TcpServerNode::releaseVip)
                .orElse(CompletableFuture.completedFuture(null));
        CompletableFuture<Void> done = new CompletableFuture<>();
        released.whenComplete((v, e) -> loop.execute(() -> {
            group.leftBehindVipRemoved(this, why);
            done.complete(null);
        }));
        return done;
    }

    /** Whether keepalived was killed while this node held the VIP and the VIP is still configured here. */
    boolean vipLeftBehind() {
        return vipLeftBehind;
    }

    private static CompletableFuture<Void> toFuture(io.netty.util.concurrent.Future<?> f) {
        CompletableFuture<Void> c = new CompletableFuture<>();
        f.addListener(x -> c.complete(null));
        return c;
    }

    /** Closing the lab: no events, no adverts. */
    void close() {
        loop.execute(() -> {
            cancelTimers();
            if (tracker != null) {
                tracker.stop();
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
            state = VrrpState.STOPPED;
            vipLeftBehind = false;
        });
    }

    // ---- transitions

    private void toMaster(String why) {
        cancelTimers();
        transition(VrrpState.MASTER, why);
        group.becameMaster(this, waitStartNanos);
        sendAdvert(effectivePriority);
        long every = group.advertInt().toNanos();
        advertTimer = loop.scheduleAtFixedRate(() -> sendAdvert(effectivePriority), every, every, TimeUnit.NANOSECONDS);
        group.node(nodeId).ifPresent(node -> node.holdVip(group.vip()).whenComplete((v, e) -> loop.execute(() -> {
            if (state != VrrpState.MASTER) {
                return;
            }
            if (e != null) {
                group.emit(EventType.ERROR, nodeId, null, new Fact.Failure("vip_bind", "cannot bind VIP " + group.vipText() + ": " + rootMessage(e)));
            } else if (node.holdsVip()) {
                group.vipBound(this);
            } else {
                group.emit(EventType.HA_STATE, nodeId, null, new Fact.VipWithoutService(group.vipText()));
            }
        })));
    }

    private void toBackup(String why) {
        boolean wasMaster = state == VrrpState.MASTER;
        cancelTimers();
        transition(VrrpState.BACKUP, why);
        if (wasMaster) {
            group.node(nodeId).ifPresent(TcpServerNode::releaseVip);
            group.leftMaster(this);
            group.vipReleased();
        }
        armDownTimer(masterDownInterval(), null);
    }

    private void toFault(String why) {
        boolean wasMaster = state == VrrpState.MASTER;
        if (wasMaster) {
            group.masterLost(nodeId, "track_script failed", group.now());
            sendAdvert(VrrpAdvert.PRIORITY_RESIGN);
        }
        cancelTimers();
        transition(VrrpState.FAULT, why + (wasMaster ? "; sent priority 0 advert, released VIP" : ""));
        if (wasMaster) {
            group.node(nodeId).ifPresent(TcpServerNode::releaseVip);
            group.leftMaster(this);
            group.vipReleased();
        }
    }

    private void transition(VrrpState to, String why) {
        VrrpState from = state;
        state = to;
        group.emit(EventType.HA_STATE, nodeId, masterSeen, new Fact.HaTransition(from.role(), to.role(), why));
    }

    private void armDownTimer(Duration after, String reason) {
        if (downTimer != null) {
            downTimer.cancel(false);
        }
        waitStartNanos = group.now();
        lowerMaster = null;
        downTimer = loop.schedule(() -> {
            downTimer = null;
            VrrpInstance live = state == VrrpState.BACKUP ? group.masterHeardBy(this) : null;
            if (live != null) {
                // A running master this backup accepts, not cut from it: its advert was due before this
                // deadline and is only waiting to be read in this pass of the shared event loop (the loop
                // ran late, so both timers came due together). On a network it would have arrived first.
                masterSeen = live.nodeId;
                armDownTimer(masterDownInterval(), null);
                return;
            }
            if (state == VrrpState.BACKUP) {
                String waited = "master_down_interval " + Durations.format(roundedMillis(after));
                String cause = reason != null ? reason
                        : lowerMaster != null ? "preempting " + lowerMaster + " (its priority " + lowerMasterPriority + " < "
                        + effectivePriority + "; its adverts were discarded) after " + waited
                        : masterSeen == null ? "no master advert within " + waited
                        : "no advert from " + masterSeen + " for " + waited;
                toMaster(cause);
            }
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void watchForMissedAdverts() {
        if (missTimer != null) {
            missTimer.cancel(false);
        }
        missed = 0;
        long every = group.advertInt().toNanos();
        missTimer = loop.scheduleAtFixedRate(() -> {
            if (state != VrrpState.BACKUP) {
                return;
            }
            missed++;
            group.emit(EventType.VRRP_ADVERT, nodeId, masterSeen, new Fact.AdvertMissed(masterSeen, missed));
        }, every + every / 2, every, TimeUnit.NANOSECONDS);
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : Arrays.asList(advertTimer, downTimer, missTimer)) {
            if (t != null) {
                t.cancel(false);
            }
        }
        advertTimer = null;
        downTimer = null;
        missTimer = null;
    }

    // ---- adverts

    private void sendAdvert(int priority) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        VrrpAdvert advert = new VrrpAdvert(group.vrrpVersion(), group.virtualRouterId(), priority, group.advertInt(),
                group.vipInet4());
        for (VrrpInstance peer : group.instances()) {
            InetSocketAddress to = peer.advertAddress;
            if (peer == this || to == null || !peer.running()) {
                continue;
            }
            ch.writeAndFlush(new DatagramPacket(advert.encode(ch.alloc()), to));
        }
    }

    /** Whether this backup would accept (reset its timer on) an advert of this priority from a master. */
    boolean wouldAccept(int priority) {
        return priority != VrrpAdvert.PRIORITY_RESIGN && (priority >= effectivePriority || nopreempt);
    }

    long advertsReceived() {
        return advertsReceived;
    }

    /** An advert arrived from another member (already past the partition filter). */
    private void received(VrrpInstance sender, VrrpAdvert advert) {
        advertsReceived++;
        if (advert.virtualRouterId() != group.virtualRouterId()) {
            return;
        }
        if (state == VrrpState.BACKUP) {
            backupReceived(sender, advert);
        } else if (state == VrrpState.MASTER) {
            masterReceived(sender, advert);
        }
    }

    private void backupReceived(VrrpInstance sender, VrrpAdvert advert) {
        if (advert.priority() == VrrpAdvert.PRIORITY_RESIGN) {
            masterSeen = sender.nodeId;
            if (missTimer != null) {
                missTimer.cancel(false);
            }
            armDownTimer(skew(), sender.nodeId + " resigned (priority 0 advert); took over after skew time "
                    + Durations.format(roundedMillis(skew())));
            return;
        }
        boolean lower = advert.priority() < effectivePriority;
        if (lower && !nopreempt) {
            if (preemptDelay.isZero()) {
                noteLowerMaster(sender, advert, "its adverts are discarded: preempting when master_down_interval "
                        + Durations.format(roundedMillis(masterDownInterval())) + " runs out");
                return;
            }
            // preempt_delay is a VRRP timer measured between adverts: real time, like master_down_interval.
            long now = System.nanoTime();
            if (preemptDeadline == 0) {
                preemptDeadline = now + preemptDelay.toNanos();
            }
            if (now - preemptDeadline >= 0) {
                noteLowerMaster(sender, advert, "preempt_delay " + Durations.format(preemptDelay) + " over, preempting");
                return;
            }
            noteLowerMaster(sender, advert, "waiting preempt_delay " + Durations.format(preemptDelay));
        }
        if (!lower) {
            lowerMasterReported = false;
        }
        masterSeen = sender.nodeId;
        armDownTimer(masterDownInterval(), null);
        watchForMissedAdverts();
    }

    private void noteLowerMaster(VrrpInstance sender, VrrpAdvert advert, String plan) {
        lowerMaster = sender.nodeId;
        lowerMasterPriority = advert.priority();
        if (!lowerMasterReported) {
            lowerMasterReported = true;
            group.emit(EventType.HA_STATE, nodeId, sender.nodeId,
                    new Fact.LowerPriorityMaster(sender.nodeId, advert.priority(), effectivePriority, plan));
        }
    }

    private void masterReceived(VrrpInstance sender, VrrpAdvert advert) {
        if (advert.priority() == VrrpAdvert.PRIORITY_RESIGN) {
            sendAdvert(effectivePriority);
            return;
        }
        boolean higher = advert.priority() > effectivePriority
                || (advert.priority() == effectivePriority && compare(sender.advertAddress, advertAddress) > 0);
        if (higher) {
            masterSeen = sender.nodeId;
            lowerMasterReported = false;
            toBackup("advert from " + sender.nodeId + " with higher priority " + advert.priority() + " > " + effectivePriority);
            watchForMissedAdverts();
        } else {
            // Answer at once, so a lower priority master (after a partition heals) backs off now.
            sendAdvert(effectivePriority);
        }
    }

    private static int compare(InetSocketAddress a, InetSocketAddress b) {
        byte[] x = a.getAddress().getAddress();
        byte[] y = b.getAddress().getAddress();
        int c = Arrays.compareUnsigned(x, y);
        return c != 0 ? c : Integer.compare(a.getPort(), b.getPort());
    }

    // ---- track_script

    private void updatePriority() {
        int p = basePriority;
        int weight = track.weight();
        if (weight > 0 && tracker.good()) {
            p += weight;
        } else if (weight < 0 && !tracker.good()) {
            p += weight;
        }
        // keepalived keeps an adjusted priority within 1..254; 255 stays the address owner's.
        effectivePriority = basePriority == 255 ? 255 : Math.max(1, Math.min(254, p));
    }

    private final class TrackListener implements TrackScriptRunner.Listener {
        @Override
        public void ran(boolean ok, String detail) {
        }

        @Override
        public void changed(boolean good, String detail) {
            if (state == VrrpState.STOPPED) {
                return;
            }
            if (track.weight() == 0) {
                if (!good && state != VrrpState.FAULT) {
                    toFault(detail);
                } else if (good && state == VrrpState.FAULT) {
                    toBackup(detail);
                }
                return;
            }
            int before = effectivePriority;
            updatePriority();
            group.emit(EventType.HA_STATE, nodeId, null,
                    new Fact.PriorityChanged(state.role(), before, effectivePriority, detail, track.weight()));
            if (state == VrrpState.MASTER) {
                sendAdvert(effectivePriority);
            }
        }
    }

    // ---- wire

    private final class AdvertReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            VrrpInstance sender = group.instanceAt(packet.sender());
            if (sender == null || sender == VrrpInstance.this) {
                return;
            }
            if (group.isCut(sender.nodeId, nodeId)) {
                group.advertDropped(sender.nodeId, nodeId);
                return;
            }
            VrrpAdvert advert;
            try {
                advert = VrrpAdvert.decode(packet.content());
            } catch (IllegalArgumentException e) {
                log.debug("{}: dropping a bad VRRP packet from {}: {}", nodeId, packet.sender(), e.getMessage());
                return;
            }
            received(sender, advert);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{}: VRRP socket error: {}", nodeId, cause.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    static Duration roundedMillis(Duration d) {
        return Duration.ofMillis(Math.round(d.toNanos() / 1e6));
    }

}
