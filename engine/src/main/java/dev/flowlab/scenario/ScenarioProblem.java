package dev.flowlab.scenario;

/**
 * One thing wrong with a scenario file, where an editor can jump to it. {@code line} and
 * {@code column} are 1-based; 0 means the position is unknown (the file could not be read at all).
 * {@code path} is a JSON path such as {@code $.nodes[1].config.maxThreads}, or null.
 * Path and message are always one line: control characters a file put in an id or a key are
 * escaped ({@code \n}, {@code \u0007}), and a very long message is cut.
 */
public record ScenarioProblem(String file, int line, int column, String path, String message) {

    public ScenarioProblem {
        path = ScenarioText.oneLine(path);
        message = ScenarioText.capped(ScenarioText.oneLine(message == null ? "" : message), ScenarioText.MESSAGE_MAX);
    }

    /** {@code file:line:column: message (at path)}, the compiler-like form editors and terminals link. */
    @Override
    public String toString() {
        return format(null);
    }

    /** The same line with a label before the message: {@code file:line:column: warning: message (at path)}. */
    public String toString(String label) {
        return format(label);
    }

    /** {@code text} with control characters escaped, so it prints as one line. */
    public static String oneLine(String text) {
        return ScenarioText.oneLine(text);
    }

    private String format(String label) {
        StringBuilder sb = new StringBuilder(ScenarioText.oneLine(String.valueOf(file)));
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (label != null) {
            sb.append(label).append(": ");
        }
        sb.append(message);
        if (path != null) {
            sb.append(" (at ").append(path).append(')');
        }
        return sb.toString();
    }
}
