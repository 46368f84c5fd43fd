package dev.flowlab.trace;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.event.RpcFrameCapture;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rebuilds a {@link Trace} from the events that carried its id, plus the two kinds of event that
 * cannot carry one: the director's layer-4 choice (tied by the client's connection, the
 * {@link Fact.L4Choice#client()}) and the DNS answer the client resolved with (tied by the client's host).
 */
public final class TraceBuilder {
    private final Scenario scenario;

    public TraceBuilder(Scenario scenario) {
        this.scenario = scenario;
    }

    /**
     * @param events       the trace's own events, any order
     * @param l4ByClient   the director events for a client connection ("host:port"), or null
     * @param dnsForHost   the last DNS answer sent to a client host, or null
     */
    public Trace build(String traceId, List<LabEvent> events, Function<String, List<LabEvent>> l4ByClient,
                       Function<String, LabEvent> dnsForHost) {
        List<LabEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(LabEvent::nanos));
        Map<String, List<LabEvent>> byNode = new LinkedHashMap<>();
        for (LabEvent e : sorted) {
            byNode.computeIfAbsent(e.node(), n -> new ArrayList<>()).add(e);
        }
        List<TraceHop> hops = new ArrayList<>();
        TraceHop client = null;
        String clientPath = null;
        List<TraceHop> l7 = new ArrayList<>();
        for (Map.Entry<String, List<LabEvent>> n : byNode.entrySet()) {
            TraceHop hop = l7Hop(n.getKey(), n.getValue());
            if (client == null && NodeKind.CLIENT.id().equals(hop.kind())) {
                client = hop;
                for (LabEvent e : n.getValue()) {
                    if (e.fact() instanceof Fact.ClientRequest r) {
                        clientPath = r.path();
                        break;
                    }
                }
            } else {
                l7.add(hop);
            }
        }
        l7.sort(Comparator.comparingLong(TraceHop::startNanos));
        String path = null;
        int status = 0;
        long start = sorted.isEmpty() ? 0 : sorted.get(0).nanos();
        long end = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).nanos();
        if (client != null) {
            start = client.startNanos();
            end = Math.max(end, client.endNanos());
            status = client.status();
            path = clientPath != null ? clientPath : client.action();
            String localAddress = localOf(client.connection());
            if (localAddress != null && dnsForHost != null) {
                LabEvent dns = dnsForHost.apply(hostOf(localAddress));
                if (dns != null && dns.nanos() <= client.startNanos()) {
                    hops.add(dnsHop(dns, client.startNanos()));
                }
            }
            hops.add(client);
            if (localAddress != null && l4ByClient != null) {
                List<LabEvent> l4 = l4ByClient.apply(localAddress);
                if (l4 != null) {
                    for (LabEvent e : l4) {
                        hops.add(l4Hop(e, client.startNanos()));
                    }
                }
            }
        }
        hops.addAll(l7);
        return new Trace(traceId, path, status, start, end, List.copyOf(hops), List.copyOf(sorted));
    }

    private TraceHop l7Hop(String node, List<LabEvent> events) {
        String kind = scenario.node(node).map(s -> s.kind().id()).orElse("?");
        long first = events.get(0).nanos();
        long last = events.get(events.size() - 1).nanos();
        long start = first;
        long end = last;
        int status = 0;
        String action = null;
        String peer = null;
        List<TraceHop.Captured> captured = new ArrayList<>();
        List<RpcFrameCapture> frames = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Fact> facts = new ArrayList<>();
        for (LabEvent e : events) {
            if (e.fact() != null) {
                facts.add(e.fact());
            }
            switch (e.type()) {
                case CLIENT_REQUEST -> {
                    start = e.nanos();
                    action = e.detail();
                    peer = e.peer();
                }
                case CLIENT_RESPONSE, CLIENT_ERROR -> {
                    end = e.nanos();
                    status = e.status();
                    if (e.type() == EventType.CLIENT_ERROR) {
                        notes.add("error: " + e.detail());
                    }
                }
                case RESPONSE_RETURNED, ERROR, REJECTED -> {
                    if (e.type() != EventType.RESPONSE_RETURNED) {
                        notes.add(e.type().id() + ": " + e.detail());
                    }
                    if (e.type() == EventType.RESPONSE_RETURNED || status == 0) {
                        end = e.nanos();
                        status = e.status();
                        if (e.durationNanos() > 0) {
                            start = Math.min(start, e.nanos() - e.durationNanos());
                        }
                    }
                    if (action == null && e.detail() != null) {
                        action = e.detail();
                    }
                }
                case REQUEST_RECEIVED -> {
                    if (action == null) {
                        action = e.detail();
                    }
                    peer = e.peer();
                }
                case TRACE_HEADERS -> captured.add(captured(e.fact()));
                case TRACE_FRAME -> {
                    if (e.fact() instanceof Fact.FrameSeen f) {
                        frames.add(f.capture());
                    }
                }
                default -> notes.add(e.type().id() + (e.peer() == null ? "" : " " + e.peer())
                        + (e.detail() == null ? "" : ": " + e.detail()));
            }
        }
        // The connection the request came in on: its first capture, headers or (behind the gateway) an RPC frame.
        String connection = !captured.isEmpty() ? captured.get(0).connection()
                : !frames.isEmpty() ? frames.get(0).connection() : null;
        if (peer == null && !captured.isEmpty()) {
            peer = remoteOf(connection);
        }
        return new TraceHop(node, kind, TraceHop.Layer.L7, action == null ? kind : action, peer, start, end, status,
                connection, List.copyOf(captured), List.copyOf(frames), List.copyOf(notes), facts);
    }

    /** An ECMP router's choice: the SYN's 5-tuple hashed to one of the equal-cost balancers; the router keeps no state. */
    private TraceHop routerHop(LabEvent e, Fact.FlowHashed f, long requestStart) {
        String kind = scenario.node(e.node()).map(s -> s.kind().id()).orElse("router");
        List<String> notes = new ArrayList<>();
        notes.add("SYN to the VIP from " + f.flow());
        notes.add("ECMP (" + f.policy() + "): the 5-tuple's hash picks " + f.nextHop() + " of " + f.liveNextHops()
                + " balancers up; every packet of this flow hashes the same way, so no state is kept");
        if (e.nanos() < requestStart) {
            notes.add("connection opened " + (requestStart - e.nanos()) / 1_000_000 + " ms before this request (kept alive)");
        }
        return new TraceHop(e.node(), kind, TraceHop.Layer.L4, "ECMP: flow hashed to " + f.nextHop(), f.nextHop(), e.nanos(),
                e.nanos(), e.status(), f.flow() + " -> VIP", List.of(), List.of(), List.copyOf(notes), List.of(f));
    }

    /** A DNS answer older than this before the request is the client's cached one, not this request's lookup. */
    static final long CACHED_AFTER_NANOS = 50_000_000L;

    private TraceHop l4Hop(LabEvent e, long requestStart) {
        if (e.fact() instanceof Fact.FlowHashed f) {
            return routerHop(e, f, requestStart);
        }
        String kind = scenario.node(e.node()).map(s -> s.kind().id()).orElse("lvs");
        String mode = scenario.node(e.node()).filter(s -> s.kind() == NodeKind.LVS)
                .map(s -> Params.withDefaults(s.configAs(LvsConfig.class)).mode()).orElse("?");
        List<String> notes = new ArrayList<>();
        notes.add("SYN to the VIP from " + clientOf(e));
        if (e.type() == EventType.UPSTREAM_CHOSEN) {
            notes.add("director's choice: " + e.peer() + " (" + e.detail() + ")");
            notes.add("dr".equalsIgnoreCase(mode)
                    ? "rewrite: destination MAC to " + e.peer() + "'s, IP unchanged; the real server answers the client directly"
                    : "rewrite: destination IP:port to " + e.peer() + "'s (NAT); replies come back through the director");
            notes.add("handshake completes with " + e.peer());
        } else {
            notes.add(e.type().id() + ": " + e.detail());
        }
        if (e.nanos() < requestStart) {
            notes.add("connection opened " + (requestStart - e.nanos()) / 1_000_000 + " ms before this request (kept alive)");
        }
        String action = e.type() == EventType.UPSTREAM_CHOSEN ? "L4 " + mode.toUpperCase(java.util.Locale.ROOT)
                + ": connection to the VIP scheduled to " + e.peer() : "L4: " + e.type().id();
        return new TraceHop(e.node(), kind, TraceHop.Layer.L4, action, e.peer(), e.nanos(), e.nanos(),
                e.status(), clientOf(e) + " -> VIP", List.of(), List.of(), List.copyOf(notes),
                e.fact() == null ? List.of() : List.of(e.fact()));
    }

    /**
     * The DNS lookup behind the request's connection. A lookup just before the request is drawn as
     * it ran; an earlier one (the client's cached answer) is drawn at the request's start with no
     * length, since none of its time is this request's, and says how old it is against its TTL. An
     * answer older than its TTL only serves a kept-alive connection: the client resolves again for
     * every new connection once the TTL is over, and an open connection is never re-resolved.
     */
    private TraceHop dnsHop(LabEvent e, long requestStart) {
        List<String> notes = new ArrayList<>();
        notes.add("answer: " + e.detail());
        long age = requestStart - e.nanos();
        long ttl = e.fact() instanceof Fact.DnsAnswer a ? a.ttl() : -1;
        String kind = scenario.node(e.node()).map(s -> s.kind().id()).orElse("dns");
        List<Fact> facts = e.fact() == null ? List.of() : List.of(e.fact());
        if (age <= CACHED_AFTER_NANOS) {
            return new TraceHop(e.node(), kind, TraceHop.Layer.DNS, "DNS lookup", e.peer(), e.nanos() - e.durationNanos(),
                    e.nanos(), e.status(), e.peer(), List.of(), List.of(), List.copyOf(notes), facts);
        }
        double ageSeconds = age / 1e9;
        String when = String.format(java.util.Locale.ROOT, "asked %.1f s before this request (the lookup took %.1f ms then)",
                ageSeconds, e.durationNanos() / 1e6);
        notes.add(when);
        String action;
        if (ttl < 0) {
            action = "DNS: cached answer";
        } else if (ageSeconds < ttl) {
            action = String.format(java.util.Locale.ROOT, "DNS: cached answer, %.0f s of its TTL %d s left", ttl - ageSeconds, ttl);
            notes.add("the client's cached answer, still within its TTL: no new query");
        } else {
            action = String.format(java.util.Locale.ROOT, "DNS: answer from %.0f s ago (TTL %d s), on a kept-alive connection", ageSeconds, ttl);
            notes.add("older than its TTL: the request rode a connection opened after that lookup and kept alive since "
                    + "(a new connection would have asked again; an open one is never re-resolved)");
        }
        return new TraceHop(e.node(), kind, TraceHop.Layer.DNS, action, e.peer(), requestStart, requestStart, e.status(),
                e.peer(), List.of(), List.of(), List.copyOf(notes), facts);
    }

    static TraceHop.Captured captured(Fact fact) {
        if (fact instanceof Fact.HeadersSeen h) {
            return new TraceHop.Captured(h.what(), h.connection(), h.text());
        }
        return new TraceHop.Captured("?", null, "");
    }

    /**
     * The client connection ("host:port") a director's event is about: the layer-4 choice's client,
     * or for a refusal the peer it names; "?" when unknown.
     */
    static String clientOf(LabEvent e) {
        if (e.fact() instanceof Fact.L4Choice c) {
            return c.client() == null ? "?" : c.client();
        }
        if (e.fact() instanceof Fact.FlowHashed f) {
            return f.flow() == null ? "?" : f.flow();
        }
        return e.type() == EventType.REJECTED && e.peer() != null ? e.peer() : "?";
    }

    static String localOf(String connection) {
        if (connection == null) {
            return null;
        }
        int i = connection.indexOf(" -> ");
        return i < 0 ? null : connection.substring(0, i);
    }

    static String remoteOf(String connection) {
        if (connection == null) {
            return null;
        }
        int i = connection.indexOf(" -> ");
        return i < 0 ? null : connection.substring(i + 4);
    }

    static String hostOf(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        return i < 0 ? hostPort : hostPort.substring(0, i);
    }

    /** The kind of a node by id, for callers that hold only the scenario. */
    public String kindOf(String node) {
        return scenario.node(node).map(NodeSpec::kind).map(NodeKind::id).orElse("?");
    }
}
