package dev.flowlab.export;

import static dev.flowlab.export.GatewayExporter.q;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes docker-compose.yml wiring the exported files into the real software's images: nginx:1.22 per Nginx, tomcat:10
 * per Tomcat, nsd per DNS node and keepalived per HA member or director (Debian's packages in debian:bookworm-slim:
 * neither has an official image). Every service uses the host's network, so the lab's loopback addresses in the exported
 * files work unchanged on a Linux host; the export folder is mounted at its own absolute path, which the nginx and nsd
 * files name. keepalived changes the host's network (the VIP, IPVS), so its services are behind the "keepalived" profile.
 */
public final class ComposeExporter {
    public static final String NGINX_IMAGE = "nginx:1.22";
    public static final String TOMCAT_IMAGE = "tomcat:10";
    public static final String DEBIAN_IMAGE = "debian:bookworm-slim";

    private ComposeExporter() {
    }

    public static String export(Scenario s, Path dir) {
        String root = dir.toAbsolutePath().toString();
        StringBuilder b = new StringBuilder();
        b.append("# docker-compose.yml for '").append(s.name() == null ? "the scenario" : s.name()).append("', exported by Request Flow Lab.\n");
        b.append("# Check: docker compose config (or docker-compose config)   Run: docker compose up   (keepalived too: docker compose --profile keepalived up)\n");
        b.append("# network_mode host: the lab's loopback addresses in the exported files work unchanged on one Linux host. For a\n");
        b.append("# real cluster give each service its host's address instead (and a VIP of the hosts' subnet), see README.md.\n");
        b.append("# The Tomcats run no application: deploy yours into each one's webapps (the lab's demo servlets are not exported).\n");
        b.append("# The gateway is a Spring Cloud Gateway application to build (gateway/NODE.yml is its application.yml): no service here.\n");
        b.append("services:\n");
        for (NodeSpec n : s.nodes()) {
            switch (n.kind()) {
                case NGINX -> {
                    service(b, n.id(), NGINX_IMAGE);
                    b.append("    command: [\"nginx\", \"-c\", ").append(q(root + "/nginx/" + n.id() + ".conf")).append("]\n");
                    b.append("    volumes:\n      - ").append(q(root + ":" + root)).append('\n');
                    dependsOn(b, s, n);
                }
                case TOMCAT -> {
                    service(b, n.id(), TOMCAT_IMAGE);
                    b.append("    volumes:\n      - ").append(q(root + "/tomcat/" + n.id() + "-server.xml:/usr/local/tomcat/conf/server.xml:ro"))
                            .append('\n');
                }
                case DNS -> {
                    service(b, n.id(), DEBIAN_IMAGE);
                    b.append("    # nsd has no official image: Debian's package\n");
                    b.append("    command: [\"sh\", \"-c\", ").append(q("apt-get update -qq && apt-get install -y -qq nsd >/dev/null && exec nsd -d -c "
                            + root + "/dns/" + n.id() + "-nsd.conf")).append("]\n");
                    b.append("    volumes:\n      - ").append(q(root + ":" + root)).append('\n');
                    dependsOn(b, s, n);
                }
                default -> {
                }
            }
            if (KeepalivedExporter.runsKeepalived(s, n)) {
                String name = n.kind() == NodeKind.LVS ? n.id() : n.id() + "-keepalived";
                service(b, name, DEBIAN_IMAGE);
                b.append("    # keepalived has no official image: Debian's package. It needs the host's ").append(KeepalivedExporter.INTERFACE)
                        .append(n.kind() == NodeKind.LVS ? " and the ip_vs kernel module" : "").append('\n');
                b.append("    profiles: [\"keepalived\"]\n");
                b.append("    cap_add: [\"NET_ADMIN\", \"NET_BROADCAST\", \"NET_RAW\"]\n");
                b.append("    command: [\"sh\", \"-c\", ").append(q("apt-get update -qq && apt-get install -y -qq keepalived ipvsadm >/dev/null && exec keepalived -n -l -f "
                        + root + "/keepalived/" + n.id() + ".conf")).append("]\n");
                b.append("    volumes:\n      - ").append(q(root + ":" + root)).append('\n');
            }
        }
        return b.toString();
    }

    private static void service(StringBuilder b, String name, String image) {
        b.append("  ").append(q(name)).append(":\n");
        b.append("    image: ").append(q(image)).append('\n');
        b.append("    network_mode: host\n");
    }

    /** The services this node sends to that compose runs (Nginx and Tomcat nodes). */
    private static void dependsOn(StringBuilder b, Scenario s, NodeSpec n) {
        List<String> deps = s.downstreamOf(n.id()).stream()
                .filter(d -> d.kind() == NodeKind.NGINX || d.kind() == NodeKind.TOMCAT).map(NodeSpec::id).distinct().toList();
        if (!deps.isEmpty()) {
            b.append("    depends_on: [").append(String.join(", ", deps.stream().map(GatewayExporter::q).toList())).append("]\n");
        }
    }

    /** For tests: the images the export uses. */
    public static Map<NodeKind, String> images() {
        return Map.of(NodeKind.NGINX, NGINX_IMAGE, NodeKind.TOMCAT, TOMCAT_IMAGE, NodeKind.DNS, DEBIAN_IMAGE);
    }
}
