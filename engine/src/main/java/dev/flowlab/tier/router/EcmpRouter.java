package dev.flowlab.tier.router;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.EcmpNextHop;
import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.tier.lvs.sched.MaglevTable;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RouterConfig;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router in front of a fleet of layer-4 balancers. Its address is the service's: clients
 * connect to it. Every balancer it links to is an equal-cost next hop (ECMP); each flow goes to
 * one by a hash of its 5-tuple (source and destination address and port, TCP), which {@link
 * EcmpGroup} maps to a next hop. The router keeps no state about flows and holds no socket: it
 * puts a forwarding element ({@link EcmpPath}) in front of the connection and lets the chosen
 * balancer hand the connection to a backend, as in LVS direct routing. Every later packet is
 * hashed again over the next hops up at that moment, so when one goes away its flows (and with
 * hash-threshold or modulo some others) reach another balancer, one that has never seen them.
 *
 * <p>How it notices a dead balancer: a BFD session per next hop (RFC 5880). The lab models the
 * control packets by looking at the balancer's state every {@code bfdInterval} (no UDP packets
 * on port 3784 are sent); after {@code bfdMultiplier} intervals without one the session goes
 * down and the next hop leaves the group. Until then packets hashed to the dead balancer are
 * lost, and the client's TCP retransmits them ({@link EcmpPath}).
 */
public final class EcmpRouter extends TcpServerNode implements dev.flowlab.runtime.EcmpRouterNode {
    private static final Logger log = LoggerFactory.getLogger(EcmpRouter.class);

    private final RouterConfig config;
    private final EcmpGroup group;
    private final long seed;
    private final long[] lastSeen;
    private final AtomicLong flows = new AtomicLong();
    private final AtomicLong rehashed = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private ScheduledFuture<?> bfd;

    public EcmpRouter(NodeContext context) {
        super(context);
        this.config = Params.withDefaults(context.spec().configAs(RouterConfig.class));
        List<String> hops = context.downstream().stream().map(NodeSpec::id).toList();
        for (NodeSpec n : context.downstream()) {
            if (n.kind() != NodeKind.LVS) {
                throw new IllegalArgumentException("node " + context.id() + ": next hop " + n.id()
                        + " is a " + n.kind().id() + "; a router's ECMP next hops are layer-4 balancers (lvs)");
            }
            LvsConfig lvs = Params.withDefaults(n.configAs(LvsConfig.class));
            if (!"dr".equals(lvs.mode())) {
                throw new IllegalArgumentException("node " + context.id() + ": next hop " + n.id() + " forwards in mode "
                        + lvs.mode() + "; behind a router a balancer must use direct routing (mode dr), as Maglev does");
            }
        }
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("node " + context.id() + " has no next hops (link it to the balancers)");
        }
        this.group = new EcmpGroup(EcmpGroup.Mode.of(config.ecmp()), hops, config.buckets());
        this.seed = MaglevTable.hash64(context.id().getBytes(StandardCharsets.UTF_8), 0x5bd1e995L);
        this.lastSeen = new long[hops.size()];
        context.metrics().gauge("flows_hashed", flows::get);
        context.metrics().gauge("flows_rehashed", rehashed::get);
    }

    @Override
    protected void initChild(SocketChannel ch) {
        // never called: accepted() hands every connection on
        reset(ch);
    }

    @Override
    protected void accepted(SocketChannel ch) {
        InetSocketAddress client = ch.remoteAddress();
        long hash = flowHash(client, ch.localAddress());
        String hop = group.pick(hash);
        if (hop == null) {
            // The lab starts every node at once: a balancer may have come up since the last BFD tick.
            bfdTick();
            hop = group.pick(hash);
        }
        flows.incrementAndGet();
        context.metrics().connectionScheduled();
        context.metrics().packetsIn(1);
        EcmpPath path = new EcmpPath(this, client, hash);
        ch.pipeline().addLast("router-ecmp", path);
        if (hop == null) {
            context.metrics().error("no_next_hop");
            context.emit(EventType.REJECTED, hostPort(client), null, 0, 0, new Fact.Failure("no_next_hop", "no next hop up: every balancer's BFD session is down"));
            reset(ch);
            return;
        }
        context.emit(EventType.UPSTREAM_CHOSEN, hop, null, 0, 0,
                new Fact.FlowHashed(config.ecmp(), hostPort(client), hop, group.live().size()));
        EcmpNextHop nh = nextHop(hop);
        if (nh == null || !nh.isUp()) {
            // The SYN is lost on a dead next hop the router has not noticed yet; the client never got
            // this far in reality (no SYN-ACK), the lab resets it so the client can connect again.
            context.metrics().error("next_hop_down");
            context.emit(EventType.CONNECTION_REFUSED, hop, null, 0, 0, new Fact.Failure("next_hop_down", "SYN lost: " + hop + " is down and BFD has not noticed yet"));
            reset(ch);
            return;
        }
        String backend = nh.acceptFlow(ch, id());
        if (backend != null) {
            path.established(hop, backend);
        }
    }

    /** The 5-tuple's hash: source and destination address and port, protocol TCP, with this router's seed. */
    long flowHash(InetSocketAddress src, InetSocketAddress dst) {
        ByteBuffer b = ByteBuffer.allocate(2 * 16 + 2 * 2 + 1);
        b.put(src.getAddress().getAddress()).putShort((short) src.getPort());
        b.put(dst.getAddress().getAddress()).putShort((short) dst.getPort());
        b.put((byte) 6);
        return MaglevTable.hash64(java.util.Arrays.copyOf(b.array(), b.position()), seed);
    }

    /** The next hop a flow's hash picks now, or null when the router is down or no next hop is up. */
    String route(long hash) {
        return state().isUp() ? group.pick(hash) : null;
    }

    EcmpNextHop nextHop(String hop) {
        LabNode n = context.peer(hop).orElse(null);
        return n instanceof EcmpNextHop nh ? nh : null;
    }

    void rehashed(InetSocketAddress client, String from, String to) {
        rehashed.incrementAndGet();
        context.emit(EventType.FLOW_REHASHED, to, null, 0, 0,
                new Fact.FlowRehashed(config.ecmp(), hostPort(client), from, to));
    }

    NodeContext context() {
        return context;
    }

    // ---- BFD ----

    @Override
    protected void onBound(Channel listener) {
        long now = System.nanoTime();
        for (int i = 0; i < group.hops().size(); i++) {
            String hop = group.hops().get(i);
            EcmpNextHop nh = nextHop(hop);
            lastSeen[i] = now;
            if (nh != null && nh.isUp()) {
                group.set(hop, true);
            }
        }
        long every = Math.max(10, config.bfdInterval().toMillis());
        bfd = context.group().next().scheduleAtFixedRate(this::bfdTick, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void bfdTick() {
        try {
            long now = System.nanoTime();
            long detect = Math.max(10, config.bfdInterval().toMillis()) * config.bfdMultiplier() * 1_000_000L;
            for (int i = 0; i < group.hops().size(); i++) {
                String hop = group.hops().get(i);
                EcmpNextHop nh = nextHop(hop);
                boolean heard = nh != null && nh.isUp();
                if (heard) {
                    lastSeen[i] = now;
                    if (group.set(hop, true)) {
                        context.emit(EventType.SERVER_UP, hop, null, 0, 0,
                                new Fact.NextHopChanged(hop, true, group.live().size(), "BFD session up"));
                    }
                } else if (now - lastSeen[i] >= detect && group.set(hop, false)) {
                    lost.incrementAndGet();
                    log.info("{}: next hop {} lost (BFD down)", id(), hop);
                    context.emit(EventType.SERVER_DOWN, hop, null, 0, 0, new Fact.NextHopChanged(hop, false, group.live().size(),
                            "BFD session down after " + config.bfdMultiplier() + " x " + config.bfdInterval().toMillis()
                                    + " ms without a control packet"));
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: BFD tick failed", id(), e);
        }
    }

    @Override
    protected void onStopped() {
        ScheduledFuture<?> f = bfd;
        if (f != null) {
            f.cancel(false);
            bfd = null;
        }
        for (String hop : group.hops()) {
            group.set(hop, false);
        }
    }

    // ---- what others read ----

    public RouterConfig config() {
        return config;
    }

    /** Every next hop (the balancers it links to), in link order. */
    public List<String> nextHops() {
        return group.hops();
    }

    /** The next hops whose BFD session is up, in link order. */
    public List<String> liveNextHops() {
        return group.live();
    }

    /** The next hop a flow between these addresses takes now (for inspectors and tests). */
    public String nextHopFor(InetSocketAddress client, InetSocketAddress serviceAddress) {
        return route(flowHash(client, serviceAddress));
    }

    /** New flows hashed. */
    public long flowsHashed() {
        return flows.get();
    }

    /** Times a flow's packets reached another next hop than before. */
    public long flowsRehashed() {
        return rehashed.get();
    }

    /** Times a next hop's BFD session went down. */
    public long nextHopsLost() {
        return lost.get();
    }
}
