package dev.flowlab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every library scenario's exported nginx.conf passes the real nginx's {@code nginx -t}. */
class NginxExportCheckTest {
    @TempDir
    Path dir;

    static Path nginx() {
        for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    void everyLibraryScenarioExportsAnNginxConfThatNginxAccepts() throws Exception {
        Path nginx = nginx();
        if (nginx == null) {
            System.err.println("*** SKIPPED: no nginx binary installed; the exported nginx.conf files were not checked ***");
        }
        assumeTrue(nginx != null, "no nginx binary");
        int checked = 0;
        // The library lives in the lab-scenarios module; from the engine module it is read as files.
        List<Path> files;
        try (var list = Files.list(Path.of("..", "lab-scenarios"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Scenario s = ScenarioLibrary.load(file.toString());
            Path out = dir.resolve(name);
            ScenarioExporter.export(s, out);
            for (var n : s.nodesOfKind(NodeKind.NGINX)) {
                Files.createDirectories(out.resolve("run").resolve(n.id()).resolve("logs"));
                Path conf = out.resolve("nginx").resolve(n.id() + ".conf");
                Process p = new ProcessBuilder(nginx.toString(), "-t", "-q", "-c", conf.toString())
                        .redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes());
                p.waitFor(60, TimeUnit.SECONDS);
                assertEquals(0, p.exitValue(), name + " / " + n.id() + ": nginx -t refused:\n" + text + "\n" + Files.readString(conf));
                checked++;
            }
        }
        assumeTrue(checked > 0, "no library scenario has an Nginx node");
    }
}
