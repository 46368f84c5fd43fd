package dev.flowlab.runtime;

import dev.flowlab.event.EventBus;
import dev.flowlab.topology.Scenario;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What a {@link LabExtension} may see of the lab it is attached to. */
public interface LabHost {
    Scenario scenario();

    EventLoopGroup group();

    EventBus events();

    LabOptions options();

    /** A node's own bound (or planned) address, never a VIP. */
    InetSocketAddress ownAddress(String nodeId);

    /** The lab's TCP server for a node, when it runs one. */
    Optional<TcpServerNode> tcpNode(String nodeId);

    NodeState state(String nodeId);

    /** Every node's counters. */
    dev.flowlab.metrics.MetricsRegistry metrics();

    /** The lab's clock. */
    LabClock clock();
}
