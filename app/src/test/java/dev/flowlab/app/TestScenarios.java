package dev.flowlab.app;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.List;

/** Small scenarios the app's tests run. */
public final class TestScenarios {
    private TestScenarios() {
    }

    /** client -> tomcat-1; the tomcat at {@code tomcatAddress} when not null. */
    public static Scenario clientToTomcat(String tomcatAddress) {
        return new Scenario(Scenario.FORMAT, "one tomcat", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, "Tomcat 1", null, tomcatAddress, null)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null);
    }
}
