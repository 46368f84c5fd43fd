package dev.flowlab.trace;

import dev.flowlab.event.Fact;
import dev.flowlab.event.RpcFrameCapture;
import java.util.List;

/**
 * One hop of a traced request: the node, at which layer it acted, when (monotonic nanos, see
 * {@link Trace#startNanos()} for the origin), the status it answered, the connection it used
 * ("local -> remote"), the headers captured there, the RPC frames it wrote or read (after the
 * gateway's protocol conversion: fields and first bytes), what its events said along the way
 * ({@code notes}, sentences for a human), and the typed facts of those events in time order
 * ({@code facts}: what code reads, e.g. the director's {@link Fact.L4Choice#mode()}).
 */
public record TraceHop(String node, String kind, Layer layer, String action, String peer,
                       long startNanos, long endNanos, int status, String connection,
                       List<Captured> captured, List<RpcFrameCapture> frames, List<String> notes, List<Fact> facts) {

    public TraceHop {
        facts = facts == null ? List.of() : List.copyOf(facts);
    }

    /** A hop without typed facts (built by hand). */
    public TraceHop(String node, String kind, Layer layer, String action, String peer, long startNanos, long endNanos,
                    int status, String connection, List<Captured> captured, List<RpcFrameCapture> frames, List<String> notes) {
        this(node, kind, layer, action, peer, startNanos, endNanos, status, connection, captured, frames, notes, List.of());
    }

    /** The first fact of this hop of the given record type, or null. */
    public <F extends Fact> F fact(Class<F> type) {
        for (Fact f : facts) {
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        return null;
    }

    public enum Layer { DNS, L4, L7 }

    /** Headers as they were at this hop: what ("request received"), the connection, the text. */
    public record Captured(String what, String connection, String text) {
    }

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }

    /** The first capture whose description starts with the given word ("request", "response"), or null. */
    public Captured capture(String startingWith) {
        for (Captured c : captured) {
            if (c.what().startsWith(startingWith)) {
                return c;
            }
        }
        return null;
    }

    /** The first RPC frame whose description starts with the given words ("request received"), or null. */
    public RpcFrameCapture frame(String startingWith) {
        for (RpcFrameCapture f : frames) {
            if (f.what().startsWith(startingWith)) {
                return f;
            }
        }
        return null;
    }
}
