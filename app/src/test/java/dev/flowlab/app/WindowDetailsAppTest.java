package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.EventLogModel;
import dev.flowlab.app.animate.LiveSession;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window's smaller figures: the status line, the property sheet, an empty scenario, the event log across runs. */
@ExtendWith(ApplicationExtension.class)
class WindowDetailsAppTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private List<Lab> labs;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, DefaultScenario.load(), dir.resolve("home"));
        labs = fixture.labs;
        window = fixture.window;
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        fixture.close(robot, TIMEOUT_SECONDS);
    }

    @Test
    void statusLine_theStatusTheFilesMessageAndTheZoom_keepApart(FxRobot robot) throws Exception {
        Path file = dir.resolve("my-topology.json");
        ScenarioIO.write(file, DefaultScenario.load());
        robot.interact(() -> window.files().open(file));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> file.equals(window.document().file()));
        WaitForAsyncUtils.waitForFxEvents();
        Label status = robot.lookup("#status-line").queryAs(Label.class);
        Label message = robot.lookup("#file-status").queryAs(Label.class);
        Label zoom = robot.lookup("#zoom-figure").queryAs(Label.class);
        assertThat(message.getText()).isEqualTo("Opened my-topology.json");
        assertThat(zoom.getText()).endsWith("%");
        Bounds s = status.localToScene(status.getLayoutBounds());
        Bounds m = message.localToScene(message.getLayoutBounds());
        Bounds z = zoom.localToScene(zoom.getLayoutBounds());
        assertThat(m.getMinX() - s.getMaxX()).as("status %s, message %s", s, m).isGreaterThanOrEqualTo(16);
        assertThat(z.getMinX() - m.getMaxX()).as("message %s, zoom %s", m, z).isGreaterThanOrEqualTo(16);
        assertNotCut(message);
        assertNotCut(zoom);
    }

    @Test
    void propertySheet_theScenariosAndATomcatsNamesAndHints_readInFull_alsoWithTheLivePanelsOpen(FxRobot robot) {
        List<String> cut = new ArrayList<>();
        sheetCut(robot, cut);
        robot.clickOn("#live-panels-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        sheetCut(robot, cut);
        robot.interact(() -> window.selection().selectOnly("tomcat-1"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#field-minSpareThreads").tryQuery()).as("a Tomcat's sheet").isPresent();
        sheetCut(robot, cut);
        assertThat(cut).isEmpty();
    }

    private static void sheetCut(FxRobot robot, List<String> cut) {
        robot.interact(() -> {
            for (Node n : robot.lookup(".property-sheet .label").queryAll()) {
                Label l = (Label) n;
                if (l.isVisible() && l.getText() != null && !l.getText().isBlank() && l.lookup(".text") instanceof Text t
                        && t.getText().endsWith("...")) {
                    cut.add("name '" + l.getText() + "' shown as '" + t.getText() + "'");
                }
            }
            for (Node n : robot.lookup(".property-sheet .text-field").queryAll()) {
                TextField f = (TextField) n;
                String hint = f.getPromptText();
                if (hint == null || hint.isEmpty() || !f.getText().isEmpty()) {
                    continue;
                }
                Text measure = new Text(hint);
                measure.setFont(f.getFont());
                double room = f.getWidth() - f.getInsets().getLeft() - f.getInsets().getRight();
                if (measure.getLayoutBounds().getWidth() > room + 0.5) {
                    cut.add(String.format("hint '%s' of %s: %.0f px in %.0f", hint, f.getId(), measure.getLayoutBounds().getWidth(), room));
                }
            }
        });
    }

    @Test
    void newScenario_isEmpty_withNoProblemToShow(FxRobot robot) {
        robot.interact(() -> window.files().newScenario());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.document().scenario().nodes()).isEmpty();
        assertThat(window.document().problems().all()).isEmpty();
    }

    @Test
    void eventLog_countsFromTheRunsStart_andTheNextStartClearsIt(FxRobot robot) throws Exception {
        EventLogModel log = window.live().eventLog();
        startAndWaitForEvents(robot, log);
        LiveSession first = window.live().session();
        assertThat(log.originNanos()).isEqualTo(first.openedNanos());
        // The rows first, then the time: an event listed after the time was read would be "from the future".
        List<EventLogModel.Row> shown = rows(robot, log);
        long sinceStartMs = (System.nanoTime() - first.openedNanos()) / 1_000_000;
        assertThat(shown).allSatisfy(r -> assertThat(r.tMillis()).isBetween(0L, sinceStartMs + 1));

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed() && window.live().session() == null);
        WaitForAsyncUtils.waitForFxEvents();
        List<EventLogModel.Row> stopped = rows(robot, log);
        assertThat(stopped).as("the stopped run's events stay to be read").isNotEmpty();
        // Which run an event came from is its identity, not its time: a loaded machine can start the
        // next lab's nodes (and emit their events) well before the live session opens on them.
        java.util.Set<dev.flowlab.event.LabEvent> firstRun = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        stopped.forEach(r -> firstRun.add(r.event()));

        startAndWaitForEvents(robot, log);
        LiveSession second = window.live().session();
        assertThat(log.originNanos()).isEqualTo(second.openedNanos());
        assertThat(rows(robot, log)).as("only the new run's events").noneMatch(r -> firstRun.contains(r.event()));
    }

    private void startAndWaitForEvents(FxRobot robot, EventLogModel log) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#start-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#tab-events").tryQuery().isPresent()).get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#tab-events");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !log.shown().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** A copy taken on the FX thread, where the log changes. */
    private static List<EventLogModel.Row> rows(FxRobot robot, EventLogModel log) {
        List<EventLogModel.Row> out = new ArrayList<>();
        robot.interact(() -> out.addAll(log.shown()));
        return out;
    }

    private static void assertNotCut(Label label) {
        Node text = label.lookup(".text");
        assertThat(text).isInstanceOf(Text.class);
        assertThat(((Text) text).getText()).isEqualTo(label.getText());
    }
}
