package dev.flowlab.app;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.List;

/**
 * Stand-in for the scenario library's "default" scenario (ScenarioLibrary.load("default")) until
 * that library is part of this build: one client sending to one Tomcat.
 */
final class DefaultScenario {
    static final String NAME = "default";

    private DefaultScenario() {
    }

    static Scenario load() {
        return new Scenario(Scenario.FORMAT, NAME, "A client talking to a single Tomcat: the first step of the story.",
                List.of(new NodeSpec("client", NodeKind.CLIENT, "Browser", null, null, null),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, "Tomcat 1", null, null, null)),
                List.of(LinkSpec.of("client", "tomcat-1")),
                null, null);
    }
}
