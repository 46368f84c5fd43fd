package dev.flowlab.topology;

import java.time.Duration;

/** The built-in load generator's connection settings; what it sends is the scenario's traffic profile. */
public record ClientConfig(
        @Param(def = "256", unit = "connections", min = 1, max = 100_000,
                doc = "The most connections the client keeps open (keep-alive pool)")
        Integer maxConnections,
        @Param(def = "10s", unit = "duration", min = 0, doc = "A request that gets no full response within this fails as timeout")
        Duration requestTimeout,
        @Param(def = "3s", unit = "duration", min = 0, doc = "Connect timeout")
        Duration connectTimeout,
        @Param(def = "www.taobao.lab", doc = "The Host header, and the name resolved through the lab's DNS when the client is linked to one")
        String host) implements NodeConfig {

    public static final ClientConfig EMPTY = new ClientConfig(null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.CLIENT;
    }
}
