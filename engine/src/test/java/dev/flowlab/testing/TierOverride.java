package dev.flowlab.testing;

import dev.flowlab.runtime.TierFactory;
import dev.flowlab.runtime.Tiers;
import dev.flowlab.topology.NodeKind;
import java.util.Optional;

/**
 * Runs a node kind on a test tier (an echo server, a scripted upstream) and puts back whatever
 * served that kind before when closed: the real tier, or nothing.
 */
public final class TierOverride implements AutoCloseable {
    private final NodeKind kind;
    private final Optional<TierFactory> previous;

    private TierOverride(NodeKind kind, Optional<TierFactory> previous) {
        this.kind = kind;
        this.previous = previous;
    }

    public static TierOverride install(NodeKind kind, TierFactory factory) {
        TierOverride override = new TierOverride(kind, Tiers.factory(kind));
        Tiers.register(kind, factory);
        return override;
    }

    @Override
    public void close() {
        previous.ifPresentOrElse(f -> Tiers.register(kind, f), () -> Tiers.unregister(kind));
    }
}
