package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.TopologyViewGeometry;
import dev.flowlab.runtime.Lab;
import dev.flowlab.trace.TraceHop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    void start_traceNextRequest_showsOneRowPerHop_cardsStillTakeClicks_stopDetaches(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#live-tabs").tryQuery()).as("no live panels while editing").isEmpty();
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        // The run opened the live panels below the canvas; let them lay out.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#live-tabs").tryQuery()).isPresent();

        // The links' connection labels sit beside the links, on no card.
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup(".link-label").queryAll().size() >= 10).get());
        WaitForAsyncUtils.waitForFxEvents();
        TopologyViewGeometry geometry = new TopologyViewGeometry(window.canvas()::card, window.canvas());
        // Cards settle as their nodes start (a running, zoomed-out card leaves its figures to its badge and gets
        // shorter); the pills follow on the next frame. Once settled, none lies over a card.
        java.util.function.Supplier<String> overlap = () -> {
            for (Node label : robot.lookup(".link-label").queryAll()) {
                for (var node : window.document().scenario().nodes()) {
                    Bounds card = geometry.of(node.id());
                    if (label.getBoundsInParent().intersects(card)) {
                        return label.getId() + " (" + label.getBoundsInParent() + ") over " + node.id() + " at " + card;
                    }
                }
            }
            return null;
        };
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> overlap.get() == null).get());
        } catch (TimeoutException e) {
            assertThat(WaitForAsyncUtils.asyncFx(overlap::get).get()).as("a link pill over a card").isNull();
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

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() == null);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
        assertThat(robot.lookup("#trace-next").queryAs(Button.class).isDisabled()).isTrue();
    }
}
