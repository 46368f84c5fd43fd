package dev.flowlab.topology;

/** Layer-4 director (issue: LVS and DNS tiers). Its settings arrive with that tier. */
public record LvsConfig() implements NodeConfig {

    public static final LvsConfig EMPTY = new LvsConfig();

    @Override
    public NodeKind kind() {
        return NodeKind.LVS;
    }
}
