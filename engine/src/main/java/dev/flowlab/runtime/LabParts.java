package dev.flowlab.runtime;

import dev.flowlab.topology.NodeKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a lab is built from: the server that runs each node kind and the extensions that follow
 * the nodes (keepalived). Immutable; the composition root makes one (dev.flowlab.stack.Stack),
 * a test swaps one kind for a stub with {@link #withTier}. The runtime knows no tier by name.
 */
public final class LabParts {
    private static final LabParts NONE = new LabParts(new EnumMap<>(NodeKind.class), List.of());

    private final Map<NodeKind, TierFactory> tiers;
    private final List<LabExtension.Factory> extensions;

    private LabParts(Map<NodeKind, TierFactory> tiers, List<LabExtension.Factory> extensions) {
        this.tiers = tiers;
        this.extensions = extensions;
    }

    public static LabParts none() {
        return NONE;
    }

    /** The same parts with this kind run by this factory. */
    public LabParts withTier(NodeKind kind, TierFactory factory) {
        Map<NodeKind, TierFactory> copy = new EnumMap<>(NodeKind.class);
        copy.putAll(tiers);
        copy.put(kind, factory);
        return new LabParts(copy, extensions);
    }

    /** The same parts without a server for this kind (a lab with such a node refuses to start). */
    public LabParts withoutTier(NodeKind kind) {
        Map<NodeKind, TierFactory> copy = new EnumMap<>(NodeKind.class);
        copy.putAll(tiers);
        copy.remove(kind);
        return new LabParts(copy, extensions);
    }

    public LabParts withExtension(LabExtension.Factory factory) {
        List<LabExtension.Factory> copy = new ArrayList<>(extensions);
        copy.add(factory);
        return new LabParts(tiers, Collections.unmodifiableList(copy));
    }

    public Optional<TierFactory> tier(NodeKind kind) {
        return Optional.ofNullable(tiers.get(kind));
    }

    public boolean hasTier(NodeKind kind) {
        return tiers.containsKey(kind);
    }

    public List<LabExtension.Factory> extensions() {
        return extensions;
    }
}
