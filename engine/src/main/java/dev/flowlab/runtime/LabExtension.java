package dev.flowlab.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Something attached to a lab from outside that follows its nodes' lives (keepalived is one): the
 * runtime calls it around starts, stops and kills, asks it where a node is served and lets it add
 * fault actions, without knowing what it is. The composition root (the CLI, the app) hands the lab
 * its extensions with the tiers ({@link LabParts}).
 */
public interface LabExtension extends AutoCloseable {

    /** Makes the extension for one lab; called once, after the nodes are made and before any starts. */
    @FunctionalInterface
    interface Factory {
        LabExtension attach(LabHost host);
    }

    /** After every node started; may wait (bounded) for what it needs. Throws {@link LabStartException} to fail the start. */
    default void labStarted() {
    }

    /** Where clients reach a node when it is not its own address (the VIP of its HA group). */
    default Optional<InetSocketAddress> serviceAddress(String nodeId) {
        return Optional.empty();
    }

    /** Whether the service a node id names is up, when this extension knows better than the node's own state. */
    default Optional<Boolean> serviceUp(String nodeId) {
        return Optional.empty();
    }

    /** Before a node is killed (its host dies). */
    default CompletableFuture<Void> beforeKill(String nodeId) {
        return CompletableFuture.completedFuture(null);
    }

    /** Before only a node's server is killed (the host lives). */
    default void beforeServiceKill(String nodeId) {
    }

    /** Before a node is stopped gracefully. */
    default CompletableFuture<Void> beforeStop(String nodeId) {
        return CompletableFuture.completedFuture(null);
    }

    /** After a node started again. */
    default CompletableFuture<Void> afterStart(String nodeId) {
        return CompletableFuture.completedFuture(null);
    }

    /** The fault actions this extension adds to {@link Lab#apply}, by name. */
    default List<String> actions() {
        return List.of();
    }

    /** Applies one of {@link #actions()}; only called with a name from that list. */
    default CompletableFuture<Void> apply(String action, String nodeId, Map<String, String> params) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("unknown action '" + action + "'"));
    }

    @Override
    void close();
}
