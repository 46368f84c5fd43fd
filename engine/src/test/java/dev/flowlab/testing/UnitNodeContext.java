package dev.flowlab.testing;

import dev.flowlab.event.EventBus;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's context for unit tests that drive one tier's handlers on an embedded channel: the node
 * alone in its scenario, no lab around it (no event loops, no other nodes, no site files).
 */
public record UnitNodeContext(NodeSpec spec, EventBus events, NodeMetrics metrics) implements NodeContext {

    public UnitNodeContext(NodeSpec spec) {
        this(spec, new EventBus(), new NodeMetrics(spec.id(), spec.kind().id()));
    }

    @Override
    public Scenario scenario() {
        return new Scenario(Scenario.FORMAT, "unit", null, List.of(spec), List.of(), null, null);
    }

    @Override
    public EventLoopGroup group() {
        throw new UnsupportedOperationException("not in unit tests");
    }

    @Override
    public InetSocketAddress bindAddress() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public InetSocketAddress addressOf(String nodeId) {
        return null;
    }

    @Override
    public List<NodeSpec> downstream() {
        return List.of();
    }

    @Override
    public InetSocketAddress sourceAddress() {
        return bindAddress();
    }

    @Override
    public LabClock clock() {
        return new LabClock();
    }

    @Override
    public Path siteRoot() {
        return Path.of("does-not-exist");
    }
}
