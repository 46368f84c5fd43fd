package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lesson section of a scenario file: binds, writes back canonically, and every mistake has its line and column. */
class LessonFormatTest {

    private static final String HEAD = """
            {
              "format": 1,
              "name": "two tomcats",
              "nodes": [
                {"id": "client", "kind": "client"},
                {"id": "nginx-1", "kind": "nginx", "config": {"upstreams": [{"name": "u", "servers": [{"node": "tomcat-1"}, {"node": "tomcat-2"}]}],
                  "locations": [{"prefix": "/", "proxyPass": "u"}]}},
                {"id": "tomcat-1", "kind": "tomcat"},
                {"id": "tomcat-2", "kind": "tomcat"}
              ],
              "links": [{"from": "client", "to": "nginx-1"}, {"from": "nginx-1", "to": "tomcat-1"}, {"from": "nginx-1", "to": "tomcat-2"}],
            """;

    private static String withLesson(String lesson) {
        return HEAD + "  \"lesson\": " + lesson + "\n}\n";
    }

    private static final String GOOD = """
            {
                "version": 1,
                "title": "Nginx passes a failed request on",
                "directives": ["proxy_next_upstream", "max_fails"],
                "steps": [
                  {"title": "Traffic", "narration": "Start the browsers.\\nWatch the links.",
                   "highlight": {"nodes": ["nginx-1"], "links": ["nginx-1->tomcat-2"], "panel": "metrics"},
                   "actions": [{"action": "traffic", "rps": 200}]},
                  {"narration": "Kill tomcat-2.",
                   "actions": [{"action": "kill", "node": "tomcat-2"}],
                   "check": {"kind": "noFailures", "method": "GET", "after": "kill", "windowSeconds": 5, "deadline": "20s"}}
                ]
              }""";

    @Test
    void aLesson_binds_andWritesBackCanonically() throws ScenarioException {
        Scenario s = ScenarioIO.read(withLesson(GOOD), "lesson.json");

        Lesson lesson = s.lesson();
        assertThat(lesson.version()).isEqualTo(1);
        assertThat(lesson.steps()).hasSize(2);
        assertThat(lesson.steps().get(0).highlight().links()).containsExactly("nginx-1->tomcat-2");
        assertThat(lesson.steps().get(0).actions().get(0).text()).isEqualTo("Start traffic at 200 req/s");
        Lesson.Check check = lesson.steps().get(1).check();
        assertThat(check.kind()).isEqualTo("noFailures");
        assertThat(check.deadline()).isEqualTo(Duration.ofSeconds(20));

        String canonical = ScenarioIO.toJson(s);
        assertThat(canonical).contains("\"lesson\": {").contains("\"narration\": \"Start the browsers.\\nWatch the links.\"");
        assertThat(ScenarioIO.read(canonical, "again.json")).isEqualTo(s);
        assertThat(ScenarioIO.toJson(ScenarioIO.read(canonical, "again.json"))).isEqualTo(canonical);
    }

    @Test
    void aFileWithoutALesson_opensAsBefore() throws ScenarioException {
        Scenario s = ScenarioIO.read(HEAD.substring(0, HEAD.lastIndexOf(',')) + "\n}\n", "old.json");

        assertThat(s.lesson()).isNull();
        assertThat(ScenarioIO.toJson(s)).doesNotContain("lesson");
    }

    private static List<String> errors(String lesson) {
        return ScenarioIO.check(withLesson(lesson), "l.json").errors().stream().map(ScenarioProblem::toString).toList();
    }

    @Test
    void anUnknownNodeInAHighlight_isAnErrorAtItsLineAndColumn() {
        String bad = GOOD.replace("\"nodes\": [\"nginx-1\"]", "\"nodes\": [\"ngnix-1\"]");

        assertThat(errors(bad)).singleElement().asString()
                .startsWith("l.json:18:32:").contains("unknown node \"ngnix-1\" (the scenario has: client, nginx-1, tomcat-1, tomcat-2)")
                .endsWith("(at $.lesson.steps[0].highlight.nodes[0])");
    }

    @Test
    void anUnknownCheckKind_namesTheKnownOnes() {
        String bad = GOOD.replace("\"kind\": \"noFailures\"", "\"kind\": \"noErrors\"");

        assertThat(errors(bad)).singleElement().asString().startsWith("l.json:22:18:")
                .contains("unknown check kind \"noErrors\" (one of noFailures, holdsVip, rateDrop, ratio, rejected, latency, rate, nodeCount)")
                .endsWith("(at $.lesson.steps[1].check.kind)");
    }

    @Test
    void badThresholds_andMissingOrForeignParameters_areErrors() {
        String ratio = GOOD.replace("\"kind\": \"noFailures\", \"method\": \"GET\", \"after\": \"kill\", \"windowSeconds\": 5,",
                "\"kind\": \"ratio\", \"fact\": \"CacheStatus\", \"equals\": \"HIT\", \"atLeast\": 1.5, \"node\": \"tomcat-1\",");
        assertThat(errors(ratio)).anySatisfy(e -> assertThat(e).contains("a share is above 0 and at most 1 (0.8 is 80%), not 1.5")
                        .endsWith("(at $.lesson.steps[1].check.atLeast)"))
                .anySatisfy(e -> assertThat(e).contains("a ratio check takes no 'node'"));

        String noNode = GOOD.replace("\"kind\": \"noFailures\", \"method\": \"GET\", \"after\": \"kill\", \"windowSeconds\": 5,",
                "\"kind\": \"holdsVip\", \"withinSeconds\": 0,");
        assertThat(errors(noNode)).anySatisfy(e -> assertThat(e).contains("a holdsVip check needs 'node'"))
                .anySatisfy(e -> assertThat(e).contains("seconds above 0 and at most 3600, not 0"));

        String badFact = GOOD.replace("\"kind\": \"noFailures\", \"method\": \"GET\", \"after\": \"kill\", \"windowSeconds\": 5,",
                "\"kind\": \"ratio\", \"fact\": \"CacheState\", \"equals\": \"HIT\", \"atLeast\": 0.8,");
        assertThat(errors(badFact)).singleElement().asString().contains("unknown fact \"CacheState\"").contains("CacheStatus");

        String afterWhat = GOOD.replace("\"after\": \"kill\"", "\"after\": \"stop\"");
        assertThat(errors(afterWhat)).singleElement().asString().contains("the step has no \"stop\" action (its actions: kill)");
    }

    @Test
    void actions_andLinks_areChecked() {
        String bad = GOOD.replace("{\"action\": \"kill\", \"node\": \"tomcat-2\"}", "{\"action\": \"explode\", \"node\": \"tomcat-2\"}")
                .replace("\"nginx-1->tomcat-2\"", "\"tomcat-2->nginx-1\"");
        assertThat(errors(bad)).anySatisfy(e -> assertThat(e).contains("unknown action \"explode\""))
                .anySatisfy(e -> assertThat(e).contains("no link \"tomcat-2->nginx-1\" in the scenario"));
    }

    @Test
    void theLessonVersion_isChecked_andAnUnknownFieldIsAnError() {
        assertThat(errors(GOOD.replace("\"version\": 1", "\"version\": 7"))).singleElement().asString()
                .contains("a lesson written by a newer Request Flow Lab (version 7); this one reads up to 1");
        assertThat(errors(GOOD.replace("\"version\": 1,", ""))).singleElement().asString()
                .contains("missing required field 'version'");
        assertThat(errors(GOOD.replace("\"title\": \"Nginx", "\"titel\": \"Nginx"))).anySatisfy(e -> assertThat(e)
                .contains("unknown field 'titel'").startsWith("l.json:14:5:"));
    }

    @Test
    void aMigrationStep_upgradesAnOlderLesson() {
        com.fasterxml.jackson.databind.node.ObjectNode lesson = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        lesson.put("version", 1);
        ScenarioMigrations.migrateLesson(lesson, 1);
        assertThat(lesson.get("version").intValue()).isEqualTo(Lesson.VERSION);
    }
}
