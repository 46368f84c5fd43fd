package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every library scenario's docker-compose.yml parses as YAML into compose's shape: a service per Nginx, Tomcat, DNS
 * node and keepalived, each with an image, every mounted file one the export wrote, every depends_on a service.
 * {@code docker-compose config} runs too where compose is installed: Debian's docker-compose (1.29, installed by .ci/run)
 * validates a file without a docker daemon; without it the test says loudly that only the Java check ran. So that a
 * silent pass cannot hide a compose that accepts anything, a broken file must be refused first.
 */
class ComposeExportTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void everyLibraryScenarioExportsAComposeFileThatWiresTheExportedFiles() throws Exception {
        Path compose = ExportLibrary.tool("/usr/bin/docker-compose", "/usr/local/bin/docker-compose", "/usr/libexec/docker/cli-plugins/docker-compose",
                "/usr/local/lib/docker/cli-plugins/docker-compose");
        if (compose == null) {
            ExportLibrary.skipped("docker compose", "docker compose config on the exported docker-compose.yml (parsed here instead)");
        } else {
            Path broken = dir.resolve("broken.yml");
            Files.writeString(broken, "services:\n  web:\n    imagex: nginx\n");
            assertThat(config(compose, broken).exit()).as("docker-compose config must refuse an unknown key").isNotZero();
        }
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            Path file = out.resolve("docker-compose.yml");
            String text = Files.readString(file);
            String where = e.getKey() + ":\n" + text;
            Map<String, Object> y = new Yaml().load(text);
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) y.get("services");
            assertTrue(services != null && !services.isEmpty(), where);
            for (NodeSpec n : s.nodes()) {
                String image = ComposeExporter.images().get(n.kind());
                if (image != null) {
                    assertThat(services).as(where).containsKey(n.id());
                    assertEquals(image, services.get(n.id()).get("image"), where);
                }
                if (KeepalivedExporter.runsKeepalived(s, n)) {
                    String name = n.kind() == NodeKind.LVS ? n.id() : n.id() + "-keepalived";
                    assertThat(services).as(where).containsKey(name);
                    assertEquals(List.of("keepalived"), services.get(name).get("profiles"), where);
                }
            }
            for (Map.Entry<String, Map<String, Object>> svc : services.entrySet()) {
                Map<String, Object> v = svc.getValue();
                assertThat(v).as(where).containsKeys("image", "network_mode");
                for (String volume : (List<String>) v.getOrDefault("volumes", List.of())) {
                    assertTrue(Files.exists(Path.of(volume.split(":")[0])), where + ": mounts " + volume + " which the export did not write");
                }
                for (String dep : (List<String>) v.getOrDefault("depends_on", List.of())) {
                    assertThat(services).as(where).containsKey(dep);
                }
                List<String> command = (List<String>) v.get("command");
                if (command != null && command.get(0).equals("nginx")) {
                    assertTrue(Files.exists(Path.of(command.get(2))), where);
                }
            }
            if (compose != null) {
                ExportLibrary.assertAccepted(config(compose, file), e.getKey() + ": docker compose config", file);
                checked++;
            }
        }
        if (compose != null) {
            System.err.println("docker compose config (" + compose + ") accepted " + checked + " exported docker-compose.yml files");
        }
    }

    /** {@code docker-compose -f FILE config -q} (Debian's standalone compose; the plugin form is {@code docker compose}). */
    private static ExportLibrary.Run config(Path compose, Path file) throws Exception {
        return compose.getFileName().toString().equals("docker-compose") && !compose.toString().contains("cli-plugins")
                ? ExportLibrary.run(Map.of(), compose.toString(), "-f", file.toString(), "config", "-q")
                : ExportLibrary.run(Map.of(), compose.toString(), "compose", "-f", file.toString(), "config", "-q");
    }
}
