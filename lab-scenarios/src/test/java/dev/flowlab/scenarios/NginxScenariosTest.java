package dev.flowlab.scenarios;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.balance.PeerStatus;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.nginx.NginxServer;
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
}
