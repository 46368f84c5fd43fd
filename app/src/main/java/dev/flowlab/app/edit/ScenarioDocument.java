package dev.flowlab.app.edit;

import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The scenario being edited, its file and its edit history. Every change goes through
 * {@link #execute(ScenarioEdit)} and can be undone; {@link #problemsProperty()} holds the
 * engine's topology checks of the current scenario, recomputed on every change. Toolkit-free
 * (JavaFX properties only), so its tests need no display. Use from one thread (the FX thread).
 */
public final class ScenarioDocument {
    static final int HISTORY_LIMIT = 500;

    private record Step(String label, Scenario before, Scenario after, String mergeKey) {
    }

    private final ReadOnlyObjectWrapper<Scenario> scenario = new ReadOnlyObjectWrapper<>(this, "scenario");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final ReadOnlyObjectWrapper<ProblemIndex> problems = new ReadOnlyObjectWrapper<>(this, "problems", ProblemIndex.EMPTY);
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyStringWrapper undoLabel = new ReadOnlyStringWrapper(this, "undoLabel");
    private final ReadOnlyStringWrapper redoLabel = new ReadOnlyStringWrapper(this, "redoLabel");
    private final javafx.beans.property.ReadOnlyIntegerWrapper generation = new javafx.beans.property.ReadOnlyIntegerWrapper(this, "generation");
    private final Deque<Step> undo = new ArrayDeque<>();
    private final Deque<Step> redo = new ArrayDeque<>();
    private Scenario saved;

    public ScenarioDocument(Scenario initial, Path initialFile) {
        replace(initial, initialFile);
    }

    /** Starts over on another scenario (New, Open, recovery): history cleared, not dirty. */
    public void replace(Scenario next, Path nextFile) {
        undo.clear();
        redo.clear();
        saved = Objects.requireNonNull(next, "scenario");
        file.set(nextFile);
        show(next);
        generation.set(generation.get() + 1);
    }

    /** Counts {@link #replace}s: a view that shows "all of a new scenario" listens here. */
    public javafx.beans.property.ReadOnlyIntegerProperty generationProperty() {
        return generation.getReadOnlyProperty();
    }

    /** Like {@link #replace} but the content counts as unsaved (recovered work). */
    public void recover(Scenario recovered, Path originalFile, Scenario savedVersion) {
        replace(recovered, originalFile);
        saved = savedVersion;
        updateDirty();
    }

    /** Applies the edit and records it; an edit that changes nothing leaves no undo step. Returns true when something changed. */
    public boolean execute(ScenarioEdit edit) {
        Scenario before = scenario.get();
        Scenario after = edit.applyTo(before);
        if (after == null || after.equals(before)) {
            return false;
        }
        Step top = undo.peek();
        if (top != null && redo.isEmpty() && edit.mergeKey() != null && edit.mergeKey().equals(top.mergeKey())) {
            undo.pop();
            undo.push(new Step(edit.label(), top.before(), after, edit.mergeKey()));
        } else {
            undo.push(new Step(edit.label(), before, after, edit.mergeKey()));
            if (undo.size() > HISTORY_LIMIT) {
                undo.removeLast();
            }
        }
        redo.clear();
        show(after);
        return true;
    }

    public boolean undo() {
        Step step = undo.poll();
        if (step == null) {
            return false;
        }
        redo.push(step);
        show(step.before());
        return true;
    }

    public boolean redo() {
        Step step = redo.poll();
        if (step == null) {
            return false;
        }
        undo.push(step);
        show(step.after());
        return true;
    }

    /** The current content was written to {@code savedTo}. */
    public void markSaved(Scenario content, Path savedTo) {
        saved = content;
        file.set(savedTo);
        updateDirty();
    }

    public Scenario scenario() {
        return scenario.get();
    }

    public ReadOnlyObjectProperty<Scenario> scenarioProperty() {
        return scenario.getReadOnlyProperty();
    }

    public Path file() {
        return file.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    /** "Undo Move 3 nodes"'s "Move 3 nodes", or null when there is nothing to undo. */
    public ReadOnlyStringProperty undoLabelProperty() {
        return undoLabel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoLabelProperty() {
        return redoLabel.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ProblemIndex> problemsProperty() {
        return problems.getReadOnlyProperty();
    }

    public ProblemIndex problems() {
        return problems.get();
    }

    public List<String> undoLabels() {
        return undo.stream().map(Step::label).toList();
    }

    private void show(Scenario next) {
        // Problems first: whoever reacts to the new scenario finds its problems already there.
        problems.set(ProblemIndex.of(next, TopologyValidator.validate(next)));
        scenario.set(next);
        undoLabel.set(undo.isEmpty() ? null : undo.peek().label());
        redoLabel.set(redo.isEmpty() ? null : redo.peek().label());
        updateDirty();
    }

    private void updateDirty() {
        dirty.set(!Objects.equals(saved, scenario.get()));
    }

    /** For tests and the problems list: the engine's findings on the current scenario. */
    public List<TopologyProblem> problemList() {
        return problems.get().all();
    }
}
