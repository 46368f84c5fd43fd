package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

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

    /**
     * Every error and warning, without throwing; the scenario is there whenever the file could be
     * bound. A file over {@link ScenarioLimits#MAX_FILE_BYTES} is refused before it is read, and
     * no more than that is ever read (a device or a pipe that never ends included).
     */
    public static ScenarioCheck check(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > ScenarioLimits.MAX_FILE_BYTES) {
                return refused(name, tooBig("the file is " + ScenarioLimits.bytes(size)) + ", so it was not read");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(ScenarioLimits.MAX_FILE_BYTES + 1);
            }
        } catch (IOException e) {
            ScenarioProblem p = new ScenarioProblem(name, 0, 0, null, "cannot read the file: " + describe(e));
            return new ScenarioCheck(null, List.of(p), List.of());
        }
        if (bytes.length > ScenarioLimits.MAX_FILE_BYTES) {
            return refused(name, tooBig("the file is larger than " + ScenarioLimits.bytes(ScenarioLimits.MAX_FILE_BYTES)));
        }
        return check(bytes, name);
    }

    public static ScenarioCheck check(String json, String sourceName) {
        if (json.length() > ScenarioLimits.MAX_FILE_BYTES) {
            return refused(sourceName, tooBig("the scenario is " + ScenarioLimits.count(json.length()) + " characters long"));
        }
        return new ScenarioReader(sourceName).check(json);
    }

    /** The bytes of a file (or a resource): UTF-8, then JSON. */
    static ScenarioCheck check(byte[] bytes, String sourceName) {
        if (bytes.length > ScenarioLimits.MAX_FILE_BYTES) {
            return refused(sourceName, tooBig("the file is " + ScenarioLimits.bytes(bytes.length)));
        }
        String text;
        try {
            text = ScenarioText.decodeUtf8(bytes);
        } catch (ScenarioText.NotUtf8 e) {
            return new ScenarioCheck(null, List.of(new ScenarioProblem(sourceName, e.line, e.column, null, e.getMessage())), List.of());
        }
        return new ScenarioReader(sourceName).check(text);
    }

    private static String tooBig(String what) {
        return what + "; a scenario file may be at most " + ScenarioLimits.bytes(ScenarioLimits.MAX_FILE_BYTES);
    }

    private static ScenarioCheck refused(String sourceName, String message) {
        return new ScenarioCheck(null, List.of(new ScenarioProblem(sourceName, 1, 1, null, message)), List.of());
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
