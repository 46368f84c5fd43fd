package dev.flowlab.export;

import static dev.flowlab.export.KeepalivedExporter.host;
import static dev.flowlab.export.KeepalivedExporter.port;

import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.Scenario;
import java.util.Map;

/**
 * Writes an LVS director's virtual service as an {@code ipvsadm-restore} rules file (the format {@code ipvsadm-save -n}
 * prints): {@code -A -t VIP:port -s sched [-p timeout]}, then {@code -a -t VIP:port -r RS:port -g|-m -w weight} per real
 * server. The connection-table timeouts and sloppy_tcp are not rules; they are written as the commands to run, in
 * comments ({@code ipvsadm-restore} drops lines starting with #). Without keepalived these rules have no health check.
 */
public final class IpvsadmExporter {
    private IpvsadmExporter() {
    }

    /** @param vip the director's VIP "host:port" in the export (its HA group's, else its own address) */
    public static String export(Scenario s, NodeSpec node, String vip, Map<String, String> addresses) {
        LvsConfig c = Params.withDefaults(node.configAs(LvsConfig.class));
        boolean dr = !"nat".equals(c.mode());
        String service = "-t " + host(vip) + ":" + port(vip);
        StringBuilder b = new StringBuilder();
        b.append("# ipvsadm rules for the lab node '").append(node.id()).append("', exported by Request Flow Lab.\n");
        b.append("# Load (as root, with the ip_vs module): ipvsadm-restore < <this file>\n");
        b.append("# Addresses are the lab's loopback ones: PLACEHOLDERS for the real VIP and real servers.\n");
        b.append("# keepalived/").append(node.id()).append(".conf sets up the same service with health checks; use one or the other.\n");
        b.append("# Connection-table timeouts (tcp tcpfin udp): ipvsadm --set ").append(c.tcpTimeout().toSeconds()).append(' ')
                .append(c.tcpFinTimeout().toSeconds()).append(" 300\n");
        if (Boolean.TRUE.equals(c.sloppyTcp())) {
            b.append("# sloppyTcp: sysctl -w net.ipv4.vs.sloppy_tcp=1\n");
        }
        if (dr) {
            b.append("# Direct routing: every real server holds the VIP on lo with arp_ignore=1 / arp_announce=2 and listens on the VIP's port.\n");
        } else {
            b.append("# NAT: the real servers' default route is the director (replies come back through it); net.ipv4.ip_forward=1.\n");
        }
        StringBuilder add = new StringBuilder("-A ").append(service).append(" -s ").append(c.scheduler());
        if ("mh".equals(c.scheduler()) && Boolean.TRUE.equals(c.mhPort())) {
            add.append(" -b mh-port");
        }
        if (Boolean.TRUE.equals(c.persistent())) {
            add.append(" -p ").append(Math.max(1, c.persistenceTimeout().toSeconds()));
        }
        b.append(add).append('\n');
        for (RealServerSpec r : KeepalivedExporter.realServers(s, node, c)) {
            String target = r.node() != null ? addresses.getOrDefault(r.node(), r.node()) : r.address();
            int rport = dr ? port(vip) : (r.port() != null ? r.port() : port(target));
            StringBuilder a = new StringBuilder("-a ").append(service).append(" -r ").append(host(target)).append(':').append(rport)
                    .append(dr ? " -g" : " -m").append(" -w ").append(r.weight() == null ? 1 : r.weight());
            if (r.upperThreshold() != null && r.upperThreshold() > 0) {
                a.append(" -x ").append(r.upperThreshold());
            }
            if (r.lowerThreshold() != null && r.lowerThreshold() > 0) {
                a.append(" -y ").append(r.lowerThreshold());
            }
            if (r.node() != null) {
                b.append("# ").append(r.node()).append(dr && port(target) != rport ? " (the lab's node listens on " + target + ")" : "").append('\n');
            }
            b.append(a).append('\n');
        }
        return b.toString();
    }
}
