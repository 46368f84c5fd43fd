package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.LiveView;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A stopped lab leaves a clean editor: Stop, New and Open take every badge, link pill, dot and the
 * frame meter's line off the canvas, so nothing is left to drift away from the cards.
 */
@ExtendWith(ApplicationExtension.class)
class LiveOverlayCleanupAppTest {
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
    void stop_new_and_open_leaveNoLiveOverlay(FxRobot robot) throws Exception {
        startAndWaitForOverlay(robot);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
        assertClean(robot, "after Stop");

        startAndWaitForOverlay(robot);
        robot.interact(() -> window.files().newScenario());
        assertClean(robot, "right after New");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(1).isClosed() && !window.viewModel().isRunning());
        assertClean(robot, "after New, once the lab closed");

        Path file = dir.resolve("default.json");
        ScenarioIO.write(file, DefaultScenario.load());
        robot.interact(() -> window.files().open(file));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> file.equals(window.document().file()));
        startAndWaitForOverlay(robot);
        int generation = window.document().generationProperty().get();
        robot.interact(() -> window.files().open(file));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.document().generationProperty().get() > generation);
        assertClean(robot, "right after Open");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(2).isClosed() && !window.viewModel().isRunning());
        assertClean(robot, "after Open, once the lab closed");
    }

    private void startAndWaitForOverlay(FxRobot robot) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#start-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#start-button");
        LiveView live = window.live();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> live.session() != null);
        // looked up on the FX thread: the live view changes the scene graph while the lab runs
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !robot.lookup(".live-badge").queryAll().isEmpty() && !robot.lookup(".link-label").queryAll().isEmpty()
                        && live.particles().field().count() > 0).get());
        assertThat(live.particles().isVisible()).isTrue();
    }

    private void assertClean(FxRobot robot, String when) {
        // Whatever frames were still on their way to the FX thread have arrived by now.
        WaitForAsyncUtils.waitForFxEvents();
        LiveView live = window.live();
        try {
            WaitForAsyncUtils.asyncFx(() -> assertCleanOnFx(robot, live, when)).get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(e);
        }
    }

    private void assertCleanOnFx(FxRobot robot, LiveView live, String when) {
        assertThat(robot.lookup(".live-badge").queryAll()).as("badges %s", when).isEmpty();
        assertThat(live.badges().getChildren()).as("badge layer %s", when).isEmpty();
        assertThat(robot.lookup(".link-label").queryAll()).as("link pills %s", when).isEmpty();
        assertThat(robot.lookup(".link-label-leader").queryAll()).as("pill leaders %s", when).isEmpty();
        assertThat(live.particles().field().count()).as("dots %s", when).isZero();
        assertThat(live.particles().isVisible()).as("particle layer (dots, legend, frame meter) %s", when).isFalse();
        assertThat(live.session()).as("session %s", when).isNull();
    }
}
