package dev.flowlab.scenario;

/**
 * One thing wrong with a scenario file, where an editor can jump to it. {@code line} and
 * {@code column} are 1-based; 0 means the position is unknown (the file could not be read at all).
 * {@code path} is a JSON path such as {@code $.nodes[1].config.maxThreads}, or null.
 */
public record ScenarioProblem(String file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ").append(message);
        if (path != null) {
            sb.append(" (at ").append(path).append(')');
        }
        return sb.toString();
    }
}
