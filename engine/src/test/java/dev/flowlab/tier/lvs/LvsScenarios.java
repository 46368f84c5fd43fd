package dev.flowlab.tier.lvs;

import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.HealthCheck;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.List;

/** Topologies for the director's tests: client -> lvs -> nginx-1..n, with the Nginx kind served by {@link HttpStubTier}. */
final class LvsScenarios {
    private LvsScenarios() {
    }

    /** Labs whose Nginx kind is served by a fresh {@link HttpStubTier}. */
    static TestLabs stubNginx() {
        return stubNginx(new HttpStubTier());
    }

    /** Labs whose Nginx kind is served by this stub (a test that sets its statuses keeps it). */
    static TestLabs stubNginx(HttpStubTier httpStub) {
        return TestLabs.with(NodeKind.NGINX, httpStub);
    }

    /** No health check unless the test asks for one, so only the behaviour under test moves servers. */
    static LvsConfig config(String mode, String scheduler) {
        return LvsConfig.of(mode, scheduler).withHealthCheck(HealthCheck.DEFAULT.withType("NONE"));
    }

    static Scenario director(LvsConfig config, int realServers) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(NodeSpec.of("lvs", NodeKind.LVS).withConfig(config));
        links.add(LinkSpec.of("client", "lvs"));
        for (int i = 1; i <= realServers; i++) {
            nodes.add(NodeSpec.of("nginx-" + i, NodeKind.NGINX));
            links.add(LinkSpec.of("lvs", "nginx-" + i));
        }
        return new Scenario(Scenario.FORMAT, "lvs test", null, nodes, links, null, null);
    }
}
