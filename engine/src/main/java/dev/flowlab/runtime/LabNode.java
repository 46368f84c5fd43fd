package dev.flowlab.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A node the lab runs: a server (TCP or UDP) plus its state. Created by a {@link TierFactory}
 * from a {@link NodeContext}; started, stopped and killed by the {@link Lab}. Implementations
 * never block the calling thread: every operation returns a future.
 */
public interface LabNode {
    String id();

    NodeState state();

    /** The address clients use; null before the first start. */
    InetSocketAddress address();

    /** Binds and starts serving. Fails with {@link LabStartException} naming node and address. */
    CompletableFuture<InetSocketAddress> start();

    /** Graceful: stop accepting, let open requests finish for up to {@code drain}, then close. */
    CompletableFuture<Void> stop(Duration drain);

    /** Abrupt: close the listener and reset (RST) every open connection at once. */
    CompletableFuture<Void> kill();

    /** Open connections this node holds right now (accepted and its own outgoing ones). */
    int openConnections();

    /** What a layer-4 director holds and forwarded (measured and modelled, each labelled); empty for other nodes. */
    default java.util.Optional<dev.flowlab.metrics.L4Footprint> layer4Footprint() {
        return java.util.Optional.empty();
    }
}
