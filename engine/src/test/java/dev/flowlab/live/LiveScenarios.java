package dev.flowlab.live;

import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The topologies the live view's engine tests run: the default's shape, and LVS in front of it. */
public final class LiveScenarios {
    private LiveScenarios() {
    }

    /** client -> nginx-1 -> tomcat-1..n (the library's default scenario, built here since the library is not on the engine's classpath). */
    public static Scenario nginxTomcats(int tomcats, double rps) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(NodeSpec.of("nginx-1", NodeKind.NGINX));
        links.add(LinkSpec.of("client", "nginx-1"));
        addTomcats(nodes, links, List.of("nginx-1"), tomcats);
        return new Scenario(Scenario.FORMAT, "nginx and tomcats", null, nodes, links, traffic(rps), null);
    }

    /** client -> lvs (mode) -> nginx-1 -> tomcat-1..2. */
    public static Scenario lvsInFront(String mode, double rps) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(NodeSpec.of("lvs", NodeKind.LVS).withConfig(LvsConfig.of(mode, "rr").withHealthCheck(HealthCheck.DEFAULT.withType("NONE"))));
        nodes.add(NodeSpec.of("nginx-1", NodeKind.NGINX));
        links.add(LinkSpec.of("client", "lvs"));
        links.add(LinkSpec.of("lvs", "nginx-1"));
        addTomcats(nodes, links, List.of("nginx-1"), 2);
        return new Scenario(Scenario.FORMAT, "lvs " + mode, null, nodes, links, traffic(rps), null);
    }

    private static void addTomcats(List<NodeSpec> nodes, List<LinkSpec> links, List<String> from, int n) {
        for (int i = 1; i <= n; i++) {
            nodes.add(NodeSpec.of("tomcat-" + i, NodeKind.TOMCAT)
                    .withConfig(TomcatConfig.EMPTY.withServiceTime(ServiceTime.fixed(Duration.ofMillis(2)))));
            for (String f : from) {
                links.add(LinkSpec.of(f, "tomcat-" + i));
            }
        }
    }

    public static Traffic traffic(double rps) {
        return new Traffic("open", rps, null, null, null);
    }
}
