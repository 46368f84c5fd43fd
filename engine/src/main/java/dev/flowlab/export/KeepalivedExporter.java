package dev.flowlab.export;

import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TrackScript;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes keepalived.conf for a node that runs keepalived in the lab: an HA member gets its {@code vrrp_instance} (and
 * the {@code vrrp_script} its track_script names), an LVS director its {@code virtual_server} with one
 * {@code real_server} per real server and the health checker the lab runs. The file passes {@code keepalived -t -f FILE}
 * (keepalived 2.2). Addresses are the lab's loopback ones, marked as placeholders: keepalived itself refuses VRRP on a
 * loopback interface, so the instance names {@code eth0}, the NIC a real host would carry the VIP on.
 */
public final class KeepalivedExporter {
    /** The interface the export names for VRRP (keepalived refuses lo); a placeholder for the real host's NIC. */
    public static final String INTERFACE = "eth0";

    private KeepalivedExporter() {
    }

    /** True when the node runs keepalived in the lab: an HA member or an LVS director. */
    public static boolean runsKeepalived(Scenario s, NodeSpec node) {
        return node.kind() == NodeKind.LVS || s.haGroupOf(node.id()).isPresent();
    }

    /**
     * The keepalived.conf text.
     *
     * @param addresses each node's "host:port" in the export ({@link ScenarioExporter#addresses})
     * @param vips      each HA group's VIP "host:port" in the export ({@link ScenarioExporter#vips})
     */
    public static String export(Scenario s, NodeSpec node, Map<String, String> addresses, Map<String, String> vips) {
        StringBuilder b = new StringBuilder();
        b.append("# keepalived.conf for the lab node '").append(node.id()).append("', exported by Request Flow Lab.\n");
        b.append("# Check: keepalived -t -f <this file>   Run: keepalived -n -l -f <this file> (as root)\n");
        b.append("# Addresses are the lab's loopback ones (127.x): PLACEHOLDERS. On real hosts replace each with the host's\n");
        b.append("# own address, and the VIP with a free address of the hosts' shared subnet.\n\n");
        b.append("global_defs {\n");
        b.append("    router_id ").append(safe(node.id())).append('\n');
        b.append("    script_user root\n");
        b.append("    enable_script_security\n");
        b.append("}\n\n");
        HaGroup g = s.haGroupOf(node.id()).orElse(null);
        if (g != null) {
            vrrp(b, s, g, node, addresses, vips.get(g.id()));
        }
        if (node.kind() == NodeKind.LVS) {
            String vip = g != null ? vips.get(g.id()) : addresses.get(node.id());
            virtualServer(b, s, node, vip, addresses);
        }
        return b.toString();
    }

    private static void vrrp(StringBuilder b, Scenario s, HaGroup spec, NodeSpec node, Map<String, String> addresses, String vip) {
        HaGroup g = Params.withDefaults(spec);
        HaMember m = Params.withDefaults(g.member(node.id()).orElseThrow());
        TrackScript t = spec.trackScript() == null ? null : Params.withDefaults(spec.trackScript());
        String own = addresses.get(node.id());
        if (t != null) {
            b.append("# the lab's track_script: a TCP connect to this member's own listener (").append(own).append(")\n");
            b.append("vrrp_script ").append(safe(t.name())).append(" {\n");
            b.append("    script \"/usr/bin/timeout ").append(secs(t.timeout())).append(" /bin/bash -c '</dev/tcp/")
                    .append(host(own)).append('/').append(port(own)).append("'\"\n");
            b.append("    interval ").append(secs(t.interval())).append('\n');
            b.append("    timeout ").append(secs(t.timeout())).append('\n');
            b.append("    rise ").append(t.rise()).append('\n');
            b.append("    fall ").append(t.fall()).append('\n');
            b.append("    weight ").append(t.weight()).append('\n');
            b.append("}\n\n");
        }
        int version = g.vrrpVersion();
        b.append("vrrp_instance ").append(safe(g.id())).append(" {\n");
        b.append("    state ").append(m.state()).append('\n');
        b.append("    # PLACEHOLDER: the NIC that carries the VIP (keepalived refuses VRRP on lo; the lab runs it on loopback)\n");
        b.append("    interface ").append(INTERFACE).append('\n');
        b.append("    virtual_router_id ").append(g.virtualRouterId()).append('\n');
        b.append("    priority ").append(m.priority()).append('\n');
        if (version != 2) {
            b.append("    version ").append(version).append('\n');
        }
        b.append("    advert_int ").append(version == 2 ? Math.max(1, Math.round(g.advertInt().toMillis() / 1000.0)) : secs(g.advertInt()))
                .append('\n');
        if (version == 2 && g.advertInt().toMillis() % 1000 != 0) {
            b.append("    # the lab's advert_int is ").append(g.advertInt().toMillis()).append("ms; VRRPv2 carries whole seconds\n");
        }
        // keepalived honours nopreempt and preempt_delay only with initial state BACKUP (as the lab does), and refuses
        // preempt_delay together with nopreempt (a member that never preempts has no delay to wait).
        boolean honoured = !"MASTER".equals(m.state());
        boolean nopreempt = Boolean.TRUE.equals(m.nopreempt());
        if (nopreempt) {
            b.append(honoured ? "    nopreempt\n" : "    # the lab's nopreempt: keepalived (and the lab) ignore it with state MASTER\n");
        }
        if (m.preemptDelay() != null && !m.preemptDelay().isZero()) {
            if (nopreempt && honoured) {
                b.append("    # the lab's preempt_delay ").append(secs(m.preemptDelay()))
                        .append(": no effect with nopreempt (keepalived refuses the two together)\n");
            } else if (!honoured) {
                b.append("    # the lab's preempt_delay ").append(secs(m.preemptDelay()))
                        .append(": keepalived (and the lab) ignore it with state MASTER\n");
            } else {
                b.append("    preempt_delay ").append(secs(m.preemptDelay())).append('\n');
            }
        }
        if (version == 2) {
            b.append("    # the lab does not authenticate adverts (VRRPv3, RFC 5798, dropped authentication); to add it:\n");
            b.append("    # authentication {\n    #     auth_type PASS\n    #     auth_pass CHANGEME\n    # }\n");
        }
        b.append("    virtual_ipaddress {\n");
        b.append("        # PLACEHOLDER: the lab's VIP on loopback (").append(vip).append("); the real VIP goes here\n");
        b.append("        ").append(host(vip)).append("/32\n");
        b.append("    }\n");
        if (t != null) {
            b.append("    track_script {\n        ").append(safe(t.name())).append("\n    }\n");
        }
        b.append("}\n\n");
    }

    private static void virtualServer(StringBuilder b, Scenario s, NodeSpec node, String vip, Map<String, String> addresses) {
        LvsConfig c = Params.withDefaults(node.configAs(LvsConfig.class));
        HealthCheck h = Params.withDefaults(c.healthCheck() == null ? HealthCheck.DEFAULT : c.healthCheck());
        boolean dr = !"nat".equals(c.mode());
        b.append("# the lab's director: VIP ").append(vip).append(" (PLACEHOLDER address), ").append(dr ? "direct routing" : "NAT").append('\n');
        b.append("virtual_server ").append(host(vip)).append(' ').append(port(vip)).append(" {\n");
        b.append("    delay_loop ").append(secs(h.delayLoop())).append('\n');
        b.append("    lb_algo ").append(c.scheduler()).append('\n');
        if ("mh".equals(c.scheduler()) && Boolean.TRUE.equals(c.mhPort())) {
            b.append("    mh-port\n");
        }
        if ("mh".equals(c.scheduler())) {
            b.append("    # the lab's Maglev table has ").append(c.mhTableSize()).append(" slots; IPVS's is fixed at build time (4093 by default)\n");
        }
        b.append("    lb_kind ").append(dr ? "DR" : "NAT").append('\n');
        if (Boolean.TRUE.equals(c.persistent())) {
            b.append("    persistence_timeout ").append(Math.max(1, c.persistenceTimeout().toSeconds())).append('\n');
        }
        b.append("    protocol TCP\n");
        if (Boolean.TRUE.equals(c.sloppyTcp())) {
            b.append("    # the lab's sloppyTcp is the sysctl net.ipv4.vs.sloppy_tcp=1 (not a keepalived setting)\n");
        }
        b.append("    # the connection table's timeouts (tcp ").append(c.tcpTimeout().toSeconds()).append("s, tcpfin ")
                .append(c.tcpFinTimeout().toSeconds()).append("s) are ipvsadm --set, written in ipvsadm/\n");
        for (RealServerSpec r : realServers(s, node, c)) {
            String target = r.node() != null ? addresses.getOrDefault(r.node(), r.node()) : r.address();
            int rport = dr ? port(vip) : (r.port() != null ? r.port() : port(target));
            if (dr && port(target) != port(vip)) {
                b.append("    # DR keeps the VIP's port: on a real host ").append(r.name()).append(" listens on ")
                        .append(port(vip)).append(" (the lab's node listens on ").append(target).append(")\n");
            }
            b.append("    real_server ").append(host(target)).append(' ').append(rport).append(" {\n");
            b.append("        weight ").append(r.weight() == null ? 1 : r.weight()).append('\n');
            if (r.upperThreshold() != null && r.upperThreshold() > 0) {
                b.append("        uthreshold ").append(r.upperThreshold()).append('\n');
            }
            if (r.lowerThreshold() != null && r.lowerThreshold() > 0) {
                b.append("        lthreshold ").append(r.lowerThreshold()).append('\n');
            }
            if (Boolean.TRUE.equals(h.inhibitOnFailure())) {
                b.append("        inhibit_on_failure\n");
            }
            switch (h.type()) {
                case "NONE" -> b.append("        # no health check (the lab's healthCheck type NONE)\n");
                case "HTTP_GET" -> {
                    b.append("        HTTP_GET {\n");
                    b.append("            url {\n                path ").append(h.path()).append("\n                status_code ")
                            .append(h.statusCode()).append("\n            }\n");
                    checkerTimers(b, h);
                    b.append("        }\n");
                }
                default -> {
                    b.append("        TCP_CHECK {\n");
                    checkerTimers(b, h);
                    b.append("        }\n");
                }
            }
            b.append("    }\n");
        }
        b.append("}\n");
    }

    private static void checkerTimers(StringBuilder b, HealthCheck h) {
        b.append("            connect_timeout ").append(secs(h.connectTimeout())).append('\n');
        b.append("            retry ").append(h.retry()).append('\n');
        b.append("            delay_before_retry ").append(secs(h.delayBeforeRetry())).append('\n');
    }

    /** The director's real servers: as configured, else the nodes it links to (weight 1), as the lab's director does. */
    static List<RealServerSpec> realServers(Scenario s, NodeSpec node, LvsConfig c) {
        if (c.realServers() != null && !c.realServers().isEmpty()) {
            return c.realServers();
        }
        return LvsConfig.defaultRealServers(s.downstreamOf(node.id()).stream().map(NodeSpec::id).toList());
    }

    /** keepalived's timers: seconds, with decimals where the lab uses less than a second. */
    static String secs(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    static String host(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    }

    static int port(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 80;
    }

    /** keepalived's names are single words. */
    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
