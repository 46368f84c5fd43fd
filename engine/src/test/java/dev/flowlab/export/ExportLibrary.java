package dev.flowlab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The library scenarios (read as files from the lab-scenarios module), each exported into a folder; and the real tools. */
final class ExportLibrary {
    private ExportLibrary() {
    }

    /** File name -> scenario, for every library scenario. */
    static Map<String, Scenario> scenarios() throws Exception {
        List<Path> files;
        try (var list = Files.list(Path.of("..", "lab-scenarios"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        Map<String, Scenario> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.put(f.getFileName().toString(), ScenarioLibrary.load(f.toString()));
        }
        return out;
    }

    static Path tool(String... candidates) {
        for (String p : candidates) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    static void skipped(String tool, String what) {
        System.err.println("*** SKIPPED: no " + tool + " installed; " + what + " were not checked ***");
    }

    /** Runs a command; returns its exit code and output. */
    record Run(int exit, String output) {
    }

    static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": did not finish");
        }
        return new Run(p.exitValue(), text);
    }

    static void assertAccepted(Run r, String what, Path file) throws IOException {
        assertEquals(0, r.exit(), what + " refused:\n" + r.output() + "\n--- " + file + "\n" + Files.readString(file));
    }
}
