package dev.flowlab.app;

import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.List;

/** Small scenarios the app's tests run. */
public final class TestScenarios {
    private TestScenarios() {
    }

    /** client -> tomcat-1 and tomcat-2, a keepalived pair (tomcat-1 priority 150, state MASTER; tomcat-2 100) with 100 ms VRRPv3 adverts. */
    public static Scenario tomcatPair() {
        HaGroup group = new HaGroup("pair", null, 7, Duration.ofMillis(100), 3,
                List.of(HaMember.of("tomcat-1", 150).withState("MASTER"), HaMember.of("tomcat-2", 100)), null);
        return new Scenario(Scenario.FORMAT, "tomcat pair", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT),
                        NodeSpec.of("tomcat-2", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null, List.of(group));
    }

    /** client -> tomcat-1; the tomcat at {@code tomcatAddress} when not null. */
    public static Scenario clientToTomcat(String tomcatAddress) {
        return new Scenario(Scenario.FORMAT, "one tomcat", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, "Tomcat 1", null, tomcatAddress, null)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null);
    }
}
