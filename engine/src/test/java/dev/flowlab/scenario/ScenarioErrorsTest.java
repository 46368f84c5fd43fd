package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of mistake in a file, with the exact place a person (or an editor) is sent to. */
class ScenarioErrorsTest {

    private static ScenarioProblem onlyProblem(String json) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read(json, "shop.json"));
        assertThat(e).as("reading should fail").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    private static void assertAt(ScenarioProblem p, int line, int column, String path) {
        assertThat(p.file()).isEqualTo("shop.json");
        assertThat(List.of(p.line(), p.column())).as("line, column of " + p).containsExactly(line, column);
        assertThat(p.path()).isEqualTo(path);
    }

    @Test
    void unknownFieldInNestedConfig_isNamedWithTheKnownOnes() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {
                      "id": "tomcat-1",
                      "kind": "tomcat",
                      "config": {
                        "maxThread": 300
                      }
                    }
                  ]
                }
                """);

        assertAt(p, 8, 9, "$.nodes[0].config.maxThread");
        assertThat(p.message()).isEqualTo("unknown field 'maxThread' (known: acceptCount, connectionTimeout, docBase, "
                + "keepAliveTimeout, maxConnections, maxKeepAliveRequests, maxThreads, minSpareThreads, serviceTime)");
    }

    @Test
    void unknownTopLevelField_isAnError() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodez": []
                }
                """);

        assertAt(p, 3, 3, "$.nodez");
        assertThat(p.message()).startsWith("unknown field 'nodez' (known: format, name, description, nodes, links, traffic, script, haGroups)");
    }

    @Test
    void stringWhereANumberBelongs_isAWrongType() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    { "id": "tomcat-1", "kind": "tomcat", "config": { "maxThreads": "200" } }
                  ]
                }
                """);

        assertAt(p, 4, 55, "$.nodes[0].config.maxThreads");
        assertThat(p.message()).isEqualTo("expected a whole number, found the string \"200\"");
    }

    @Test
    void numberWhereAStringBelongs_isAWrongType() {
        ScenarioProblem p = onlyProblem("""
                {"format": 1, "nodes": [{"id": 7, "kind": "tomcat"}]}
                """);

        assertAt(p, 1, 26, "$.nodes[0].id");
        assertThat(p.message()).isEqualTo("expected a string, found the number 7");
    }

    @Test
    void badDuration_saysWhatADurationLooksLike() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {
                      "id": "tomcat-1",
                      "kind": "tomcat",
                      "config": {
                        "serviceTime": {
                          "mean": "5 parsecs"
                        }
                      }
                    }
                  ]
                }
                """);

        assertAt(p, 9, 11, "$.nodes[0].config.serviceTime.mean");
        assertThat(p.message()).isEqualTo("'5 parsecs' is not a duration (examples: 500us, 200ms, 60s, 1m)");
    }

    @Test
    void maxThreadsZero_isOutOfRange() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "client", "kind": "client"},
                    {
                      "id": "tomcat-1",
                      "kind": "tomcat",
                      "config": {
                        "maxThreads": 0
                      }
                    }
                  ],
                  "links": [{"from": "client", "to": "tomcat-1"}]
                }
                """);

        assertAt(p, 9, 9, "$.nodes[1].config.maxThreads");
        assertThat(p.message()).isEqualTo("0 is out of range 1..100000 threads");
    }

    @Test
    void unknownKind_listsTheKinds() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "big-iron", "kind": "mainframe"}
                  ]
                }
                """);

        assertAt(p, 4, 24, "$.nodes[0].kind");
        assertThat(p.message()).isEqualTo("unknown node kind 'mainframe' (expected one of client, dns, router, lvs, nginx, gateway, tomcat, external)");
    }

    @Test
    void duplicateKey_pointsAtTheSecondOne() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {
                      "id": "tomcat-1",
                      "kind": "tomcat",
                      "id": "tomcat-2"
                    }
                  ]
                }
                """);

        assertAt(p, 7, 7, "$.nodes[0].id");
        assertThat(p.message()).isEqualTo("duplicate key 'id'");
    }

    @Test
    void newerFormat_isRefusedWithTheVersions() {
        ScenarioProblem p = onlyProblem("""
                {
                  "name": "from the future",
                  "format": 2
                }
                """);

        assertAt(p, 3, 3, "$.format");
        assertThat(p.message()).isEqualTo("written by a newer Request Flow Lab (format 2); this one reads up to 1");
    }

    @Test
    void missingFormat_isRequired() {
        ScenarioProblem p = onlyProblem("""
                {"name": "no format"}
                """);

        assertAt(p, 1, 1, "$");
        assertThat(p.message()).contains("missing required field 'format'");
    }

    @Test
    void configBeforeKind_bindsByTheKindThatFollows() throws Exception {
        String json = """
                {
                  "format": 1,
                  "nodes": [
                    {
                      "id": "client",
                      "config": {"host": "shop.lab"},
                      "kind": "client"
                    },
                    {
                      "id": "tomcat-1",
                      "config": {
                        "maxThreads": 0
                      },
                      "kind": "tomcat"
                    }
                  ],
                  "links": [{"from": "client", "to": "tomcat-1"}]
                }
                """;

        ScenarioProblem p = onlyProblem(json);
        assertAt(p, 12, 9, "$.nodes[1].config.maxThreads");

        Scenario fixed = ScenarioIO.read(json.replace("\"maxThreads\": 0", "\"maxThreads\": 8"), "shop.json");
        assertThat(fixed.nodes().get(1).kind()).isEqualTo(NodeKind.TOMCAT);
        assertThat(fixed.nodes().get(1).configAs(TomcatConfig.class).maxThreads()).isEqualTo(8);
    }

    @Test
    void unknownFieldInConfigBeforeKind_isStillPlaced() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {
                      "id": "tomcat-1",
                      "config": {
                        "maxThread": 5
                      },
                      "kind": "tomcat"
                    }
                  ]
                }
                """);

        assertAt(p, 7, 9, "$.nodes[0].config.maxThread");
        assertThat(p.message()).startsWith("unknown field 'maxThread' (known: acceptCount,");
    }

    @Test
    void missingRequiredFields_areNamed() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read("""
                {
                  "format": 1,
                  "nodes": [
                    {"kind": "tomcat"},
                    {"id": "tomcat-2"}
                  ],
                  "links": [
                    {"from": "tomcat-2"}
                  ]
                }
                """, "shop.json"));

        assertThat(e.problems()).extracting(ScenarioProblem::line, ScenarioProblem::column, ScenarioProblem::path, ScenarioProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(4, 5, "$.nodes[0]", "missing required field 'id'"),
                        org.assertj.core.groups.Tuple.tuple(5, 5, "$.nodes[1]",
                                "missing required field 'kind' (one of client, dns, router, lvs, nginx, gateway, tomcat, external)"),
                        org.assertj.core.groups.Tuple.tuple(8, 5, "$.links[0]", "missing required field 'to'"));
    }

    @Test
    void everyBadNodeIsReported_notJustTheFirst() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "a", "kind": "tomcat", "config": {"maxThreads": "many"}},
                    {"id": "b", "kind": "tomcat", "config": {"acceptCount": true}},
                    {"id": "c", "kind": "tomcat", "labl": "typo"}
                  ]
                }
                """, "shop.json"));

        assertThat(e.problems()).extracting(ScenarioProblem::path).containsExactly(
                "$.nodes[0].config.maxThreads", "$.nodes[1].config.acceptCount", "$.nodes[2].labl");
        assertThat(e.getMessage().lines()).hasSize(3).first().asString()
                .isEqualTo("shop.json:4:46: expected a whole number, found the string \"many\" (at $.nodes[0].config.maxThreads)");
    }

    @Test
    void rangeProblems_areAllReported() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "client", "kind": "client", "config": {"maxConnections": 0}},
                    {"id": "t", "kind": "tomcat", "config": {"maxThreads": 0, "serviceTime": {"distribution": "gaussian"}}}
                  ],
                  "links": [{"from": "client", "to": "t"}],
                  "traffic": {"rps": -5}
                }
                """, "shop.json"));

        assertThat(e.problems()).extracting(ScenarioProblem::path).containsExactly(
                "$.nodes[0].config.maxConnections", "$.nodes[1].config.maxThreads",
                "$.nodes[1].config.serviceTime.distribution", "$.traffic.rps");
        assertThat(e.problems().get(2).message()).isEqualTo("'gaussian' is not one of fixed, uniform, exponential");
    }

    @Test
    void trailingTokens_areAnError() {
        ScenarioProblem p = onlyProblem("""
                {"format": 1}
                {"format": 1}
                """);

        assertAt(p, 2, 1, "$");
        assertThat(p.message()).contains("after the end of the scenario object");
    }

    @Test
    void brokenJson_isPlacedWhereTheParserStopped() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "a" "kind": "tomcat"}
                  ]
                }
                """);

        assertThat(List.of(p.line(), p.column())).containsExactly(4, 16);
        assertThat(p.message()).startsWith("invalid JSON: Unexpected character ('\"'");
    }

    @Test
    void emptyFile_isAnError() {
        assertThat(onlyProblem("  \n").message()).contains("empty");
    }

    @Test
    void topologyError_isPlacedOnTheLink() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "client", "kind": "client"},
                    {"id": "tomcat-1", "kind": "tomcat"}
                  ],
                  "links": [
                    {"from": "client", "to": "tomcat-1"},
                    {"from": "client", "to": "tomact-2"}
                  ]
                }
                """);

        assertAt(p, 9, 24, "$.links[1].to");
        assertThat(p.message()).isEqualTo("link to unknown node 'tomact-2'");
    }

    @Test
    void warnings_doNotFailARead_butAreReportedByCheck() throws Exception {
        String json = """
                {
                  "format": 1,
                  "nodes": [{"id": "tomcat-1", "kind": "tomcat"}]
                }
                """;

        assertThat(ScenarioIO.read(json, "shop.json").nodes()).hasSize(1);
        ScenarioCheck check = ScenarioIO.check(json, "shop.json");
        assertThat(check.ok()).isTrue();
        assertThat(check.warnings()).extracting(ScenarioProblem::message)
                .containsExactly("no client node: the lab can serve, but `lab run` sends nothing");
        assertThat(check.warnings().get(0).line()).isEqualTo(3);
    }

    @Test
    void check_keepsABoundScenarioWithTopologyErrors_forEditors() {
        ScenarioCheck check = ScenarioIO.check("""
                {"format": 1, "nodes": [{"id": "client", "kind": "client"}, {"id": "nginx-1", "kind": "nginx"}],
                 "links": [{"from": "client", "to": "nginx-1"}]}
                """, "wip.json");

        assertThat(check.ok()).isFalse();
        assertThat(check.errors()).extracting(ScenarioProblem::message)
                .containsExactly("nginx-1 has no upstream (a nginx needs a link to the servers it forwards to)");
        assertThat(check.scenario()).isNotNull();
    }

    @Test
    void missingFile_isAProblemNotACrash() {
        assertThatThrownBy(() -> ScenarioIO.read(java.nio.file.Path.of("/nonexistent/shop.json")))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("/nonexistent/shop.json: cannot read the file: no such file");
    }

    @Test
    void numberTooBigForItsField_isPlaced() {
        ScenarioProblem p = onlyProblem("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "t", "kind": "tomcat", "config": {"maxThreads": 99999999999}}
                  ]
                }
                """);

        assertAt(p, 4, 46, "$.nodes[0].config.maxThreads");
        assertThat(p.message()).contains("out of range");
    }

    @Test
    void rangeAndTopologyProblems_areReportedTogether() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read("""
                {
                  "format": 1,
                  "nodes": [
                    {"id": "client", "kind": "client"},
                    {"id": "tomcat-1", "kind": "tomcat", "config": {"maxThreads": 0}}
                  ],
                  "links": [{"from": "client", "to": "tomcat-9"}]
                }
                """, "shop.json"));

        assertThat(e.problems()).extracting(ScenarioProblem::line, ScenarioProblem::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "$.nodes[1].config.maxThreads"),
                org.assertj.core.groups.Tuple.tuple(7, "$.links[0].to"));
    }

    @Test
    void badConfigValue_stillReportsTheTopologyProblems_inOnePass() {
        String json = """
                {
                  "format": 1,
                  "nodes": [
                    {"id": "client", "kind": "client"},
                    {"id": "tomcat-1", "kind": "tomcat", "config": {"keepAliveTimeout": "5 parsecs"}},
                    {"id": "nginx-1", "kind": "nginx"}
                  ],
                  "links": [
                    {"from": "client", "to": "tomcat-9"}
                  ]
                }
                """;
        ScenarioCheck check = ScenarioIO.check(json, "shop.json");
        assertThat(check.errors()).extracting(ScenarioProblem::path)
                .containsExactly("$.nodes[1].config.keepAliveTimeout", "$.nodes[2]", "$.links[0].to");
        assertThat(check.scenario()).as("a scenario with a value that did not bind is not handed out").isNull();
    }
}
