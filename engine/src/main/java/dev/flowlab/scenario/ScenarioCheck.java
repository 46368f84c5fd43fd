package dev.flowlab.scenario;

import dev.flowlab.topology.Scenario;
import java.util.List;

/**
 * Everything a read found: the scenario (null when the file could not be bound at all), its
 * errors and its warnings. Unlike {@link ScenarioIO#read}, a check never throws, so an editor
 * can open a half-built topology (an nginx not wired yet) and show what is missing.
 */
public record ScenarioCheck(Scenario scenario, List<ScenarioProblem> errors, List<ScenarioProblem> warnings) {

    public ScenarioCheck {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
