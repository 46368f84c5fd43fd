package dev.flowlab.cli;

import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Scenario;
import java.io.PrintWriter;

/** Loads the SCENARIO argument of a command, printing its problems as file:line:column: message. */
final class ScenarioArg {
    private ScenarioArg() {
    }

    /** The scenario, or null after printing why it cannot be loaded. */
    static Scenario load(String nameOrPath, PrintWriter err) {
        try {
            return ScenarioLibrary.load(nameOrPath);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println(p));
            return null;
        }
    }
}
