package dev.flowlab.runtime;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What a tier sees of the lab: its own spec, the shared event loop group, where to bind, the
 * addresses of the nodes it links to, and where to report events and metrics.
 */
public interface NodeContext {
    NodeSpec spec();

    Scenario scenario();

    EventLoopGroup group();

    /** Where this node should bind (port 0: chosen by the OS). */
    InetSocketAddress bindAddress();

    /** The current address of another node, or null when it has never started. */
    InetSocketAddress addressOf(String nodeId);

    /** The nodes this node links to (its upstreams), in link order. */
    List<NodeSpec> downstream();

    /** The local address outgoing connections from this node bind to, so peers see who called. */
    InetSocketAddress sourceAddress();

    /**
     * The running server of another node of this lab (empty for clients, externals and unknown
     * ids): for in-JVM hand-offs such as LVS direct routing, and for health-aware answers.
     */
    default java.util.Optional<LabNode> peer(String nodeId) {
        return java.util.Optional.empty();
    }

    /**
     * Whether the service other nodes reach at {@link #addressOf} answers: the node is up, or for a
     * member of an HA group, some member holds the group's VIP. For health-aware answers (DNS).
     */
    default boolean isServiceUp(String nodeId) {
        return peer(nodeId).map(n -> n.state().isUp()).orElse(true);
    }

    EventBus events();

    NodeMetrics metrics();

    LabClock clock();

    /** The demo shop's static site on disk (assets/site), for tiers that serve static files. */
    Path siteRoot();

    default String id() {
        return spec().id();
    }

    /** Emits an event from this node; skipped cheaply when nobody listens. */
    default void emit(EventType type, String peer, String traceId, int status, long durationNanos, Fact fact) {
        EventBus bus = events();
        if (bus.hasSubscribers()) {
            bus.publish(new LabEvent(clock().nanos(), type, id(), peer, traceId, status, durationNanos, fact));
        }
    }

    default void emit(EventType type, Fact fact) {
        emit(type, null, null, 0, 0, fact);
    }

    /** Whether anyone listens: an emitter whose fact costs something to gather asks first. */
    default boolean emitting() {
        return events().hasSubscribers();
    }
}
