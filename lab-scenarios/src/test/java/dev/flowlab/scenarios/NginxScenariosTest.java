package dev.flowlab.scenarios;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.balance.PeerStatus;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.nginx.NginxServer;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Nginx scenarios build the upstream blocks they describe (without starting anything). */
class NginxScenariosTest {
    private static Map<String, List<PeerStatus>> upstreams(String name) throws Exception {
        Scenario s = ScenarioLibrary.load(name);
        try (Lab lab = Stack.lab(s)) {
            return ((NginxServer) lab.node("nginx-1").orElseThrow()).upstreamStatus();
        }
    }

    private static List<String> servers(List<PeerStatus> peers) {
        return peers.stream().map(PeerStatus::name).toList();
    }

    @Test
    void nginxTomcats_oneUpstreamOfThreeTomcats() throws Exception {
        Map<String, List<PeerStatus>> u = upstreams("02-nginx-tomcats");
        assertThat(u).containsOnlyKeys("tomcats");
        assertThat(servers(u.get("tomcats"))).containsExactly("tomcat-1", "tomcat-2", "tomcat-3");
    }

    @Test
    void staticDynamic_proxiesTheDynamicPart() throws Exception {
        assertThat(servers(upstreams("04-static-dynamic").get("tomcats"))).containsExactly("tomcat-1", "tomcat-2");
    }

    @Test
    void internalBypass_internalGoesStraightToTomcats() throws Exception {
        Map<String, List<PeerStatus>> u = upstreams("05-internal-bypass");
        assertThat(servers(u.get("gateway"))).containsExactly("gateway-1");
        assertThat(servers(u.get("services"))).containsExactly("tomcat-1", "tomcat-2");
    }

    @Test
    void defaultScenario_nginxDefaultPoolIsEveryLinkedNode_theGateway() throws Exception {
        assertThat(servers(upstreams("default").get("nginx-1"))).containsExactly("gateway-1");
    }

    /**
     * nginx speaks HTTP/1.0 with Connection: close upstream unless proxy_http_version 1.1 and
     * proxy_set_header Connection "" are set; an upstream keepalive pool without them is never used.
     * Every library scenario with a keepalive pool writes both.
     */
    @Test
    void everyKeepalivePool_hasHttp11AndAnEmptyConnectionHeader() throws Exception {
        int pools = 0;
        for (String name : ScenarioLibrary.names()) {
            for (NodeSpec node : ScenarioLibrary.load(name).nodes()) {
                if (node.kind() != NodeKind.NGINX || node.configAs(NginxConfig.class) == null
                        || node.configAs(NginxConfig.class).upstreams() == null) {
                    continue;
                }
                NginxConfig c = node.configAs(NginxConfig.class);
                boolean keepalive = c.upstreams().stream().anyMatch(u -> u.keepalive() != null && u.keepalive() > 0);
                if (!keepalive) {
                    continue;
                }
                pools++;
                assertThat(c.proxyHttpVersion()).as("%s %s: proxyHttpVersion", name, node.id()).isEqualTo("1.1");
                assertThat(c.proxySetHeaders()).as("%s %s: proxySetHeaders", name, node.id())
                        .anyMatch(h -> h.replace(" ", "").equalsIgnoreCase("Connection:\"\"") || h.replace(" ", "").equalsIgnoreCase("Connection:"));
            }
        }
        assertThat(pools).as("scenarios 02, 04, 05 have keepalive pools").isGreaterThanOrEqualTo(3);
    }
}
