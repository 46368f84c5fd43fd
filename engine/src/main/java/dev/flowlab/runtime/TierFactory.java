package dev.flowlab.runtime;

/** Makes the server for one node kind. Each tier package provides one. */
@FunctionalInterface
public interface TierFactory {
    LabNode create(NodeContext context);
}
