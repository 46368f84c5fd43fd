package dev.flowlab.topology;

/** A real server outside the lab, reached by address (so the lab's proxies can front a real service). */
public record ExternalConfig(
        @Param(doc = "host:port of the real server") String address) implements NodeConfig {

    public static final ExternalConfig EMPTY = new ExternalConfig(null);

    @Override
    public NodeKind kind() {
        return NodeKind.EXTERNAL;
    }
}
