package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.learn.LessonEntry;
import dev.flowlab.app.learn.LessonProgress;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Help -> Lessons on the real main window: narration, the step's button starts the lab, the check goes live, progress is kept and reset. */
@ExtendWith(ApplicationExtension.class)
class LessonsPanelAppTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final String SCENARIO = """
            {
              "format": 1,
              "name": "lesson test",
              "nodes": [
                {"id": "client", "kind": "client", "position": {"x": 100, "y": 200}},
                {"id": "tomcat-1", "kind": "tomcat", "position": {"x": 400, "y": 200}, "config": {"serviceTime": {"distribution": "fixed", "mean": "5ms"}}}
              ],
              "links": [{"from": "client", "to": "tomcat-1"}],
              "lesson": {"version": 1, "title": "One Tomcat, graded", "directives": ["maxThreads"], "steps": [
                {"title": "Send", "narration": "Start the browsers and watch the Tomcat.", "highlight": {"nodes": ["tomcat-1"], "panel": "metrics"},
                 "actions": [{"action": "traffic", "rps": 40}],
                 "check": {"kind": "rate", "atLeast": 10, "windowSeconds": 1, "deadline": "30s"}},
                {"title": "Count", "narration": "How many Tomcats does it take?",
                 "check": {"kind": "nodeCount", "nodeKind": "tomcat", "atMost": 0, "hint": "there is one on the canvas"}}
              ]}
            }
            """;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private Scenario scenario;

    @Start
    void start(Stage stage) throws Exception {
        scenario = ScenarioIO.read(SCENARIO, "lesson-test.json");
        fixture = new LiveWindowFixture(stage, scenario, dir.resolve("home"));
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> {
            if (LessonsWindow.current() != null) {
                LessonsWindow.current().stage().hide();
            }
        });
        fixture.close(robot, TIMEOUT_SECONDS);
    }

    private static String text(FxRobot robot, String id) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(id).queryAs(Label.class).getText()).get();
    }

    private static void waitForText(FxRobot robot, String id, String prefix) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> text(robot, id).startsWith(prefix));
    }

    @Test
    void aLessonStep_startsTheLab_passesOnItsTraffic_thenFailsWithAFigureAndAHint_andProgressIsKept(FxRobot robot) throws Exception {
        Path home = dir.resolve("home");
        robot.interact(() -> LessonsWindow.show(fixture.window, List.of(new LessonEntry("lesson-test", scenario)), home));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(text(robot, "#lesson-title")).isEqualTo("One Tomcat, graded");
        assertThat(text(robot, "#lesson-directives")).isEqualTo("Shows: maxThreads");
        assertThat(text(robot, "#lesson-step-title")).isEqualTo("Step 1 of 2: Send");
        assertThat(text(robot, "#lesson-narration")).isEqualTo("Start the browsers and watch the Tomcat.");
        assertThat(text(robot, "#lesson-look-at")).isEqualTo("Look at tomcat-1; the metrics panel.");
        assertThat(text(robot, "#lesson-check")).isEqualTo("Check: at least 10 successful req/s over 1 s");
        assertThat(text(robot, "#lesson-check-state")).startsWith("Waiting: start the lab");
        assertThat(fixture.window.selection().nodes()).containsExactly("tomcat-1");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#lesson-back").queryAs(Button.class).isDisabled()).get()).isTrue();

        Button traffic = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#lesson-action-0").queryAs(Button.class)).get();
        assertThat(traffic.getText()).isEqualTo("Start traffic at 40 req/s");
        robot.interact(traffic::fire);
        waitForText(robot, "#lesson-check-state", "Passed: ");
        assertThat(text(robot, "#lesson-check-state")).containsPattern("Passed: \\d+ successful req/s");
        assertThat(fixture.window.viewModel().isRunning()).isTrue();
        assertThat(fixture.labs.get(fixture.labs.size() - 1).scenario().traffic().rps()).isEqualTo(40.0);
        assertThat(LessonProgress.load(home).passed("lesson-test")).containsExactly(0);

        robot.interact(() -> robot.lookup("#lesson-next").queryAs(Button.class).fire());
        assertThat(text(robot, "#lesson-step-title")).isEqualTo("Step 2 of 2: Count");
        waitForText(robot, "#lesson-check-state", "Failed: ");
        assertThat(text(robot, "#lesson-check-state")).isEqualTo("Failed: 1 tomcat node (at most 0)");
        assertThat(text(robot, "#lesson-check-hint")).isEqualTo("Hint: there is one on the canvas");
        LessonProgress kept = LessonProgress.load(home);
        assertThat(kept.step("lesson-test")).isEqualTo(1);
        assertThat(Files.readString(kept.file())).contains("\"lesson-test\"");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#lessons-list").queryListView().getItems().size()).get()).isEqualTo(1);

        robot.interact(() -> robot.lookup("#lesson-reset").queryAs(Button.class).fire());
        assertThat(text(robot, "#lesson-step-title")).isEqualTo("Step 1 of 2: Send");
        assertThat(LessonProgress.load(home).passed("lesson-test")).isEmpty();
        assertThat(LessonProgress.load(home).step("lesson-test")).isZero();
    }

    @Test
    void aChallenge_isGradedOnItsOwnRun_withEveryCriterionAndItsFigure(FxRobot robot) throws Exception {
        Scenario challenge = ScenarioIO.read(SCENARIO.replace("\"lesson\": {\"version\": 1, \"title\": \"One Tomcat, graded\"",
                "\"traffic\": {\"mode\": \"open\", \"rps\": 40, \"duration\": \"2s\"},\n  \"lesson\": {\"version\": 1, \"kind\": \"challenge\", "
                        + "\"criteria\": [{\"kind\": \"rate\", \"atLeast\": 10}, {\"kind\": \"nodeCount\", \"nodeKind\": \"tomcat\", \"atMost\": 1}], "
                        + "\"title\": \"Serve 10 req/s with one Tomcat\"").replaceAll(",\\s*\"check\": \\{[^}]*}", ""), "challenge.json");
        Path home = dir.resolve("home");
        robot.interact(() -> LessonsWindow.show(fixture.window, List.of(new LessonEntry("challenge", challenge)), home));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(text(robot, "#lesson-check")).contains("at least 10 successful req/s over the run").contains("at most 1 tomcat nodes");
        robot.interact(() -> robot.lookup("#lesson-grade").queryAs(Button.class).fire());
        waitForText(robot, "#lesson-grade-result", "Solved");
        assertThat(text(robot, "#lesson-grade-result")).containsPattern("PASS at least 10 successful req/s over the run: \\d+ successful req/s")
                .contains("PASS at most 1 tomcat nodes: 1 tomcat node (at most 1)");
        assertThat(LessonProgress.load(home).passed("challenge")).containsExactly(0);
    }
}
