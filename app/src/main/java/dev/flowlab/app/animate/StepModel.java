package dev.flowlab.app.animate;

import dev.flowlab.event.Fact;
import dev.flowlab.live.Outcome;
import dev.flowlab.live.TrafficKind;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceHop;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

/**
 * Step mode, as in Packet Tracer's simulation: one traced request cut into the moves a learner
 * can step through, forward and back: the DNS lookup, at the director the layer-4 moves (SYN to
 * the VIP, the director's choice and rewrite, the handshake with the real server), then the
 * request from proxy to proxy and the answer back along its real path (around the director in DR).
 */
public final class StepModel {
    /** One move of the request: a dot from {@code from} to {@code to}, titled, with the headers or notes of that hop. */
    public record Step(String from, String to, TraceHop.Layer layer, String title, String detail, TrafficKind kind,
                       Outcome outcome) {
    }

    private final List<Step> steps;
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", 0);

    public StepModel(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static StepModel of(Trace trace) {
        return new StepModel(steps(trace));
    }

    public static List<Step> steps(Trace trace) {
        List<Step> out = new ArrayList<>();
        TrafficKind kind = TrafficKind.ofPath(trace.path());
        Outcome outcome = Outcome.ofStatus(trace.status());
        TraceHop client = null;
        TraceHop l4 = null;
        TraceHop ecmp = null;
        List<TraceHop> l7 = new ArrayList<>();
        for (TraceHop h : trace.hops()) {
            switch (h.layer()) {
                case DNS -> {
                    String from = trace.hops().stream().filter(x -> "client".equals(x.kind())).map(TraceHop::node).findFirst().orElse("client");
                    String dnsDetail = why(h, trace) + String.join("\n", h.notes());
                    out.add(new Step(from, h.node(), h.layer(), "DNS query to " + h.node(), dnsDetail, TrafficKind.DNS, Outcome.OK));
                    out.add(new Step(h.node(), from, h.layer(), "DNS answer", dnsDetail, TrafficKind.DNS, Outcome.OK));
                }
                case L4 -> {
                    // An ECMP router's hash comes before the balancer it picked.
                    if (h.fact(Fact.FlowHashed.class) != null) {
                        ecmp = h;
                    } else {
                        l4 = h;
                    }
                }
                case L7 -> {
                    if (client == null && "client".equals(h.kind())) {
                        client = h;
                    } else {
                        l7.add(h);
                    }
                }
            }
        }
        if (client == null) {
            return out;
        }
        String first = l7.isEmpty() ? null : l7.get(0).node();
        Fact.L4Choice choice = l4 == null ? null : l4.fact(Fact.L4Choice.class);
        boolean direct = choice != null && "dr".equalsIgnoreCase(choice.mode());
        if (l4 != null) {
            String rs = l4.peer();
            String notes = why(l4, trace) + String.join("\n", l4.notes());
            if (ecmp != null) {
                String hashed = why(ecmp, trace) + String.join("\n", ecmp.notes());
                out.add(new Step(client.node(), ecmp.node(), TraceHop.Layer.L4, "SYN to the VIP (" + ecmp.node() + ", ECMP)", hashed,
                        TrafficKind.CONNECTION, Outcome.OK));
                out.add(new Step(ecmp.node(), l4.node(), TraceHop.Layer.L4, "ECMP: the 5-tuple's hash picks " + l4.node() + " (no state kept)",
                        hashed, TrafficKind.CONNECTION, Outcome.OK));
            } else {
                out.add(new Step(client.node(), l4.node(), TraceHop.Layer.L4, "SYN to the VIP (" + l4.node() + ")", notes, TrafficKind.CONNECTION, Outcome.OK));
            }
            out.add(new Step(l4.node(), rs, TraceHop.Layer.L4, "director's choice: " + rs + (direct ? ", MAC rewritten (DR)" : ", destination rewritten (NAT)"),
                    notes, TrafficKind.CONNECTION, Outcome.OK));
            if (direct) {
                out.add(new Step(rs, client.node(), TraceHop.Layer.L4, "SYN-ACK from " + rs + " straight to the client: handshake done", notes,
                        TrafficKind.CONNECTION, Outcome.OK));
            } else {
                out.add(new Step(rs, l4.node(), TraceHop.Layer.L4, "SYN-ACK from " + rs + " back through the director", notes, TrafficKind.CONNECTION, Outcome.OK));
                out.add(new Step(l4.node(), client.node(), TraceHop.Layer.L4, "handshake done (source rewritten to the VIP)", notes,
                        TrafficKind.CONNECTION, Outcome.OK));
            }
        }
        // A lone server's why goes with the request that reaches it (behind a proxy, with the proxying step).
        String request = (l7.size() == 1 ? why(l7.get(0), trace) : "") + captured(client, "request");
        String prev = client.node();
        if (l4 != null && first != null) {
            if (ecmp != null) {
                out.add(new Step(prev, ecmp.node(), TraceHop.Layer.L7, "GET " + trace.path() + " to the VIP", request, kind, Outcome.OK));
                out.add(new Step(ecmp.node(), l4.node(), TraceHop.Layer.L7, "routed to " + l4.node() + " (same hash, same balancer)",
                        request, kind, Outcome.OK));
            } else {
                out.add(new Step(prev, l4.node(), TraceHop.Layer.L7, "GET " + trace.path() + " to the VIP", request, kind, Outcome.OK));
            }
            out.add(new Step(l4.node(), first, TraceHop.Layer.L7, "packets forwarded to " + first + " (HTTP untouched)", request, kind, Outcome.OK));
            prev = first;
        } else if (first != null) {
            out.add(new Step(prev, first, TraceHop.Layer.L7, "GET " + trace.path() + " to " + first, request, kind, Outcome.OK));
            prev = first;
        }
        for (int i = 1; i < l7.size(); i++) {
            TraceHop from = l7.get(i - 1);
            TraceHop to = l7.get(i);
            out.add(new Step(from.node(), to.node(), TraceHop.Layer.L7, from.node() + " proxies to " + to.node(),
                    why(from, trace) + captured(from, "request sent") + "\n" + String.join("\n", from.notes()), kind, Outcome.OK));
            prev = to.node();
        }
        for (int i = l7.size() - 1; i >= 1; i--) {
            TraceHop from = l7.get(i);
            TraceHop to = l7.get(i - 1);
            out.add(new Step(from.node(), to.node(), TraceHop.Layer.L7, from.status() + " from " + from.node(),
                    why(from, trace) + captured(from, "response"), kind, Outcome.ofStatus(from.status())));
        }
        if (first != null) {
            TraceHop edge = l7.get(0);
            String answer = captured(client, "response");
            if (l4 != null && !direct) {
                out.add(new Step(first, l4.node(), TraceHop.Layer.L7, edge.status() + " back through the director (NAT)", answer, kind, outcome));
                out.add(new Step(l4.node(), client.node(), TraceHop.Layer.L7, "answer reaches the client", answer, kind, outcome));
            } else {
                out.add(new Step(first, client.node(), TraceHop.Layer.L7, edge.status() + " to the client"
                        + (l4 != null ? ", bypassing the director (DR)" : ""), answer, kind, outcome));
            }
        }
        return out;
    }

    /** The hop's why lines, each "why: ...", then a blank line; "" when it has none. */
    static String why(TraceHop hop, Trace trace) {
        List<String> lines = dev.flowlab.explain.Explanations.of(hop, trace);
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (String l : lines) {
            s.append("why: ").append(l).append('\n');
        }
        return s.append('\n').toString();
    }

    private static String captured(TraceHop hop, String what) {
        TraceHop.Captured c = hop.capture(what);
        return c == null ? "" : c.connection() + "\n" + c.text();
    }

    public List<Step> steps() {
        return steps;
    }

    public Step current() {
        return steps.isEmpty() ? null : steps.get(index.get());
    }

    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    public boolean forward() {
        if (index.get() + 1 >= steps.size()) {
            return false;
        }
        index.set(index.get() + 1);
        return true;
    }

    public boolean back() {
        if (index.get() == 0) {
            return false;
        }
        index.set(index.get() - 1);
        return true;
    }
}
