package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lab import}: an nginx.conf becomes a scenario file that {@code lab run} runs, with nginx's balancing. */
class ImportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int lab(String... args) {
        return LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private int clockedLab(String... args) {
        LabWatch watch = new LabWatch();
        LabClock.Manual clock = LabClock.manual();
        CommandLine cl = LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                TestLabs.product().and(watch).parts(), LabOptions.defaults().withClock(clock));
        return new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> cl.execute(args), Duration.ofSeconds(30));
    }

    @Test
    void importedConfigRunsWithItsWeights_andTheReportNamesWhatWasNotMapped() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                events { worker_connections 1024; }
                http {
                    gzip on;
                    upstream app {
                        server 10.0.0.1:8080 weight=3;
                        server 10.0.0.2:8080;
                    }
                    server {
                        listen 80;
                        location / { proxy_pass http://app; }
                    }
                }
                """);
        Path scenario = dir.resolve("imported.json");
        assertThat(lab("import", dir.resolve("nginx.conf").toString(), "--to", scenario.toString())).isZero();
        assertThat(err.toString()).contains("nginx.conf:3: `gzip on` is not modelled by the lab");
        assertThat(out.toString()).contains("1 Nginx node(s), 2 upstream node(s)", "wrote " + scenario);
        Scenario s = ScenarioIO.read(scenario);
        assertThat(Files.readString(scenario)).isEqualTo(ScenarioIO.toJson(s));
        assertThat(s.nodesOfKind(NodeKind.TOMCAT)).hasSize(2);

        Path report = dir.resolve("report.json");
        assertThat(clockedLab("run", scenario.toString(), "--duration", "2s", "--rps", "200", "--report", report.toString(), "-q")).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("failed").asLong()).isZero();
        // smooth weighted round robin: 3 of every 4 to the weight-3 server
        long one = r.path("served_by").path("tomcat-1").asLong();
        long two = r.path("served_by").path("tomcat-2").asLong();
        assertThat(one + two).isEqualTo(400);
        assertThat(one).isEqualTo(300);
    }

    @Test
    void aSyntaxErrorExitsWith2AndSaysFileLineColumn() throws Exception {
        Files.writeString(dir.resolve("bad.conf"), "http {\n  server {\n    listen 8080\n  }\n}\n");
        assertThat(lab("import", dir.resolve("bad.conf").toString())).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("bad.conf:4:3: unexpected \"}\"");
        assertThat(lab("import", dir.resolve("bad.conf").toString(), "--upstreams", "lvs")).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("--upstreams is tomcat or external");
    }
}
