package dev.flowlab.client;

import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.util.List;

/** Small topologies for the client's tests: one client linked to one (test) Tomcat. */
public final class Scenarios {
    private Scenarios() {
    }

    public static Scenario clientAndServer(String serverId, ClientConfig clientConfig, List<ScriptStep> script) {
        return new Scenario(Scenario.FORMAT, "client-test", null,
                List.of(new NodeSpec("client-1", NodeKind.CLIENT, null, null, null, clientConfig),
                        NodeSpec.of(serverId, NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client-1", serverId)), Traffic.DEFAULT, script);
    }

    public static Scenario clientAndServer(String serverId) {
        return clientAndServer(serverId, ClientConfig.EMPTY, null);
    }
}
