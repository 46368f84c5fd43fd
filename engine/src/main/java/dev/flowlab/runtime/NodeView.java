package dev.flowlab.runtime;

import dev.flowlab.topology.NodeKind;

/** A node as outputs show it: the `lab serve --endpoints` contract's node entry. */
public record NodeView(String id, NodeKind kind, String address, NodeState state) {
}
