package dev.flowlab.topology;

/**
 * Something wrong (ERROR: the lab cannot run it) or doubtful (WARNING: it runs, but probably not
 * as meant) in a topology. {@code nodeId} and {@code linkIndex} say what to highlight on the
 * canvas (either may be null); {@code path} is the JSON path in the scenario file, e.g.
 * {@code $.nodes[2]} or {@code $.links[0].to}.
 */
public record TopologyProblem(Severity severity, String nodeId, Integer linkIndex, String path, String message) {

    public enum Severity {
        ERROR,
        WARNING
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message + " (at " + path + ")";
    }
}
