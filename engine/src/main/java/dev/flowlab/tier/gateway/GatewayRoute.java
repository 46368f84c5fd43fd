package dev.flowlab.tier.gateway;

import java.util.List;

/** A running route: its path prefix, its filter chain in order, and its endpoint. */
final class GatewayRoute {
    private final String id;
    private final String prefix;
    private final List<GatewayFilter> filters;
    private RpcEndpoint endpoint;

    GatewayRoute(String id, String prefix, List<GatewayFilter> filters) {
        this.id = id;
        this.prefix = prefix;
        this.filters = List.copyOf(filters);
    }

    void endpoint(RpcEndpoint e) {
        this.endpoint = e;
    }

    String id() {
        return id;
    }

    String prefix() {
        return prefix;
    }

    List<GatewayFilter> filters() {
        return filters;
    }

    RpcEndpoint endpoint() {
        return endpoint;
    }

    <T extends GatewayFilter> T filter(Class<T> type) {
        for (GatewayFilter f : filters) {
            if (type.isInstance(f)) {
                return type.cast(f);
            }
        }
        return null;
    }
}
