package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes scenario files. Reading is strict (unknown fields, wrong types, duplicate
 * keys, bad ranges, impossible topologies are errors) and reports every problem with file, line,
 * column and JSON path. Writing produces the canonical form: {@code toJson(read(f))} is byte for
 * byte the file, so "open, save" shows no diff.
 */
public final class ScenarioIO {
    private ScenarioIO() {
    }

    public static Scenario read(Path file) throws ScenarioException {
        return orThrow(check(file));
    }

    public static Scenario read(String json, String sourceName) throws ScenarioException {
        return orThrow(check(json, sourceName));
    }

    /** Every error and warning, without throwing; the scenario is there whenever the file could be bound. */
    public static ScenarioCheck check(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            ScenarioProblem p = new ScenarioProblem(file.toString(), 0, 0, null, "cannot read the file: " + describe(e));
            return new ScenarioCheck(null, java.util.List.of(p), java.util.List.of());
        }
        return check(text, file.toString());
    }

    public static ScenarioCheck check(String json, String sourceName) {
        return new ScenarioReader(sourceName).check(json);
    }

    /** The canonical text: 2-space indentation, {@code "key": value}, one array element per line, final newline. */
    public static String toJson(Scenario scenario) {
        try {
            return ScenarioJson.MAPPER.writer(ScenarioJson.canonicalPrinter()).writeValueAsString(scenario) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scenario '" + scenario.name() + "' as JSON", e);
        }
    }

    /** Writes atomically: readers (and a crash) see the old file or the new one, never half of it. */
    public static void write(Path file, Scenario scenario) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temp, toJson(scenario), StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Scenario orThrow(ScenarioCheck check) throws ScenarioException {
        if (!check.ok()) {
            throw new ScenarioException(check.errors());
        }
        return check.scenario();
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
