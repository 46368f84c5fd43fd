package dev.flowlab.tier.lvs;

import dev.flowlab.metrics.L4Footprint;
import dev.flowlab.topology.Addresses;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.ha.RealServerChecker;
import dev.flowlab.runtime.ChannelAdopter;
import dev.flowlab.runtime.EcmpNextHop;
import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.tier.lvs.sched.RealServer;
import dev.flowlab.tier.lvs.sched.Scheduler;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.runtime.AddressPlan;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LVS director: a layer-4 virtual service on its VIP (127.0.10.x). Each new connection is
 * scheduled once, with IPVS's algorithm, weights, thresholds and persistence, and entered in the
 * {@link ConnectionTable}; the director never looks at the bytes. Two forwarding methods:
 * <ul>
 *   <li>NAT (ipvsadm -m): the director relays both directions with back-pressure, from its own
 *       address to the real server (whose port may differ). It holds two sockets per client.</li>
 *   <li>DR (ipvsadm -g): the accepted connection is handed to the real server node inside the
 *       JVM ({@link ChannelAdopter}); replies never pass the director, which keeps a table entry
 *       and a tap that sees the inbound bytes, as the real director sees inbound packets only.
 *       It holds no socket per connection.</li>
 * </ul>
 * keepalived's checker ({@link RealServerChecker}) takes failed real servers out of the pool (or
 * sets their weight to 0 with inhibit_on_failure) and puts them back when they pass again.
 */
public final class LvsDirector extends TcpServerNode implements EcmpNextHop {
    /** Pipeline steps, by name. */
    static final String DR_TAP = "lvs-dr-tap";
    static final String NAT_FRONTEND = "lvs-nat-frontend";

    private static final Logger log = LoggerFactory.getLogger(LvsDirector.class);
    private static final long NAT_CONNECT_TIMEOUT_MILLIS = 10_000;

    private final LvsConfig config;
    private final boolean directRouting;
    private final Scheduler scheduler;
    private final List<Member> members = new ArrayList<>();
    private final List<RealServer> servers = new ArrayList<>();
    private final ConnectionTable table;
    private final RealServerChecker checker;
    private volatile long generation;
    /** Behind a router: the flows this director has an entry for, by client address and port (its conntrack lookup). */
    private final Map<InetSocketAddress, ConnectionTable.Entry> flows = new ConcurrentHashMap<>();
    private final AtomicLong flowsSurvived = new AtomicLong();
    private final AtomicLong flowsBroken = new AtomicLong();
    private volatile double lastTableMoved = -1;
    private ScheduledFuture<?> sweeper;

    /** One real server: its spec, its scheduling state, and the weight configured for it (restored after inhibit). */
    private record Member(RealServerSpec spec, RealServer server, int configuredWeight, boolean inLab) {
    }

    public LvsDirector(NodeContext context) {
        super(context);
        this.config = Params.withDefaults(context.spec().configAs(LvsConfig.class));
        this.directRouting = "dr".equals(config.mode());
        this.scheduler = Scheduler.named(config.scheduler(), config.mhTableSize(), Boolean.TRUE.equals(config.mhPort()));
        this.table = new ConnectionTable(config.tcpTimeout(), config.tcpFinTimeout(), config.persistenceTimeout(),
                config.maxConnectionEntries(), System::nanoTime);
        for (RealServerSpec raw : realServerSpecs(context, config)) {
            RealServerSpec spec = Params.withDefaults(raw);
            boolean inLab = validate(context, spec);
            RealServer rs = new RealServer(spec.name(), spec.weight(), spec.upperThreshold(), spec.lowerThreshold());
            members.add(new Member(spec, rs, spec.weight(), inLab));
            servers.add(rs);
        }
        List<RealServerChecker.Target> targets = new ArrayList<>();
        for (Member m : members) {
            targets.add(new RealServerChecker.Target(m.server().id(), () -> realServerAddress(m)));
        }
        this.checker = new RealServerChecker(context.group(), context.sourceAddress(), config.healthCheck(), targets,
                new CheckerEvents());
        // Flows a router moved here (another balancer lost): whether their connections survived.
        context.metrics().gauge("moved_survived", flowsSurvived::get);
        context.metrics().gauge("moved_broken", flowsBroken::get);
    }

    private static List<RealServerSpec> realServerSpecs(NodeContext context, LvsConfig config) {
        if (config.realServers() != null && !config.realServers().isEmpty()) {
            return config.realServers();
        }
        return LvsConfig.defaultRealServers(context.downstream().stream().map(NodeSpec::id).toList());
    }

    /** Checks one real server against the mode; returns whether it is a server the lab runs. */
    private boolean validate(NodeContext context, RealServerSpec spec) {
        String where = "node " + context.id() + ": real server " + spec.name();
        if (spec.node() == null && spec.address() == null) {
            throw new IllegalArgumentException("node " + context.id() + ": a real server needs a node or an address");
        }
        boolean inLab;
        if (spec.node() != null) {
            NodeSpec n = context.scenario().node(spec.node()).orElseThrow(() ->
                    new IllegalArgumentException(where + " is not a node of this scenario"));
            inLab = n.kind().isLabServer();
        } else {
            Addresses.parseLoopbackOrAny(spec.address());
            inLab = false;
        }
        if (directRouting && !inLab) {
            throw new IllegalArgumentException(where + ": direct routing (mode dr) hands the connection to a real server "
                    + "inside the lab, and this one is outside it; use mode nat for external servers");
        }
        if (directRouting && spec.port() != null) {
            throw new IllegalArgumentException(where + ": direct routing keeps the VIP's port; a different real-server "
                    + "port needs mode nat");
        }
        return inLab;
    }

    // ---- scheduling ----

    @Override
    protected void accepted(SocketChannel ch) {
        if (!directRouting) {
            super.accepted(ch);
            return;
        }
        ConnectionTable.Entry entry = schedule(ch.remoteAddress());
        if (entry == null) {
            reset(ch);
            return;
        }
        LabNode target = context.peer(entry.server().id()).orElse(null);
        if (!(target instanceof ChannelAdopter adopter) || !target.state().isUp()) {
            // The packet reaches a host whose service is gone: the client gets a reset.
            table.closed(entry, ConnState.CLOSE);
            context.metrics().error("real_server_down");
            context.emit(EventType.CONNECTION_REFUSED, entry.server().id(), null, 0, 0, new Fact.Failure("real_server_down", "real server not running"));
            reset(ch);
            return;
        }
        ch.pipeline().addLast(DR_TAP, new DirectRoutingTap(this, entry));
        adopter.adopt(ch);
    }

    @Override
    protected void initChild(SocketChannel ch) {
        ch.config().setAutoRead(false);
        ConnectionTable.Entry entry = schedule(ch.remoteAddress());
        if (entry == null) {
            reset(ch);
            return;
        }
        InetSocketAddress to = realServerAddress(member(entry.server()));
        if (to == null) {
            table.closed(entry, ConnState.CLOSE);
            context.metrics().error("real_server_down");
            reset(ch);
            return;
        }
        ch.pipeline().addLast(NAT_FRONTEND, new NatFrontendHandler(this, entry, to));
    }

    /** Chooses the real server of a new connection and enters it in the table; null: refused. */
    ConnectionTable.Entry schedule(InetSocketAddress client) {
        RealServer chosen = config.persistent() ? table.persistentServer(client) : null;
        if (chosen == null) {
            chosen = scheduler.schedule(servers, client);
        }
        if (chosen == null) {
            context.metrics().error("no_real_server");
            context.emit(EventType.REJECTED, client == null ? null : hostPort(client), null, 0, 0,
                    new Fact.Failure("no_real_server", "no real server available (" + scheduler.name() + ")"));
            return null;
        }
        if (config.persistent()) {
            table.persist(client, chosen);
        }
        // The scheduler's view at the moment it chose (before this connection counts), for a reader of the trace.
        List<Fact.L4Candidate> candidates = context.emitting() ? candidates() : null;
        ConnectionTable.Entry entry = table.open(client, chosen, generation);
        if (entry == null) {
            context.metrics().error("conn_table_full");
            context.emit(EventType.REJECTED, client == null ? null : hostPort(client), null, 0, 0, new Fact.Failure("conn_table_full", "connection table full"));
            return null;
        }
        context.metrics().connectionScheduled();
        context.metrics().packetsIn(PacketModel.OPEN_PACKETS_IN);
        if (!directRouting) {
            context.metrics().packetsOut(PacketModel.OPEN_PACKETS_OUT);
        }
        if (context.emitting()) {
            context.emit(EventType.UPSTREAM_CHOSEN, chosen.id(), null, 0, 0, new Fact.L4Choice(scheduler.name(), chosen.id(),
                    config.mode(), client == null ? null : hostPort(client), chosen.weight(), chosen.active(), candidates));
        }
        return entry;
    }

    private List<Fact.L4Candidate> candidates() {
        List<Fact.L4Candidate> out = new java.util.ArrayList<>(servers.size());
        for (RealServer s : servers) {
            out.add(new Fact.L4Candidate(s.id(), s.weight(), s.active(), s.inactive(), s.available()));
        }
        return out;
    }

    private Member member(RealServer server) {
        for (Member m : members) {
            if (m.server() == server) {
                return m;
            }
        }
        throw new IllegalStateException("unknown real server " + server.id());
    }

    /** Where a real server is now: its node's address (port replaced in NAT when configured) or its fixed address. */
    InetSocketAddress realServerAddress(Member m) {
        InetSocketAddress base = m.spec().node() != null ? context.addressOf(m.spec().node())
                : Addresses.parseLoopbackOrAny(m.spec().address());
        if (base == null) {
            return null;
        }
        return m.spec().port() == null ? base : new InetSocketAddress(base.getAddress(), m.spec().port());
    }

    /** Whether packets of this entry are still forwarded: the director is up and knows the connection. */
    boolean forwards(ConnectionTable.Entry entry) {
        return state().isUp() && entry.generation() == generation && !entry.isGone();
    }

    // ---- behind a router (ECMP next hop) ----

    @Override
    public String acceptFlow(SocketChannel ch, String router) {
        ConnectionTable.Entry entry = schedule(ch.remoteAddress());
        if (entry == null) {
            reset(ch);
            return null;
        }
        LabNode target = context.peer(entry.server().id()).orElse(null);
        if (!(target instanceof ChannelAdopter adopter) || !target.state().isUp()) {
            table.closed(entry, ConnState.CLOSE);
            context.metrics().error("real_server_down");
            context.emit(EventType.CONNECTION_REFUSED, entry.server().id(), null, 0, 0, new Fact.Failure("real_server_down", "real server not running"));
            reset(ch);
            return null;
        }
        flows.put(ch.remoteAddress(), entry);
        adopter.adopt(ch);
        return entry.server().id();
    }

    @Override
    public Verdict forward(InetSocketAddress client, String backend, long bytes) {
        if (!state().isUp()) {
            return Verdict.DROP;
        }
        context.metrics().bytesIn(bytes);
        context.metrics().packetsIn(PacketModel.segments(bytes));
        ConnectionTable.Entry e = flows.get(client);
        if (e != null && !e.isGone() && e.generation() == generation) {
            table.touch(e);
            return e.server().id().equals(backend) ? Verdict.FORWARD : Verdict.RESET;
        }
        // A packet of a connection this director has never seen: the router moved the flow here.
        if (!Boolean.TRUE.equals(config.sloppyTcp())) {
            broken(client, backend, "no connection entry and sloppy_tcp is off: IPVS schedules only a SYN, so the "
                    + "packet reaches the director's own TCP stack, which answers RST");
            return Verdict.RESET;
        }
        ConnectionTable.Entry fresh = schedule(client);
        if (fresh == null) {
            broken(client, backend, "no connection entry and no real server to schedule it to");
            return Verdict.RESET;
        }
        if (!fresh.server().id().equals(backend)) {
            table.closed(fresh, ConnState.CLOSE);
            broken(client, backend, "no connection entry; " + scheduler.name() + " scheduled it to " + fresh.server().id()
                    + ", which knows no such connection and answers RST");
            return Verdict.RESET;
        }
        flows.put(client, fresh);
        flowsSurvived.incrementAndGet();
        context.emit(EventType.CONNECTION_SURVIVED, backend, null, 0, 0,
                new Fact.MovedFlow(hostPort(client), scheduler.name(), backend, true, null));
        return Verdict.FORWARD;
    }

    private void broken(InetSocketAddress client, String backend, String why) {
        flowsBroken.incrementAndGet();
        context.metrics().error("flow_moved_reset");
        context.emit(EventType.CONNECTION_BROKEN, backend, null, 0, 0, new Fact.MovedFlow(hostPort(client), null, backend, false, why));
    }

    @Override
    public void flowClosed(InetSocketAddress client, boolean resetSeen) {
        ConnectionTable.Entry e = flows.remove(client);
        if (e == null) {
            return;
        }
        table.closed(e, resetSeen ? ConnState.CLOSE : ConnState.CLOSE_WAIT);
        context.metrics().packetsIn(resetSeen ? 1 : PacketModel.CLOSE_PACKETS);
        context.emit(EventType.CONNECTION_CLOSED, e.server().id(), null, 0, 0, new Fact.Note("flow entry " + (resetSeen ? "CLOSE" : "CLOSE_WAIT")));
    }

    @Override
    public boolean isUp() {
        return state().isUp();
    }

    /** Flows that reached this director with no entry (moved by ECMP) and kept their backend. */
    public long flowsSurvived() {
        return flowsSurvived.get();
    }

    /** Flows that reached this director with no entry and were reset. */
    public long flowsBroken() {
        return flowsBroken.get();
    }

    /** The Maglev lookup table the mh scheduler uses now (null for other schedulers). */
    public dev.flowlab.tier.lvs.sched.MaglevTable maglevTable() {
        return scheduler instanceof dev.flowlab.tier.lvs.sched.MaglevHashing mh ? mh.table(servers) : null;
    }

    // ---- lifecycle ----

    @Override
    protected void onBound(Channel listener) {
        generation++;
        for (Member m : members) {
            m.server().inPool(true);
            m.server().weight(m.configuredWeight());
        }
        sweeper = context.group().next().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        checker.start();
    }

    private void sweep() {
        try {
            table.expire();
            flows.values().removeIf(ConnectionTable.Entry::isGone);
        } catch (RuntimeException e) {
            log.warn("{}: connection table sweep failed", id(), e);
        }
    }

    @Override
    protected void onStopped() {
        checker.stop();
        ScheduledFuture<?> s = sweeper;
        if (s != null) {
            s.cancel(false);
            sweeper = null;
        }
        // A restarted director's kernel table starts empty; packets of old connections find no entry.
        table.clear();
        flows.clear();
    }

    // ---- what others read ----

    public String mode() {
        return config.mode();
    }

    public String schedulerName() {
        return scheduler.name();
    }

    /** The effective configuration (defaults applied). */
    public LvsConfig config() {
        return config;
    }

    /** The real servers with their live weights and connection counts (ipvsadm -L). */
    public List<RealServer> realServers() {
        return List.copyOf(servers);
    }

    public ConnectionTable connectionTable() {
        return table;
    }

    /** Whether the health checker currently holds this real server up. */
    public boolean isRealServerUp(String name) {
        return checker.isUp(name);
    }

    /** Measured sockets and table entries, next to the modelled kernel and user-space costs. */
    @Override
    public java.util.Optional<L4Footprint> layer4Footprint() {
        return java.util.Optional.of(footprint());
    }

    public L4Footprint footprint() {
        Map<ConnState, Integer> counts = table.countsByState();
        int entries = table.size();
        int active = counts.getOrDefault(ConnState.ESTABLISHED, 0);
        int templates = counts.getOrDefault(ConnState.NONE, 0);
        return new L4Footprint(config.mode(), openConnections(), entries, active, entries - active, templates,
                (long) (entries + templates) * ConnectionTable.KERNEL_BYTES_PER_ENTRY, 2 * active,
                context.metrics().connectionsScheduled(), context.metrics().bytesInTotal(), context.metrics().bytesOutTotal(),
                context.metrics().packetsInTotal(), context.metrics().packetsOutTotal());
    }

    NodeContext context() {
        return context;
    }

    long natConnectTimeoutMillis() {
        return NAT_CONNECT_TIMEOUT_MILLIS;
    }

    /** mh: rebuilds the Maglev table for the new pool now and says how much of it moved (about 1/N for one server). */
    private void tableRebuilt(boolean removed) {
        if (!(scheduler instanceof dev.flowlab.tier.lvs.sched.MaglevHashing mh)) {
            return;
        }
        dev.flowlab.tier.lvs.sched.MaglevTable t = mh.table(servers);
        int moved = mh.lastSlotsMoved();
        if (moved < 0) {
            return;
        }
        int n = Math.max(1, t.backends().size() + (removed ? 1 : 0));
        lastTableMoved = (double) moved / t.size();
        context.emit(EventType.NODE_STATE, null, null, 0, 0, new Fact.TableRebuilt(t.backends().size(), moved, t.size(), 100.0 / n));
    }

    /** The share of the Maglev table that changed backend at the last pool change (-1: none yet). */
    public double lastTableDisruption() {
        return lastTableMoved;
    }

    private final class CheckerEvents implements RealServerChecker.Listener {
        private final HealthCheck check = config.healthCheck();

        @Override
        public void checked(RealServerChecker.Target target, boolean ok, String detail, int attempt) {
            context.emit(EventType.HEALTH_CHECK, target.name(), null, ok ? 1 : 0, 0,
                    new Fact.HealthChecked(String.valueOf(check.type()), target.name(), ok, detail, attempt));
        }

        @Override
        public void down(RealServerChecker.Target target, String why) {
            for (Member m : members) {
                if (m.server().id().equals(target.name())) {
                    if (Boolean.TRUE.equals(check.inhibitOnFailure())) {
                        m.server().weight(0);
                    } else {
                        m.server().inPool(false);
                    }
                }
            }
            log.info("{}: real server {} DOWN ({}): {}", id(), target.name(), check.type(), why);
            tableRebuilt(true);
            context.emit(EventType.SERVER_DOWN, target.name(), null, 0, 0, new Fact.ServerDown(null, target.name(), 0, 0,
                    target.name() + (Boolean.TRUE.equals(check.inhibitOnFailure()) ? " weight 0 (inhibit_on_failure): "
                            : " removed from the pool: ") + why));
        }

        @Override
        public void up(RealServerChecker.Target target) {
            for (Member m : members) {
                if (m.server().id().equals(target.name())) {
                    m.server().weight(m.configuredWeight());
                    m.server().inPool(true);
                }
            }
            log.info("{}: real server {} UP", id(), target.name());
            tableRebuilt(false);
            context.emit(EventType.SERVER_UP, target.name(), null, 0, 0,
                    new Fact.ServerUp(null, target.name(), target.name() + " back in the pool, weight restored"));
        }
    }
}
