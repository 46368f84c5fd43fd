package dev.flowlab.live;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.metrics.NodeSnapshot;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the lab's events and metric snapshots into per-link traffic, ten times a second, on its
 * own thread: the view receives one {@link ActivityFrame} per tick and never touches the engine.
 *
 * <p>A link's figures come from the events of its calling side (the client's answers, a proxy's
 * answers from each upstream, a director's scheduling). A link whose caller reports no requests
 * (a director in front of a proxy) borrows the callee's rate from its metrics and the samples
 * flowing into the caller. Events come through a bounded subscription: when the engine outruns
 * this thread the bus drops and counts, and the figures stay right because the rates come from
 * metrics where events are missing.
 */
public final class LinkActivity implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkActivity.class);
    public static final long PERIOD_MILLIS = 100;
    static final int WINDOW = 10;
    static final int CAPACITY = 65_536;
    static final int SAMPLES_PER_LINK = 24;
    static final int EVENTS_PER_FRAME = 120;
    private static final Set<EventType> NOTABLE = EnumSet.of(EventType.NODE_STARTED, EventType.NODE_STOPPED,
            EventType.NODE_KILLED, EventType.NODE_STATE, EventType.CONNECTION_REFUSED, EventType.REJECTED,
            EventType.ERROR, EventType.TIMEOUT, EventType.SERVER_DOWN, EventType.SERVER_UP, EventType.RETRY,
            EventType.VIP_MOVED, EventType.HA_STATE, EventType.FAULT_APPLIED, EventType.FAULT_CLEARED,
            EventType.CLIENT_ERROR);

    private static final Set<EventType> WANTED = EnumSet.of(EventType.CLIENT_RESPONSE, EventType.CLIENT_ERROR,
            EventType.RESPONSE_RETURNED, EventType.ERROR, EventType.RETRY, EventType.UPSTREAM_CHOSEN,
            EventType.HEALTH_CHECK, EventType.DNS_ANSWER, EventType.VRRP_ADVERT, EventType.SERVER_DOWN,
            EventType.SERVER_UP, EventType.HA_STATE, EventType.NODE_STARTED, EventType.NODE_STOPPED,
            EventType.NODE_KILLED, EventType.NODE_STATE, EventType.CONNECTION_REFUSED, EventType.REJECTED,
            EventType.TIMEOUT, EventType.VIP_MOVED, EventType.FAULT_APPLIED, EventType.FAULT_CLEARED,
            EventType.CACHE_HIT, EventType.CACHE_MISS);

    private final Scenario scenario;
    private final EventBus bus;
    private final Supplier<MetricsSnapshot> metrics;
    private final java.util.function.Function<String, String> stateOf;
    private final Map<String, Link> links = new LinkedHashMap<>();
    /** from -> to -> link: looked up per event without building a key string. */
    private final Map<String, Map<String, Link>> linksByEnds = new HashMap<>();
    private final Map<String, List<Link>> incoming = new HashMap<>();
    private final Map<String, String> clientTarget = new HashMap<>();
    private final Map<String, String> nodeByHost = new HashMap<>();
    private final Map<String, String> markedDownBy = new HashMap<>();
    private final Map<String, String> roles = new HashMap<>();
    private final EventBus.Subscription subscription;
    private final CopyOnWriteArrayList<Consumer<ActivityFrame>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;
    /** The lab's clock: a frame's time is its time since the lab's start. */
    private final dev.flowlab.runtime.LabClock clock;
    /** The frame's time in milliseconds: the lab's time since its start, or a replay's position. */
    private java.util.function.LongSupplier frameMillis;
    private volatile ActivityFrame latest;
    private long seen;
    private int tick;

    public LinkActivity(Lab lab) {
        this(lab.scenario(), lab.events(), () -> lab.metrics().latest(), id -> lab.state(id).id(),
                id -> lab.address(id), lab.clock(), true);
    }

    /** For tests: {@code autoTick} false leaves {@link #tickNow()} to the caller. */
    LinkActivity(Scenario scenario, EventBus bus, Supplier<MetricsSnapshot> metrics,
                 java.util.function.Function<String, String> stateOf,
                 java.util.function.Function<String, InetSocketAddress> addressOf, dev.flowlab.runtime.LabClock clock,
                 boolean autoTick) {
        this.scenario = scenario;
        this.bus = bus;
        this.metrics = metrics;
        this.stateOf = stateOf;
        this.clock = clock;
        this.frameMillis = clock::millisSinceStart;
        for (LinkSpec l : scenario.links()) {
            Link link = new Link(l.from(), l.to());
            links.put(key(l.from(), l.to()), link);
            linksByEnds.computeIfAbsent(l.from(), k -> new HashMap<>()).put(l.to(), link);
            incoming.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(link);
        }
        for (NodeSpec c : scenario.nodesOfKind(NodeKind.CLIENT)) {
            for (NodeSpec d : scenario.downstreamOf(c.id())) {
                if (d.kind() != NodeKind.DNS) {
                    clientTarget.put(c.id(), d.id());
                    break;
                }
            }
        }
        for (NodeSpec lvs : scenario.nodesOfKind(NodeKind.LVS)) {
            String mode = Params.withDefaults(lvs.configAs(LvsConfig.class)).mode();
            if ("dr".equalsIgnoreCase(mode)) {
                for (Link in : incoming.getOrDefault(lvs.id(), List.of())) {
                    in.bypass = true;
                }
                for (NodeSpec rs : scenario.downstreamOf(lvs.id())) {
                    Link out = links.get(key(lvs.id(), rs.id()));
                    if (out != null) {
                        out.bypass = true;
                    }
                }
            }
        }
        for (NodeSpec n : scenario.nodes()) {
            try {
                InetSocketAddress a = addressOf.apply(n.id());
                if (a != null && a.getAddress() != null) {
                    nodeByHost.putIfAbsent(a.getAddress().getHostAddress(), n.id());
                }
            } catch (RuntimeException e) {
                log.debug("no address for {}: {}", n.id(), e.toString());
            }
        }
        // Only what a frame is made of: the publishing threads skip the rest with one bit test.
        this.subscription = bus.subscribe(CAPACITY, e -> WANTED.contains(e.type()));
        if (autoTick) {
            thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "flowlab-link-activity");
                t.setDaemon(true);
                return t;
            });
            thread.scheduleAtFixedRate(this::tickSafely, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            thread = null;
        }
    }

    /**
     * An activity driven by its caller (a recording's replay): the events come through {@code bus},
     * the figures, states and addresses from the functions given, and each {@link #tickNow()} (one
     * {@link #PERIOD_MILLIS} interval of the caller's time) makes a frame stamped {@code frameMillis}.
     */
    public static LinkActivity driven(Scenario scenario, EventBus bus, Supplier<MetricsSnapshot> metrics,
                                      java.util.function.Function<String, String> stateOf,
                                      java.util.function.Function<String, InetSocketAddress> addressOf,
                                      java.util.function.LongSupplier frameMillis) {
        LinkActivity a = new LinkActivity(scenario, bus, metrics, stateOf, addressOf, new dev.flowlab.runtime.LabClock(), false);
        a.frameMillis = frameMillis;
        return a;
    }

    /** Listeners run on the aggregator's thread, once per frame: hand the frame over, do not work there. */
    public Runnable subscribe(Consumer<ActivityFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public ActivityFrame latest() {
        return latest;
    }

    /** Events this view lost because it fell behind (the engine never waited for it). */
    public long dropped() {
        return subscription.dropped();
    }

    private void tickSafely() {
        try {
            tickNow();
        } catch (RuntimeException e) {
            log.warn("link activity tick failed", e);
        }
    }

    /** Drains what arrived, closes the interval and publishes a frame (a {@link #driven} activity's caller calls it). */
    public ActivityFrame tickNow() {
        List<LabEvent> notable = new ArrayList<>();
        int[] sampledRequests = {0};
        seen += subscription.drain(e -> {
            account(e);
            if (NOTABLE.contains(e.type())) {
                if (notable.size() < EVENTS_PER_FRAME) {
                    notable.add(e);
                }
            } else if (sampledRequests[0] < 8 && e.type() != EventType.TRACE_HEADERS
                    && e.type() != EventType.TRACE_FRAME) {
                sampledRequests[0]++;
                notable.add(e);
            }
        }, CAPACITY * 2);
        MetricsSnapshot snap = metrics.get();
        List<LinkStats> stats = new ArrayList<>(links.size());
        Map<String, LinkStats> byKey = new HashMap<>();
        for (Link l : links.values()) {
            l.close(tick);
        }
        for (Link l : links.values()) {
            LinkStats s = l.stats(snap);
            stats.add(s);
            byKey.put(key(l.from, l.to), s);
        }
        List<ReturnPath> returns = directReturns(byKey);
        List<NodeBadge> badges = new ArrayList<>();
        for (NodeSpec n : scenario.nodes()) {
            NodeSnapshot ns = snap == null ? null : snap.node(n.id());
            badges.add(new NodeBadge(n.id(), n.kind().id(), stateOf.apply(n.id()), roles.get(n.id()),
                    // a layer-4 director answers no requests: its rate is new connections per second
                    ns == null ? 0 : n.kind() == NodeKind.LVS ? ns.connectionsPerSecond() : ns.rps(),
                    ns == null ? 0 : ns.activeConnections(), ns == null ? 0 : ns.p99Ms(),
                    ns == null ? 0 : ns.errorRate(), markedDownBy.get(n.id())));
        }
        tick++;
        ActivityFrame frame = new ActivityFrame(frameMillis.getAsLong(), List.copyOf(stats),
                returns, List.copyOf(badges), List.copyOf(notable), seen, subscription.dropped());
        latest = frame;
        for (Consumer<ActivityFrame> l : listeners) {
            l.accept(frame);
        }
        return frame;
    }

    private List<ReturnPath> directReturns(Map<String, LinkStats> byKey) {
        List<ReturnPath> out = new ArrayList<>();
        for (NodeSpec lvs : scenario.nodesOfKind(NodeKind.LVS)) {
            List<Link> in = incoming.getOrDefault(lvs.id(), List.of());
            if (in.isEmpty() || !in.get(0).bypass) {
                continue;
            }
            for (NodeSpec rs : scenario.downstreamOf(lvs.id())) {
                LinkStats s = byKey.get(key(lvs.id(), rs.id()));
                if (s == null) {
                    continue;
                }
                for (Link caller : in) {
                    out.add(new ReturnPath(rs.id(), caller.from, lvs.id(), s.requestsPerSecond() / in.size(), s.samples()));
                }
            }
        }
        return List.copyOf(out);
    }

    private void account(LabEvent e) {
        switch (e.type()) {
            case CLIENT_RESPONSE -> {
                Link l = link(e.node(), clientTarget.get(e.node()));
                if (l != null) {
                    l.completed(e, TrafficKind.of(e));
                }
            }
            case CLIENT_ERROR -> {
                Link l = link(e.node(), clientTarget.get(e.node()));
                if (l != null) {
                    l.failed(e, TrafficKind.OTHER);
                }
            }
            case RESPONSE_RETURNED -> {
                Link l = link(e.node(), e.peer());
                if (l != null) {
                    l.completed(e, TrafficKind.of(e));
                }
            }
            case ERROR, RETRY -> {
                Link l = link(e.node(), e.peer());
                if (l != null) {
                    l.failed(e, TrafficKind.of(e));
                }
            }
            case UPSTREAM_CHOSEN -> {
                Link l = link(e.node(), e.peer());
                if (l != null && e.traceId() == null) {
                    l.connectionScheduled(e);
                }
            }
            case HEALTH_CHECK -> {
                Link l = link(e.node(), e.peer());
                if (l != null) {
                    l.sample(new Sample(null, TrafficKind.HEALTH, e.status() == 0 ? Outcome.ERROR : Outcome.OK, e.status(), 0));
                }
            }
            case DNS_QUERY, DNS_ANSWER -> {
                if (e.type() == EventType.DNS_ANSWER && e.peer() != null) {
                    int colon = e.peer().lastIndexOf(':');
                    String from = nodeByHost.get(colon < 0 ? e.peer() : e.peer().substring(0, colon));
                    Link l = from == null ? null : link(from, e.node());
                    if (l != null) {
                        l.sample(new Sample(null, TrafficKind.DNS, e.status() == 0 ? Outcome.OK : Outcome.ERROR, e.status(),
                                e.durationNanos()));
                        l.extraRequests++;
                    }
                }
            }
            case VRRP_ADVERT -> {
                Link l = link(e.node(), e.peer());
                if (l != null) {
                    l.sample(new Sample(null, TrafficKind.VRRP, Outcome.OK, 0, 0));
                }
            }
            case SERVER_DOWN -> {
                if (e.peer() != null) {
                    markedDownBy.put(e.peer(), e.node());
                }
            }
            case SERVER_UP -> {
                if (e.peer() != null) {
                    markedDownBy.remove(e.peer());
                }
            }
            case HA_STATE -> {
                Fact.HaRole role = roleOf(e.fact());
                if (role == Fact.HaRole.INIT || role == Fact.HaRole.STOPPED) {
                    roles.remove(e.node());
                } else if (role != null) {
                    roles.put(e.node(), role.id());
                }
            }
            default -> {
            }
        }
    }

    /**
     * The role an HA_STATE event leaves its node in: a transition's target state (a demoted master
     * is a backup), the state a priority change happened in, a master holding the VIP without its
     * service, a backup hearing a lower master; null for group-level facts (split brain, duplicate VIP).
     */
    static Fact.HaRole roleOf(Fact fact) {
        if (fact instanceof Fact.HaTransition t) {
            return t.to();
        }
        if (fact instanceof Fact.PriorityChanged p) {
            return p.state();
        }
        if (fact instanceof Fact.VipWithoutService) {
            return Fact.HaRole.MASTER;
        }
        if (fact instanceof Fact.LowerPriorityMaster) {
            return Fact.HaRole.BACKUP;
        }
        return null;
    }

    private Link link(String from, String to) {
        if (from == null || to == null) {
            return null;
        }
        Map<String, Link> out = linksByEnds.get(from);
        return out == null ? null : out.get(to);
    }

    private static String key(String from, String to) {
        return from + "\u0000" + to;
    }

    @Override
    public void close() {
        subscription.close();
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** One link's counters; touched only by the aggregator's thread. */
    private final class Link {
        final String from;
        final String to;
        boolean bypass;
        final long[] done = new long[WINDOW];
        final long[] failedCount = new long[WINDOW];
        final long[] rejectedCount = new long[WINDOW];
        final long[] latencySum = new long[WINDOW];
        final long[] latencyCount = new long[WINDOW];
        long extraRequests;
        long cDone;
        long cFailed;
        long cRejected;
        long cLatency;
        long cLatencyCount;
        final ArrayList<Sample> samples = new ArrayList<>(SAMPLES_PER_LINK);
        int offered;

        Link(String from, String to) {
            this.from = from;
            this.to = to;
        }

        void completed(LabEvent e, TrafficKind kind) {
            Outcome o = Outcome.ofStatus(e.status());
            cDone++;
            if (o == Outcome.ERROR) {
                cFailed++;
            } else if (o == Outcome.REJECTED) {
                cRejected++;
            }
            if (e.durationNanos() > 0) {
                cLatency += e.durationNanos();
                cLatencyCount++;
            }
            sample(new Sample(e.traceId(), kind, o, e.status(), e.durationNanos()));
        }

        void failed(LabEvent e, TrafficKind kind) {
            cDone++;
            cFailed++;
            sample(new Sample(e.traceId(), kind, Outcome.ERROR, e.status(), e.durationNanos()));
        }

        void connectionScheduled(LabEvent e) {
            sample(new Sample(null, TrafficKind.CONNECTION, Outcome.OK, 0, 0));
        }

        /** Reservoir sampling: every request of the interval has the same chance to be drawn. */
        void sample(Sample s) {
            offered++;
            if (samples.size() < SAMPLES_PER_LINK) {
                samples.add(s);
            } else {
                int i = java.util.concurrent.ThreadLocalRandom.current().nextInt(offered);
                if (i < SAMPLES_PER_LINK) {
                    samples.set(i, s);
                }
            }
        }

        void close(int tick) {
            int slot = tick % WINDOW;
            done[slot] = cDone + extraRequests;
            failedCount[slot] = cFailed;
            rejectedCount[slot] = cRejected;
            latencySum[slot] = cLatency;
            latencyCount[slot] = cLatencyCount;
            cDone = cFailed = cRejected = cLatency = cLatencyCount = extraRequests = 0;
        }

        LinkStats stats(MetricsSnapshot snap) {
            int filled = Math.min(WINDOW, tick + 1);
            double seconds = filled * PERIOD_MILLIS / 1000.0;
            long d = 0;
            long f = 0;
            long r = 0;
            long ls = 0;
            long lc = 0;
            for (int i = 0; i < WINDOW; i++) {
                d += done[i];
                f += failedCount[i];
                r += rejectedCount[i];
                ls += latencySum[i];
                lc += latencyCount[i];
            }
            NodeSnapshot callee = snap == null ? null : snap.node(to);
            List<Link> siblings = incoming.getOrDefault(to, List.of());
            int conns = callee == null ? 0 : callee.activeConnections() / Math.max(1, siblings.size());
            List<Sample> sampled = List.copyOf(samples);
            lastSamples = sampled;
            samples.clear();
            offered = 0;
            if (d > 0) {
                return new LinkStats(from, to, d / seconds, (double) f / d, (double) r / d, conns,
                        lc == 0 ? 0 : ls / (double) lc / 1e6, true, bypass, sampled);
            }
            // The caller says nothing per request (a director): the callee's own figures stand in.
            double rps = callee == null ? 0 : callee.rps() / Math.max(1, siblings.size());
            List<Sample> borrowed = sampled;
            if (rps > 0 && sampled.stream().noneMatch(s -> s.traceId() != null)) {
                List<Sample> passing = new ArrayList<>(sampled);
                for (Link in : incoming.getOrDefault(from, List.of())) {
                    for (Sample s : in.lastSamples) {
                        if (passing.size() >= SAMPLES_PER_LINK) {
                            break;
                        }
                        passing.add(s);
                    }
                }
                borrowed = List.copyOf(passing);
            }
            return new LinkStats(from, to, rps, callee == null ? 0 : callee.errorRate(), 0, conns,
                    callee == null ? 0 : callee.p50Ms(), false, bypass, borrowed);
        }

        List<Sample> lastSamples = List.of();
    }
}
