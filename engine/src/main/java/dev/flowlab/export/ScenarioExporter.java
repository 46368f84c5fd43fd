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
 * {@code lab export}: writes a scenario as the real software's configuration. Today: nginx/NODE.conf for every Nginx
 * node and a README.md saying what maps one to one and what does not.
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
            write(root, Path.of("nginx", n.id() + ".conf"), NginxExporter.export(n, addresses.get(n.id()), addresses, root), written);
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
                + "Exported by Request Flow Lab (`lab export`).\n\n"
                + "## What maps one to one\n\n"
                + "- `nginx/NODE.conf`: upstreams (servers, weight, max_fails, fail_timeout, backup, down, max_conns, keepalive, "
                + "the balancing method), locations (proxy_pass, root, proxy_cache), timeouts, proxy_next_upstream. Each file runs "
                + "standalone: `nginx -c $PWD/nginx/NODE.conf` (pid, logs, temp and cache paths are absolute under this folder; "
                + "the export creates `run/NODE/logs` and `run/NODE/temp`).\n"
                + "- Addresses: every node listens on the loopback address the lab's address plan gives it; where the lab lets "
                + "the OS choose a port, the export fixes one.\n\n"
                + "## What does not\n\n"
                + "- The lab's cache counts entries (keys_zone capacity); nginx sizes keys_zone in bytes (about 8000 keys per MB). "
                + "The lab's per-entry size limit has no nginx directive. Both are written as comments.\n"
                + "- A root of \"\" is the lab's built-in demo site; the export points it at `site/` in this folder.\n"
                + "- Not exported yet: keepalived, DNS zones, Tomcat server.xml, gateway application.yml, docker-compose.yml.\n";
    }
}
