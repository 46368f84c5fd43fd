package dev.flowlab.balance;

/** A peer's state at one moment, for inspectors and tests. */
public record PeerStatus(String name, boolean backup, boolean down, int weight, int effectiveWeight,
                         int currentWeight, int conns, int fails, boolean available) {
}
