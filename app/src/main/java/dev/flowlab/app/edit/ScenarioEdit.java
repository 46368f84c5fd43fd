package dev.flowlab.app.edit;

import dev.flowlab.topology.Scenario;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One undoable edit: a label for the Edit menu ("Move 3 nodes") and the change it makes to an
 * immutable scenario. Consecutive edits with the same non-null {@code mergeKey} become one undo
 * step (a keyboard nudge repeated, a value typed in twice), as Scene Builder merges moves.
 */
public record ScenarioEdit(String label, UnaryOperator<Scenario> change, String mergeKey) {
    public ScenarioEdit {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(change, "change");
    }

    public static ScenarioEdit of(String label, UnaryOperator<Scenario> change) {
        return new ScenarioEdit(label, change, null);
    }

    public Scenario applyTo(Scenario scenario) {
        return change.apply(scenario);
    }
}
