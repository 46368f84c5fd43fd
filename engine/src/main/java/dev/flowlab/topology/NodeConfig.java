package dev.flowlab.topology;

/**
 * A node's typed configuration. Each kind has its own record; fields are nullable boxed values,
 * null meaning "not set in the file, use the real software's default" so that files round-trip
 * byte for byte. {@link Params#withDefaults} gives the effective values; {@link Param} on each
 * record component names the default, unit, range and meaning (the editor's property sheet and
 * validation read it).
 */
public sealed interface NodeConfig
        permits ClientConfig, DnsConfig, RouterConfig, LvsConfig, NginxConfig, GatewayConfig, TomcatConfig, ExternalConfig {

    NodeKind kind();

    static NodeConfig defaultsFor(NodeKind kind) {
        return switch (kind) {
            case CLIENT -> ClientConfig.EMPTY;
            case DNS -> DnsConfig.EMPTY;
            case ROUTER -> RouterConfig.EMPTY;
            case LVS -> LvsConfig.EMPTY;
            case NGINX -> NginxConfig.EMPTY;
            case GATEWAY -> GatewayConfig.EMPTY;
            case TOMCAT -> TomcatConfig.EMPTY;
            case EXTERNAL -> ExternalConfig.EMPTY;
        };
    }

    static Class<? extends NodeConfig> typeFor(NodeKind kind) {
        return defaultsFor(kind).getClass();
    }
}
