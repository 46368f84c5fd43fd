package dev.flowlab.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario file that cannot be used, with every problem found in it (at least one). */
public class ScenarioException extends Exception {
    private final List<ScenarioProblem> problems;

    public ScenarioException(List<ScenarioProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ScenarioException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ScenarioException(ScenarioProblem problem) {
        this(List.of(problem));
    }

    public List<ScenarioProblem> problems() {
        return problems;
    }

    /** Every problem, one per line, in the compiler-like form editors and terminals link. */
    @Override
    public String getMessage() {
        return problems.stream().map(ScenarioProblem::toString).collect(Collectors.joining("\n"));
    }
}
