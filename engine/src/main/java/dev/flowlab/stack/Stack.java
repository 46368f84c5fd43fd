package dev.flowlab.stack;

import dev.flowlab.ha.HighAvailability;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.runtime.LabParts;
import dev.flowlab.tier.dns.DnsServer;
import dev.flowlab.tier.gateway.GatewayServer;
import dev.flowlab.tier.lvs.LvsDirector;
import dev.flowlab.tier.nginx.RealNginx;
import dev.flowlab.tier.router.EcmpRouter;
import dev.flowlab.tier.tomcat.TomcatServer;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;

/**
 * The composition root: the lab as the product runs it, every tier and keepalived. The CLI, the
 * app, {@code lab run} and the tests make labs here; the runtime itself knows no tier.
 */
public final class Stack {
    private static final LabParts PARTS = LabParts.none()
            .withTier(NodeKind.TOMCAT, TomcatServer::new)
            .withTier(NodeKind.NGINX, RealNginx::forNode)
            .withTier(NodeKind.LVS, LvsDirector::new)
            .withTier(NodeKind.ROUTER, EcmpRouter::new)
            .withTier(NodeKind.DNS, DnsServer::new)
            .withTier(NodeKind.GATEWAY, GatewayServer::new)
            .withExtension(HighAvailability.keepalived());

    private Stack() {
    }

    /** Every tier the product has, and keepalived. */
    public static LabParts parts() {
        return PARTS;
    }

    public static Lab lab(Scenario scenario) {
        return new Lab(scenario, LabOptions.defaults(), PARTS);
    }

    public static Lab lab(Scenario scenario, LabOptions options) {
        return new Lab(scenario, options, PARTS);
    }

    public static Lab lab(Scenario scenario, LabOptions options, LabParts parts) {
        return new Lab(scenario, options, parts);
    }

    /** Whether this build runs the node kind. */
    public static boolean isAvailable(NodeKind kind) {
        return PARTS.hasTier(kind);
    }
}
