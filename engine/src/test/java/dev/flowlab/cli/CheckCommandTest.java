package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lab check`: 0 when every criterion passed, 1 when one failed, 2 for bad input; each criterion with its figure; --report JSON. */
class CheckCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int lab(String... args) {
        return LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private static String scenario(String lesson) {
        return """
                {
                  "format": 1,
                  "name": "one tomcat",
                  "nodes": [
                    {"id": "client", "kind": "client"},
                    {"id": "tomcat-1", "kind": "tomcat", "config": {"serviceTime": {"distribution": "fixed", "mean": "5ms"}}}
                  ],
                  "links": [{"from": "client", "to": "tomcat-1"}]%s
                }
                """.formatted(lesson == null ? "" : ",\n  \"lesson\": " + lesson);
    }

    private static final String LESSON = """
            {"version": 1, "title": "one tomcat", "directives": ["maxThreads"], "steps": [
              {"title": "send", "narration": "Send requests.", "actions": [{"action": "traffic", "rps": 50}],
               "check": {"kind": "rate", "atLeast": 20, "windowSeconds": 1, "deadline": "20s"}},
              {"title": "count", "narration": "How many Tomcats?", "check": {"kind": "nodeCount", "nodeKind": "tomcat", "atMost": %s}}
            ]}""";

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aLessonWhoseChecksPass_exits0_printsEachCriterionWithItsFigure_andWritesAReport() throws IOException {
        Path f = file("ok.json", scenario(LESSON.formatted("1")));
        Path report = dir.resolve("report.json");

        int status = lab("check", f.toString(), "--report", report.toString());

        assertThat(status).as(out + "\n" + err).isEqualTo(0);
        assertThat(out.toString()).contains("lab check: " + f + ": lesson \"one tomcat\"")
                .contains("step 1: send").contains("  Start traffic at 50 req/s")
                .containsPattern("PASS at least 20 successful req/s over 1 s: \\d+ successful req/s")
                .contains("PASS at most 1 tomcat nodes: 1 tomcat node (at most 1)")
                .contains(f + ": 2 of 2 criteria passed");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("passed").booleanValue()).isTrue();
        assertThat(json.get("criteria")).hasSize(2);
        assertThat(json.get("criteria").get(1).get("figure").asText()).isEqualTo("1 tomcat node (at most 1)");
    }

    @Test
    void aFailingCriterion_exits1_withTheFigureAndAHint() throws IOException {
        Path f = file("fail.json", scenario(LESSON.formatted("0")));

        assertThat(lab("check", "-q", f.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL at most 0 tomcat nodes: 1 tomcat node (at most 0) (hint: count the tomcat nodes on the canvas)")
                .contains("1 of 2 criteria passed - FAILED").doesNotContain("step 1: send");
    }

    @Test
    void badInput_exits2() throws IOException {
        Path none = file("none.json", scenario(null));
        assertThat(lab("check", none.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("has no lesson or challenge to grade");

        Path bad = file("bad.json", scenario(LESSON.formatted("1").replace("\"nodeCount\"", "\"nodeCounts\"")));
        assertThat(lab("check", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).containsPattern("bad\\.json:\\d+:\\d+: unknown check kind \"nodeCounts\"");
    }
}
