package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    enum Match { EXACTLY, STARTS_WITH, CONTAINS }

    /** One mistake, one problem: where it is (line, column, JSON path) and what it says. */
    static Stream<Arguments> singleProblems() {
        return Stream.of(
                Arguments.of("unknownFieldInNestedConfig_isNamedWithTheKnownOnes", """
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
                        """, 8, 9, "$.nodes[0].config.maxThread", Match.EXACTLY, "unknown field 'maxThread' (known: acceptCount, connectionTimeout, docBase, "
                + "keepAliveTimeout, maxConnections, maxKeepAliveRequests, maxThreads, minSpareThreads, serviceTime)"),
                Arguments.of("unknownTopLevelField_isAnError", """
                        {
                          "format": 1,
                          "nodez": []
                        }
                        """, 3, 3, "$.nodez", Match.STARTS_WITH, "unknown field 'nodez' (known: format, name, description, nodes, links, traffic, script, haGroups, lesson)"),
                Arguments.of("stringWhereANumberBelongs_isAWrongType", """
                        {
                          "format": 1,
                          "nodes": [
                            { "id": "tomcat-1", "kind": "tomcat", "config": { "maxThreads": "200" } }
                          ]
                        }
                        """, 4, 55, "$.nodes[0].config.maxThreads", Match.EXACTLY, "expected a whole number, found the string \"200\""),
                Arguments.of("numberWhereAStringBelongs_isAWrongType", """
                        {"format": 1, "nodes": [{"id": 7, "kind": "tomcat"}]}
                        """, 1, 26, "$.nodes[0].id", Match.EXACTLY, "expected a string, found the number 7"),
                Arguments.of("badDuration_saysWhatADurationLooksLike", """
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
                        """, 9, 11, "$.nodes[0].config.serviceTime.mean", Match.EXACTLY, "'5 parsecs' is not a duration (examples: 500us, 200ms, 60s, 1m)"),
                Arguments.of("maxThreadsZero_isOutOfRange", """
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
                        """, 9, 9, "$.nodes[1].config.maxThreads", Match.EXACTLY, "0 is out of range 1..100000 threads"),
                Arguments.of("unknownKind_listsTheKinds", """
                        {
                          "format": 1,
                          "nodes": [
                            {"id": "big-iron", "kind": "mainframe"}
                          ]
                        }
                        """, 4, 24, "$.nodes[0].kind", Match.EXACTLY, "unknown node kind 'mainframe' (expected one of client, dns, router, lvs, nginx, gateway, tomcat, external)"),
                Arguments.of("duplicateKey_pointsAtTheSecondOne", """
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
                        """, 7, 7, "$.nodes[0].id", Match.EXACTLY, "duplicate key 'id'"),
                Arguments.of("newerFormat_isRefusedWithTheVersions", """
                        {
                          "name": "from the future",
                          "format": 2
                        }
                        """, 3, 3, "$.format", Match.EXACTLY, "written by a newer Request Flow Lab (format 2); this one reads up to 1"),
                Arguments.of("missingFormat_isRequired", """
                        {"name": "no format"}
                        """, 1, 1, "$", Match.CONTAINS, "missing required field 'format'"),
                Arguments.of("unknownFieldInConfigBeforeKind_isStillPlaced", """
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
                        """, 7, 9, "$.nodes[0].config.maxThread", Match.STARTS_WITH, "unknown field 'maxThread' (known: acceptCount,"),
                Arguments.of("trailingTokens_areAnError", """
                        {"format": 1}
                        {"format": 1}
                        """, 2, 1, "$", Match.CONTAINS, "after the end of the scenario object"),
                Arguments.of("topologyError_isPlacedOnTheLink", """
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
                        """, 9, 24, "$.links[1].to", Match.EXACTLY, "link to unknown node 'tomact-2'"),
                Arguments.of("numberTooBigForItsField_isPlaced", """
                        {
                          "format": 1,
                          "nodes": [
                            {"id": "t", "kind": "tomcat", "config": {"maxThreads": 99999999999}}
                          ]
                        }
                        """, 4, 46, "$.nodes[0].config.maxThreads", Match.CONTAINS, "out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleProblems")
    void aSingleMistake_isPlacedAndNamed(String name, String json, int line, int column, String path, Match match, String message) {
        ScenarioProblem p = onlyProblem(json);

        assertAt(p, line, column, path);
        switch (match) {
            case EXACTLY -> assertThat(p.message()).isEqualTo(message);
            case STARTS_WITH -> assertThat(p.message()).startsWith(message);
            case CONTAINS -> assertThat(p.message()).contains(message);
        }
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
