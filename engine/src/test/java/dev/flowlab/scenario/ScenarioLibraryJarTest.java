package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged app finds its library inside a jar, not in a directory as the build's tests do. */
class ScenarioLibraryJarTest {

    @Test
    void namesAndLoad_workFromAJar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("scenarios.jar");
        String scenario = "{\"format\": 1, \"name\": \"from a jar\"}";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("flowlab/", "flowlab/scenarios/", "flowlab/scenarios/b-second.json",
                    "flowlab/scenarios/a-first.json", "flowlab/scenarios/readme.txt", "flowlab/scenarios/old/c.json")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(scenario.getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            thread.setContextClassLoader(loader);

            assertThat(ScenarioLibrary.names()).containsExactly("a-first", "b-second");
            assertThat(ScenarioLibrary.load("b-second").name()).isEqualTo("from a jar");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
