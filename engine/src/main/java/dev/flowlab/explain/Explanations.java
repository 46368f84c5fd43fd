package dev.flowlab.explain;

import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceHop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "why" of every hop and decision, in plain words, rendered from the engine's typed
 * {@link Fact} records (never from an event's text, never per scenario). One sentence per decision:
 * the DNS answer and how long the client keeps it, the director's choice and what its forwarding
 * mode changes, the location and the balancer's state, the cache entry's age, the gateway's
 * filters, the Tomcat worker and its (modelled) service time, the failovers.
 *
 * <p>Every kind of fact passes through {@link Words}, a {@link Fact.Visitor}: a new kind fails to
 * compile until it has words here. A fact with nothing to explain on its own (captured headers, RPC
 * frames) has none (null).
 */
public final class Explanations {

    private Explanations() {
    }

    /** The why of one fact at a node (the event log's line), or null when the fact explains nothing on its own. */
    public static String of(String node, Fact fact) {
        return fact == null ? null : fact.accept(new Words(node));
    }

    /** The why of one event, or null. */
    public static String of(LabEvent event) {
        return event == null ? null : of(event.node(), event.fact());
    }

    /** The why lines of one hop, in the order its facts happened. */
    public static List<String> of(TraceHop hop) {
        return of(hop, null);
    }

    /**
     * The why lines of one hop of a trace. With the trace, a director's hop for a connection opened
     * before this request says the request rode the existing connection (no new choice).
     */
    public static List<String> of(TraceHop hop, Trace trace) {
        boolean keptAlive = false;
        if (hop.layer() == TraceHop.Layer.L4 && trace != null) {
            TraceHop client = trace.hops().stream().filter(h -> h.layer() == TraceHop.Layer.L7).findFirst().orElse(null);
            // A connect takes well under this on loopback: older means the connection served earlier requests.
            keptAlive = client != null && hop.startNanos() < client.startNanos() - KEPT_ALIVE_NANOS;
        }
        return of(hop, trace, keptAlive);
    }

    /** A director's choice older than this before the request means the request came on a kept-alive connection. */
    static final long KEPT_ALIVE_NANOS = 50_000_000L;

    /**
     * The why lines of one hop; {@code keptAlive}: the request came on a connection opened for an
     * earlier one (the director's hop then says it made no new choice).
     */
    public static List<String> of(TraceHop hop, Trace trace, boolean keptAlive) {
        List<String> out = new ArrayList<>();
        Words words = new Words(hop.node());
        List<Fact> facts = hop.facts();
        Fact.L4Choice c = hop.fact(Fact.L4Choice.class);
        if (hop.layer() == TraceHop.Layer.L4 && keptAlive && c != null) {
            TraceHop client = trace == null ? null
                    : trace.hops().stream().filter(h -> h.layer() == TraceHop.Layer.L7).findFirst().orElse(null);
            out.add(hop.node() + ": no new choice: the request came on a kept-alive connection the director scheduled to "
                    + c.server() + (client == null ? "" : " " + millis(client.startNanos() - hop.startNanos()) + " earlier")
                    + "; its connection table sends every packet of it there"
                    + (isDr(c.mode()) ? " (the replies still bypass the director)" : ""));
            return out;
        }
        boolean cacheHit = false;
        for (Fact f : facts) {
            if (f instanceof Fact.CacheStatus cs && "HIT".equals(cs.status())) {
                cacheHit = true;
            }
        }
        List<String> heldBack = new ArrayList<>();
        List<String> gatewaySteps = new ArrayList<>();
        String route = null;
        for (int i = 0; i < facts.size(); i++) {
            Fact f = facts.get(i);
            // A gateway's filters read as one sentence, as a person tells it: route, then each filter's decision.
            if (f instanceof Fact.RequestSeen r && r.route() != null) {
                route = r.route();
                continue;
            }
            if (f instanceof Fact.FilterDecision d) {
                String step = words.filterStep(d);
                if (step != null) {
                    gatewaySteps.add(step);
                }
                continue;
            }
            if (!gatewaySteps.isEmpty() || route != null) {
                out.add(gatewaySentence(hop.node(), route, gatewaySteps));
                gatewaySteps.clear();
                route = null;
            }
            if (f instanceof Fact.ServerDown d && d.pool() != null && retryLater(facts, i, d.server())) {
                // Told after the failover it belongs to: first the retry, then what max_fails makes of it.
                heldBack.add(f.accept(words));
                continue;
            }
            if (f instanceof Fact.Retry r) {
                // The failover in one sentence: who failed, the retry condition, where it went next.
                Fact.UpstreamChosen next = null;
                for (int j = i + 1; j < facts.size(); j++) {
                    if (facts.get(j) instanceof Fact.UpstreamChosen u) {
                        next = u;
                        break;
                    }
                }
                out.add(words.retry(r, next == null ? null : next.server()));
                out.addAll(heldBack);
                heldBack.clear();
                continue;
            }
            if (f instanceof Fact.Answered && cacheHit) {
                continue; // the HIT already says it came from memory
            }
            String line = f.accept(words);
            if (line != null && !out.contains(line)) {
                out.add(line);
            }
            if (f instanceof Fact.GatewayRetry) {
                out.addAll(heldBack);
                heldBack.clear();
            }
        }
        if (!gatewaySteps.isEmpty() || route != null) {
            out.add(gatewaySentence(hop.node(), route, gatewaySteps));
        }
        out.addAll(heldBack);
        return out;
    }

    /** Whether a retry away from {@code server} follows position {@code i}. */
    private static boolean retryLater(List<Fact> facts, int i, String server) {
        for (int j = i + 1; j < facts.size(); j++) {
            if (facts.get(j) instanceof Fact.Retry r && server.equals(r.from())) {
                return true;
            }
            if (facts.get(j) instanceof Fact.GatewayRetry r && server.equals(r.from())) {
                return true;
            }
        }
        return false;
    }

    private static String gatewaySentence(String node, String route, List<String> steps) {
        StringBuilder s = new StringBuilder(node).append(": ");
        if (route != null) {
            s.append("route ").append(route);
        }
        for (String step : steps) {
            s.append(s.length() > node.length() + 2 ? ", " : "").append(step);
        }
        return s.toString();
    }

    /** The why lines of a whole trace, hop by hop, each prefixed by nothing (the sentences name their node). */
    public static List<String> of(Trace trace) {
        List<String> out = new ArrayList<>();
        for (TraceHop h : trace.hops()) {
            out.addAll(of(h, trace));
        }
        return out;
    }

    static boolean isDr(String mode) {
        return "dr".equalsIgnoreCase(mode);
    }

    static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 0.05) {
            return "0 ms";
        }
        if (ms < 10 && ms != Math.rint(ms)) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return Math.round(ms) + " ms";
    }

    static String seconds(long millis) {
        if (millis < 0) {
            return "?";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 120_000) {
            return millis / 1000 + " s";
        }
        return millis / 60_000 + " min " + (millis % 60_000) / 1000 + " s";
    }

    static String duration(long nanos) {
        if (nanos <= 0) {
            return "0 s";
        }
        long ms = nanos / 1_000_000;
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
