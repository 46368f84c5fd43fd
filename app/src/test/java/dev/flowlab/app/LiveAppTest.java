package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.live.LiveSessions;
import dev.flowlab.app.live.TopologyViewGeometry;
import dev.flowlab.runtime.Lab;
import dev.flowlab.trace.TraceHop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
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

/** The real main window, wired as the app wires it: Start opens a live session on the editor's canvas. */
@ExtendWith(ApplicationExtension.class)
class LiveAppTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TempDir
    Path dir;

    private final List<Lab> labs = new CopyOnWriteArrayList<>();
    private ExecutorService worker;
    private Stage stage;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        LiveSessions sessions = new LiveSessions(Platform::runLater);
        ScenarioDocument document = new ScenarioDocument(DefaultScenario.load(), null);
        LabViewModel lab = FlowLabApp.liveLab(document.scenario(), scenario -> {
            Lab l = new Lab(scenario);
            labs.add(l);
            return l;
        }, worker, sessions);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, dir.resolve("home"));
        window = FlowLabApp.show(stage, lab, document, files, sessions);
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> stage.hide());
        worker.shutdown();
        assertThat(worker.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        labs.forEach(Lab::close);
    }

    @Test
    void start_traceNextRequest_showsOneRowPerHop_cardsStillTakeClicks_stopDetaches(FxRobot robot) throws TimeoutException {
        assertThat(robot.lookup("#live-tabs").tryQuery()).as("no live panels while editing").isEmpty();
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        // The run opened the live panels below the canvas; let them lay out.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#live-tabs").tryQuery()).isPresent();

        // The links' connection labels sit beside the links, on no card.
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> robot.lookup(".link-label").queryAll().size() >= 10);
        WaitForAsyncUtils.waitForFxEvents();
        TopologyViewGeometry geometry = new TopologyViewGeometry(window.canvas()::card, window.canvas());
        for (Node label : robot.lookup(".link-label").queryAll()) {
            for (var node : window.document().scenario().nodes()) {
                Bounds card = geometry.of(node.id());
                assertThat(label.getBoundsInParent().intersects(card))
                        .as("%s (%s) over %s at %s", label.getId(), label.getBoundsInParent(), node.id(), card).isFalse();
            }
        }

        robot.clickOn("#trace-next");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().inspector().shown() != null);
        WaitForAsyncUtils.waitForFxEvents();
        List<TraceHop> hops = window.live().inspector().shown().hops();
        List<Node> rows = List.copyOf(robot.lookup(".trace-hop").queryAll());
        assertThat(hops.size()).isGreaterThanOrEqualTo(2);
        assertThat(rows).hasSize(hops.size());
        for (int i = 0; i < hops.size(); i++) {
            Node row = robot.lookup("#trace-hop-" + i).query();
            assertThat(((Label) row.lookup(".hop-node")).getText()).isEqualTo(hops.get(i).node());
        }

        // The particles and badges lie over the cards: a click still selects one.
        robot.clickOn("#node-client");
        assertThat(window.selection().nodes()).containsExactly("client");

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() == null);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
        assertThat(robot.lookup("#trace-next").queryAs(Button.class).isDisabled()).isTrue();
    }
}
