package dev.flowlab.app;

import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Scenario;

/** The scenario the app opens on first launch: the library's "default" (the Taobao question). */
final class DefaultScenario {
    static final String NAME = "default";

    private DefaultScenario() {
    }

    static Scenario load() {
        try {
            return ScenarioLibrary.load(NAME);
        } catch (ScenarioException e) {
            throw new IllegalStateException("the default scenario in the library is broken: " + e.getMessage(), e);
        }
    }
}
