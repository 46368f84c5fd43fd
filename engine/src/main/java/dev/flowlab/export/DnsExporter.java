package dev.flowlab.export;

import static dev.flowlab.export.KeepalivedExporter.host;
import static dev.flowlab.export.KeepalivedExporter.port;

import dev.flowlab.topology.DnsConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a DNS node's zone as a master file (SOA, NS ns1.ZONE, ns1's A record, the site's A records, all with the lab's
 * TTL) and an nsd.conf serving it where the lab node listens, with the node's tcp-count, tcp-timeout, EDNS size,
 * version and round-robin. Checked by {@code nsd-checkzone ZONE FILE} and {@code nsd-checkconf FILE}.
 */
public final class DnsExporter {
    /** The SOA timers the lab's server answers with (ZoneResponder's): serial 1, refresh 1h, retry 10m, expire 1d. */
    private static final String SOA_TIMERS = "1 3600 600 86400";

    private DnsExporter() {
    }

    /** The A record addresses: the file's, else each linked node's address (a linked HA member: its group's VIP). */
    public static List<String> records(Scenario s, NodeSpec node, Map<String, String> addresses, Map<String, String> vips) {
        DnsConfig c = Params.withDefaults(node.configAs(DnsConfig.class));
        List<String> out = new ArrayList<>();
        if (c.addresses() != null && !c.addresses().isEmpty()) {
            c.addresses().forEach(a -> out.add(host(a)));
            return out;
        }
        for (NodeSpec d : s.downstreamOf(node.id())) {
            String a = s.haGroupOf(d.id()).map(g -> vips.get(g.id())).orElse(addresses.get(d.id()));
            if (a != null && !out.contains(host(a))) {
                out.add(host(a));
            }
        }
        return out;
    }

    public static String zoneName(NodeSpec node) {
        return Params.withDefaults(node.configAs(DnsConfig.class)).zone();
    }

    public static String zoneFile(Scenario s, NodeSpec node, Map<String, String> addresses, Map<String, String> vips) {
        DnsConfig c = Params.withDefaults(node.configAs(DnsConfig.class));
        String z = c.zone() + ".";
        long ttl = c.ttl();
        String ns = "ns1." + z;
        StringBuilder b = new StringBuilder();
        b.append("; zone ").append(c.zone()).append(" as the lab's DNS node '").append(node.id()).append("' serves it, exported by Request Flow Lab\n");
        b.append("; Check: nsd-checkzone ").append(c.zone()).append(" <this file>   (or named-checkzone)\n");
        b.append("; Addresses are the lab's loopback ones: PLACEHOLDERS for the name server's and the VIPs' real addresses.\n");
        if (Boolean.TRUE.equals(c.healthAware())) {
            b.append("; The lab's healthAware leaves out a VIP whose director is down: a GSLB's job; a zone file lists them all.\n");
        }
        b.append("$ORIGIN ").append(z).append('\n');
        b.append("$TTL ").append(ttl).append('\n');
        b.append("@ ").append(ttl).append(" IN SOA ").append(ns).append(" hostmaster.").append(z).append(' ').append(SOA_TIMERS)
                .append(' ').append(ttl).append('\n');
        b.append("@ ").append(ttl).append(" IN NS ").append(ns).append('\n');
        b.append(ns).append(' ').append(ttl).append(" IN A ").append(host(addresses.get(node.id()))).append('\n');
        for (String a : records(s, node, addresses, vips)) {
            b.append(c.name()).append(". ").append(ttl).append(" IN A ").append(a).append('\n');
        }
        return b.toString();
    }

    /** nsd.conf for the node; {@code dir} is the export folder (absolute), the zone file dir/dns/ZONE.zone. */
    public static String nsdConf(NodeSpec node, String listen, Path dir) {
        DnsConfig c = Params.withDefaults(node.configAs(DnsConfig.class));
        Path run = dir.toAbsolutePath().resolve("run").resolve(node.id());
        StringBuilder b = new StringBuilder();
        b.append("# nsd.conf for the lab node '").append(node.id()).append("', exported by Request Flow Lab.\n");
        b.append("# Check: nsd-checkconf <this file>   Run: nsd -d -c <this file>\n");
        b.append("server:\n");
        b.append("    # PLACEHOLDER: the lab's loopback address; a real server listens on its own\n");
        b.append("    ip-address: ").append(host(listen)).append('\n');
        b.append("    port: ").append(port(listen)).append('\n');
        b.append("    do-ip6: no\n");
        if (!Boolean.TRUE.equals(c.tcp())) {
            b.append("    # the lab answers UDP only (tcp: false); nsd always answers TCP\n");
        }
        b.append("    tcp-count: ").append(c.tcpCount()).append('\n');
        b.append("    tcp-timeout: ").append(Math.max(1, c.tcpTimeout().toSeconds())).append('\n');
        b.append("    ipv4-edns-size: ").append(c.maxUdpSize()).append('\n');
        b.append("    hide-version: ").append(Boolean.TRUE.equals(c.hideVersion()) ? "yes" : "no").append('\n');
        b.append("    version: \"").append(c.version().replace("\"", "'")).append("\"\n");
        switch (c.rrsetOrder()) {
            case "cyclic" -> b.append("    round-robin: yes\n");
            case "random" -> b.append("    # the lab's rrsetOrder random shuffles answers; nsd only rotates them (round-robin: yes)\n    round-robin: yes\n");
            default -> b.append("    round-robin: no\n");
        }
        b.append("    zonesdir: \"").append(dir.toAbsolutePath().resolve("dns")).append("\"\n");
        b.append("    pidfile: \"").append(run.resolve("nsd.pid")).append("\"\n");
        b.append("    xfrdfile: \"").append(run.resolve("xfrd.state")).append("\"\n");
        b.append("    zonelistfile: \"").append(run.resolve("zone.list")).append("\"\n");
        b.append("    database: \"\"\n");
        b.append("    username: \"\"\n");
        b.append("\nremote-control:\n    control-enable: no\n");
        b.append("\nzone:\n");
        b.append("    name: \"").append(c.zone()).append("\"\n");
        b.append("    zonefile: \"").append(c.zone()).append(".zone\"\n");
        b.append("    # the lab refuses AXFR; no provide-xfr, so nsd refuses it too\n");
        return b.toString();
    }
}
