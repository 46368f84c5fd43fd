package dev.flowlab.runtime;

import dev.flowlab.topology.NodeKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Which server runs each node kind. Tier packages register here; kinds not yet built say so. */
public final class Tiers {
    private static final Map<NodeKind, TierFactory> FACTORIES = new EnumMap<>(NodeKind.class);

    static {
        register(NodeKind.TOMCAT, dev.flowlab.tier.tomcat.TomcatServer::new);
        register(NodeKind.NGINX, dev.flowlab.tier.nginx.NginxServer::new);
        register(NodeKind.LVS, dev.flowlab.tier.lvs.LvsDirector::new);
        register(NodeKind.ROUTER, dev.flowlab.tier.router.EcmpRouter::new);
        register(NodeKind.DNS, dev.flowlab.tier.dns.DnsServer::new);
        register(NodeKind.GATEWAY, dev.flowlab.tier.gateway.GatewayServer::new);
    }

    private Tiers() {
    }

    public static synchronized void register(NodeKind kind, TierFactory factory) {
        FACTORIES.put(kind, factory);
    }

    public static synchronized void unregister(NodeKind kind) {
        FACTORIES.remove(kind);
    }

    public static synchronized Optional<TierFactory> factory(NodeKind kind) {
        return Optional.ofNullable(FACTORIES.get(kind));
    }

    public static synchronized boolean isAvailable(NodeKind kind) {
        return FACTORIES.containsKey(kind);
    }
}
