package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.RequestMix;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import dev.flowlab.topology.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioRoundTripTest {

    /** Sets every field the model has, so a field that does not survive a save shows up here. */
    static Scenario everyField() {
        return new Scenario(1, "Every field", "Uses \"every\" field once.\nSecond line.",
                List.of(
                        new NodeSpec("client", NodeKind.CLIENT, "Browsers", new Position(0, 100), null,
                                new ClientConfig(512, Duration.ofSeconds(5), Duration.ofMillis(1500), "shop.lab")),
                        new NodeSpec("dns-1", NodeKind.DNS, "DNS", new Position(150, 100), "127.0.0.1:0", null),
                        new NodeSpec("lvs-1", NodeKind.LVS, null, new Position(300.5, 100), null, null),
                        new NodeSpec("nginx-1", NodeKind.NGINX, "Nginx", new Position(450, 100), null, null),
                        new NodeSpec("gw-1", NodeKind.GATEWAY, "Gateway", new Position(600, 100), null, null),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, "Tomcat", new Position(750, 50), "127.0.0.1:18080",
                                new TomcatConfig(50, 5, 10, 100, Duration.ofSeconds(20), Duration.ofSeconds(15), 1,
                                        new ServiceTime("uniform", Duration.ofMillis(20), Duration.ofMillis(5),
                                                Duration.ofMillis(35), Duration.ofNanos(250_000)), "/srv/site")),
                        new NodeSpec("search", NodeKind.EXTERNAL, "Search", new Position(900, 150), null,
                                new ExternalConfig("127.0.0.1:9200"))),
                List.of(LinkSpec.of("client", "dns-1"), new LinkSpec("client", "lvs-1", "HTTP"), LinkSpec.of("dns-1", "lvs-1"),
                        LinkSpec.of("lvs-1", "nginx-1"), LinkSpec.of("nginx-1", "gw-1"), LinkSpec.of("gw-1", "tomcat-1"),
                        LinkSpec.of("tomcat-1", "search")),
                new Traffic("closed", 250.5, 16, Duration.ofMinutes(1), new RequestMix(1, 2, 7)),
                List.of(new ScriptStep(Duration.ofSeconds(5), "kill", "tomcat-1", Map.of()),
                        new ScriptStep(Duration.ofMillis(7500), "slow", "nginx-1", Map.of("delay", "200ms"))));
    }

    @Test
    void everyField_survivesWriteAndRead() throws Exception {
        Scenario original = everyField();
        String json = ScenarioIO.toJson(original);

        Scenario read = ScenarioIO.read(json, "every.json");

        assertThat(read).isEqualTo(original);
        assertThat(ScenarioIO.toJson(read)).isEqualTo(json);
    }

    @Test
    void canonicalText_isWrittenBackByteForByte() throws Exception {
        String canonical = """
                {
                  "format": 1,
                  "name": "Two tomcats",
                  "nodes": [
                    {
                      "id": "client",
                      "kind": "client",
                      "position": {
                        "x": 0,
                        "y": 0
                      }
                    },
                    {
                      "id": "tomcat-1",
                      "kind": "tomcat",
                      "label": "Tomcat \\"primary\\" in Zhejiang 浙江",
                      "config": {
                        "maxThreads": 8,
                        "serviceTime": {
                          "distribution": "exponential",
                          "mean": "1m"
                        }
                      }
                    }
                  ],
                  "links": [
                    {
                      "from": "client",
                      "to": "tomcat-1"
                    }
                  ],
                  "traffic": {
                    "rps": 200,
                    "duration": "10s"
                  }
                }
                """;

        assertThat(ScenarioIO.toJson(ScenarioIO.read(canonical, "two.json"))).isEqualTo(canonical);
    }

    @Test
    void canonicalForm_usesColonSpaceNewlinesAndNoEmptyPadding() {
        Scenario empty = new Scenario(Scenario.FORMAT, "empty", null, List.of(), List.of(), null, null);

        assertThat(ScenarioIO.toJson(empty)).isEqualTo("""
                {
                  "format": 1,
                  "name": "empty",
                  "nodes": [],
                  "links": []
                }
                """);
    }

    @Test
    void unsetConfigAndDefaults_areLeftOut() throws Exception {
        String json = ScenarioIO.toJson(new Scenario(Scenario.FORMAT, null, null,
                List.of(NodeSpec.of("tomcat-1", NodeKind.TOMCAT)), List.of(), Traffic.DEFAULT, null));

        assertThat(json).doesNotContain("config").doesNotContain("null").contains("\"traffic\": {}");
        assertThat(ScenarioIO.read(json, "t.json").nodes().get(0).config()).isEqualTo(TomcatConfig.EMPTY);
    }

    @Test
    void write_replacesTheFileAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.json");
        Files.writeString(file, "old content");

        ScenarioIO.write(file, everyField());

        assertThat(Files.readString(file)).isEqualTo(ScenarioIO.toJson(everyField()));
        assertThat(ScenarioIO.read(file)).isEqualTo(everyField());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop.json");
        }
    }

    @Test
    void library_loadsAFileByPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        ScenarioIO.write(file, everyField());

        assertThat(ScenarioLibrary.load(file.toString())).isEqualTo(everyField());
    }

    @Test
    void library_unknownName_saysWhatWasTried() {
        ScenarioException e = org.assertj.core.api.Assertions.catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLibrary.load("no-such-scenario.json"));

        assertThat(e.getMessage()).contains("no scenario file 'no-such-scenario.json'")
                .contains("no library scenario 'no-such-scenario' (flowlab/scenarios/no-such-scenario.json)");
    }
}
