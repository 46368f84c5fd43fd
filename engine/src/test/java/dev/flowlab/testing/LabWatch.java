package dev.flowlab.testing;

import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.LabExtension;
import dev.flowlab.runtime.LabHost;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Watches a lab from outside (attached as an extension, so it also sees labs a test does not make
 * itself, such as {@code lab run}'s) and tells a {@link ClockDriver} when the lab has settled:
 * nothing will happen until the clock moves. That is: the lab has started, every kill and stop asked
 * for has finished, no node is starting or stopping, and every request the clients have in flight
 * waits on the clock (queued for a busy connection, or held by a stub tier that answers later on
 * the clock: {@code heldByServers}). A killed or stopped node has closed all its connections.
 */
public final class LabWatch implements LabExtension.Factory {
    private final IntSupplier heldByServers;
    private final Map<String, NodeState> expected = new ConcurrentHashMap<>();
    private volatile LabHost host;

    /** For labs whose servers answer without waiting on the clock (the product's tiers). */
    public LabWatch() {
        this(() -> 0);
    }

    public LabWatch(IntSupplier heldByServers) {
        this.heldByServers = heldByServers;
    }

    @Override
    public LabExtension attach(LabHost h) {
        host = h;
        expected.clear();
        return new LabExtension() {
            @Override
            public CompletableFuture<Void> beforeKill(String nodeId) {
                expected.put(nodeId, NodeState.KILLED);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void beforeServiceKill(String nodeId) {
                expected.put(nodeId, NodeState.KILLED);
            }

            @Override
            public CompletableFuture<Void> beforeStop(String nodeId) {
                expected.put(nodeId, NodeState.STOPPED);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> afterStart(String nodeId) {
                expected.remove(nodeId);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
    }

    public LabHost host() {
        return host;
    }

    @Override
    public String toString() {
        LabHost h = host;
        if (h == null) {
            return "no lab yet";
        }
        StringBuilder b = new StringBuilder();
        for (NodeSpec n : h.scenario().nodes()) {
            NodeMetrics m = h.metrics().node(n.id());
            b.append(n.id()).append(' ').append(n.kind().isLabServer() ? h.state(n.id()).id() : "")
                    .append(" in flight ").append(m.inFlight()).append(" queued ").append(m.queued()).append("; ");
        }
        return b.append("held by servers ").append(heldByServers.getAsInt()).append(", expected ").append(expected).toString();
    }

    /** Whether nothing in the lab moves until its clock does. */
    public boolean settled() {
        LabHost h = host;
        if (h == null) {
            return false;
        }
        int onTheWire = 0;
        for (NodeSpec n : h.scenario().nodes()) {
            if (n.kind() == NodeKind.CLIENT) {
                NodeMetrics m = h.metrics().node(n.id());
                onTheWire += m.inFlight() - m.queued();
                continue;
            }
            if (!n.kind().isLabServer()) {
                continue;
            }
            NodeState s = h.state(n.id());
            NodeState want = expected.getOrDefault(n.id(), NodeState.RUNNING);
            if (s != want && !(s == NodeState.FAILED)) {
                return false;
            }
            if ((s == NodeState.KILLED || s == NodeState.STOPPED) && h.metrics().node(n.id()).activeConnections() > 0) {
                return false; // its connections are still being torn down
            }
        }
        return onTheWire == heldByServers.getAsInt();
    }
}
