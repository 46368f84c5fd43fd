package dev.flowlab.export;

import dev.flowlab.runtime.AddressPlan;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lab export}: writes a scenario as the real software's configuration: nginx/NODE.conf for every Nginx node,
 * keepalived/NODE.conf for every HA member and LVS director, ipvsadm/NODE.rules for every director, dns/ZONE.zone and
 * dns/NODE-nsd.conf for every DNS node, tomcat/NODE-server.xml for every Tomcat, gateway/NODE.yml for every gateway,
 * docker-compose.yml, Kubernetes manifests in k8s/, and a README.md saying what maps one to one and what does not.
 */
public final class ScenarioExporter {
    /** Ports a node gets in the export when the lab lets the OS choose one (the lab's own default is port 0). */
    private static final Map<NodeKind, Integer> DEFAULT_PORT = Map.of(NodeKind.NGINX, 8080, NodeKind.GATEWAY, 8081,
            NodeKind.TOMCAT, 8082, NodeKind.LVS, 8083, NodeKind.DNS, 5353);

    private ScenarioExporter() {
    }

    /** Each node's "host:port" as the export uses it: the lab's address plan, with a fixed port where the lab lets the OS choose. */
    public static Map<String, String> addresses(Scenario scenario) {
        AddressPlan plan = new AddressPlan(true);
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> used = new LinkedHashMap<>();
        for (NodeSpec n : scenario.nodes()) {
            if (n.kind() == NodeKind.EXTERNAL && n.config() instanceof ExternalConfig ec && ec.address() != null) {
                out.put(n.id(), ec.address());
                continue;
            }
            if (n.kind() == NodeKind.CLIENT || n.kind() == NodeKind.EXTERNAL) {
                continue;
            }
            InetSocketAddress a = plan.assign(n);
            String host = a.getAddress().getHostAddress();
            int port = a.getPort() != 0 ? a.getPort() : DEFAULT_PORT.getOrDefault(n.kind(), 8090);
            // With one shared 127.0.0.1 (no distinct loopback), keep ports distinct.
            while (used.containsKey(host + ":" + port)) {
                port++;
            }
            used.put(host + ":" + port, 1);
            out.put(n.id(), host + ":" + port);
        }
        return out;
    }

    /**
     * Each HA group's VIP "host:port" as the export uses it: the file's vip, else the lab's plan (127.0.10.(200+n),
     * 127.0.0.1 without distinct loopback); the port is the file's, else the first member's port in the export.
     */
    public static Map<String, String> vips(Scenario scenario, Map<String, String> addresses) {
        Map<String, String> out = new LinkedHashMap<>();
        int index = 0;
        for (HaGroup g : scenario.haGroups()) {
            String host;
            Integer port = null;
            if (g.vip() != null && !g.vip().isBlank()) {
                int colon = g.vip().lastIndexOf(':');
                host = colon > 0 ? g.vip().substring(0, colon) : g.vip();
                if (colon > 0 && !g.vip().endsWith(":0")) {
                    port = Integer.parseInt(g.vip().substring(colon + 1));
                }
            } else {
                host = "127.0.10." + (200 + index);
            }
            if (port == null) {
                String first = g.members().isEmpty() ? null : addresses.get(g.members().get(0).node());
                port = first == null ? 80 : KeepalivedExporter.port(first);
            }
            out.put(g.id(), host + ":" + port);
            index++;
        }
        return out;
    }

    /** Writes the files; returns the paths written, relative to dir. */
    public static List<Path> export(Scenario scenario, Path dir) {
        Path root = dir.toAbsolutePath();
        Map<String, String> addresses = addresses(scenario);
        List<Path> written = new ArrayList<>();
        for (NodeSpec n : scenario.nodesOfKind(NodeKind.NGINX)) {
            write(root, Path.of("nginx", n.id() + ".conf"), NginxExporter.export(n, addresses.get(n.id()), addresses, root,
                    scenario.downstreamOf(n.id()).stream().map(NodeSpec::id).toList()), written);
            // nginx creates the last level of a temp path but not its parents, and never the log folder.
            mkdirs(root.resolve("run").resolve(n.id()).resolve("logs"));
            mkdirs(root.resolve("run").resolve(n.id()).resolve("temp"));
            mkdirs(root.resolve("run").resolve(n.id()).resolve("cache"));
        }
        Map<String, String> vips = vips(scenario, addresses);
        for (NodeSpec n : scenario.nodes()) {
            if (KeepalivedExporter.runsKeepalived(scenario, n)) {
                write(root, Path.of("keepalived", n.id() + ".conf"), KeepalivedExporter.export(scenario, n, addresses, vips), written);
            }
        }
        for (NodeSpec n : scenario.nodesOfKind(NodeKind.LVS)) {
            String vip = scenario.haGroupOf(n.id()).map(g -> vips.get(g.id())).orElse(addresses.get(n.id()));
            write(root, Path.of("ipvsadm", n.id() + ".rules"), IpvsadmExporter.export(scenario, n, vip, addresses), written);
        }
        for (NodeSpec n : scenario.nodesOfKind(NodeKind.DNS)) {
            write(root, Path.of("dns", DnsExporter.zoneName(n) + ".zone"), DnsExporter.zoneFile(scenario, n, addresses, vips), written);
            write(root, Path.of("dns", n.id() + "-nsd.conf"), DnsExporter.nsdConf(n, addresses.get(n.id()), root), written);
            mkdirs(root.resolve("run").resolve(n.id()));
        }
        for (NodeSpec n : scenario.nodesOfKind(NodeKind.TOMCAT)) {
            write(root, Path.of("tomcat", n.id() + "-server.xml"), TomcatExporter.export(n, addresses.get(n.id())), written);
        }
        for (NodeSpec n : scenario.nodesOfKind(NodeKind.GATEWAY)) {
            write(root, Path.of("gateway", n.id() + ".yml"), GatewayExporter.export(scenario, n, addresses.get(n.id()), addresses), written);
        }
        write(root, Path.of("docker-compose.yml"), ComposeExporter.export(scenario, root), written);
        for (Map.Entry<String, String> k : KubernetesExporter.export(scenario).entrySet()) {
            write(root, Path.of("k8s", k.getKey()), k.getValue(), written);
        }
        write(root, Path.of("README.md"), readme(scenario), written);
        return written;
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path root, Path rel, String text, List<Path> written) {
        try {
            Path file = root.resolve(rel);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            written.add(rel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(rel) + ": " + e.getMessage(), e);
        }
    }

    private static String readme(Scenario s) {
        return "# " + (s.name() == null ? "Exported scenario" : s.name()) + "\n\n"
                + "Exported by Request Flow Lab (`lab export`, or File -> Export in the app): the same design and settings the lab "
                + "runs, as the real software's configuration. Every node listens on the loopback address the lab's address plan "
                + "gives it (where the lab lets the OS choose a port, the export fixes one), so the files work together on one "
                + "Linux host; for real machines these addresses are placeholders, marked so in each file.\n\n"
                + "| Files | Software | Check |\n|---|---|---|\n"
                + "| `nginx/NODE.conf` | nginx 1.22 | `nginx -t -c $PWD/nginx/NODE.conf` |\n"
                + "| `keepalived/NODE.conf` | keepalived 2.2 (HA members, LVS directors) | `keepalived -t -f keepalived/NODE.conf` |\n"
                + "| `ipvsadm/NODE.rules` | ipvsadm (LVS directors) | no dry run exists: `ipvsadm-restore < FILE` clears and loads the "
                + "kernel's table (root, ip_vs module). The lab's test suite checks these files by parsing them back with "
                + "ipvsadm's grammar |\n"
                + "| `dns/ZONE.zone`, `dns/NODE-nsd.conf` | nsd 4 (the zone also loads in BIND) | `nsd-checkzone ZONE dns/ZONE.zone`, "
                + "`nsd-checkconf dns/NODE-nsd.conf` |\n"
                + "| `tomcat/NODE-server.xml` | Tomcat 10 | copy to `BASE/conf/server.xml`, then `CATALINA_BASE=BASE catalina.sh configtest` |\n"
                + "| `gateway/NODE.yml` | Spring Cloud Gateway 4 (`application.yml`) | none here: the gateway is an application to "
                + "build (with spring-cloud-starter-gateway, spring-cloud-starter-circuitbreaker-reactor-resilience4j and, for "
                + "RequestRateLimiter, Redis); no real gateway runs in the lab's CI, which checks the file's YAML structure |\n"
                + "| `docker-compose.yml` | Docker Compose | `docker compose config` (or `docker-compose config`) |\n"
                + "| `k8s/NODE.yaml`, `k8s/kustomization.yaml`, `k8s/kube-proxy-ipvs.yaml` | Kubernetes | `kubectl apply -k k8s/ --dry-run=server` "
                + "(a cluster is needed; the lab's test suite checks the objects' structure: selectors, labels, ports, ConfigMaps) |\n\n"
                + "## What each file simplifies\n\n"
                + "- **nginx**: the lab's cache counts entries (keys_zone capacity); nginx sizes keys_zone in bytes (about 8000 keys "
                + "per MB). The lab's per-entry size limit has no nginx directive. A root of \"\" is the lab's built-in demo site; "
                + "the export points it at `site/` here. pid, logs, temp and cache paths are absolute under `run/NODE` here.\n"
                + "- **keepalived**: keepalived refuses VRRP on a loopback interface, so each vrrp_instance names `eth0`, a "
                + "placeholder for the NIC that carries the VIP. The lab does not authenticate adverts (VRRPv3 has no "
                + "authentication); a VRRPv2 instance carries whole-second advert_int, so a shorter lab interval is rounded and "
                + "said so. The track_script is the lab's check, a TCP connect to the member's own listener, written as a bash "
                + "`/dev/tcp` probe. For direct routing, real servers keep the VIP's port and need the VIP on their own `lo` "
                + "(arp_ignore/arp_announce), which the lab does not need on loopback.\n"
                + "- **ipvsadm**: the connection-table timeouts (`ipvsadm --set`) and sloppy_tcp (a sysctl) are not rules; they "
                + "are the commands to run, in comments. The lab's table bound (maxConnectionEntries) and Maglev table size have "
                + "no ipvsadm option (the kernel's table is bounded by memory; IPVS's mh table size is a build option).\n"
                + "- **DNS**: the lab's healthAware (leave out a VIP whose director is down) is a GSLB's job; the zone lists every "
                + "VIP. nsd rotates answers (round-robin) but does not shuffle them (the lab's random). The lab's tcp: false "
                + "(UDP only) has no nsd setting.\n"
                + "- **Tomcat**: only the connector is exported; the lab's serviceTime is the application's own work and its demo "
                + "servlets are not exported, so a real Tomcat serves nothing until an application is deployed.\n"
                + "- **Gateway**: the lab reaches its Tomcats over its own RPC protocol; the exported routes call them over HTTP. "
                + "Risk control, authentication and traffic shaping have no Spring Cloud Gateway built-in filter (a custom filter, "
                + "Spring Security, Resilience4J's Bulkhead); least_conn / ip_hash and passive health (maxFails) have no Spring "
                + "Cloud LoadBalancer equivalent; credentials are not exported. All of these are comments in the file.\n"
                + "- **docker-compose.yml**: every service uses the host's network, so the loopback addresses above work on one "
                + "Linux host (not in Docker Desktop's VM). What compose would need that the lab does not model: a network per "
                + "tier with service names instead of loopback addresses, an application in each Tomcat, the gateway built as an "
                + "image, and for keepalived (behind `--profile keepalived`) a real NIC, NET_ADMIN and, for a director, the ip_vs "
                + "kernel module. A VIP moving between containers on one host is not what it is between machines.\n"
                + "- **Kubernetes** (`k8s/`): a Deployment (one replica: the lab node is one process) and a Service per Nginx and Tomcat, "
                + "the nginx.conf and server.xml as ConfigMaps, upstreams addressed by Service name. A layer-4 director is a Service: "
                + "kube-proxy in IPVS mode is the director on every node, its scheduler and timeouts cluster-wide in "
                + "`kube-proxy-ipvs.yaml` (not a resource: kube-proxy's own configuration); it always forwards by NAT, real-server "
                + "weights and thresholds have no Service equivalent, persistence is sessionAffinity ClientIP, and the director's "
                + "health check is each real server's readiness probe. An HA group is one Service over its members (no master, "
                + "priority or preemption). A DNS node is a CoreDNS serving the exported zone, whose A records are placeholders for "
                + "the LoadBalancer Services' addresses. The gateway has a ConfigMap and a Service but no Deployment (its image is "
                + "yours to build). Every one of these is a comment in the file where it applies.\n";
    }
}
