package dev.flowlab.topology;

/** API gateway (issue: the gateway tier). Its settings arrive with that tier. */
public record GatewayConfig() implements NodeConfig {

    public static final GatewayConfig EMPTY = new GatewayConfig();

    @Override
    public NodeKind kind() {
        return NodeKind.GATEWAY;
    }
}
