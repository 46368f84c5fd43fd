package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
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
 * What a presenter uses on a shared screen: presentation mode (F11: a larger UI, no problems list or
 * side panels, one live panel; F11 again puts everything back) and the fault script played from
 * the GUI (kill a node at +0.5 s: the running lab's node is killed, the row says when).
 */
@ExtendWith(ApplicationExtension.class)
class PresenterAppTest {
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

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    @SuppressWarnings("unchecked")
    private static ChoiceBox<String> choice(FxRobot robot, String query) {
        return (ChoiceBox<String>) robot.lookup(query).queryAs(ChoiceBox.class);
    }

    private void startLab(FxRobot robot) throws Exception {
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> window.viewModel().isRunning()
                && !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()));
    }

    @Test
    void f11_presents_largerUiOnePanelNoProblemsList_andF11Again_restoresEverything(FxRobot robot) throws Exception {
        startLab(robot);
        int allTabs = fx(() -> robot.lookup("#live-tabs").queryAs(TabPane.class).getTabs().size());
        assertThat(allTabs).as("trace, step, events, charts, script and more").isGreaterThanOrEqualTo(5);
        assertThat(fx(() -> robot.lookup("#problem-list").tryQuery().isPresent())).isTrue();

        robot.clickOn("#live-view").push(KeyCode.F11);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> window.presentation().isOn()));
        assertThat(fx(() -> window.root().getStyle())).contains("-fx-font-size: 21.0px");
        assertThat(fx(() -> robot.lookup("#problem-list").tryQuery().isPresent())).as("problems list hidden").isFalse();
        assertThat(fx(() -> robot.lookup("#palette-tomcat").tryQuery().isPresent())).as("palette hidden").isFalse();
        assertThat(fx(() -> robot.lookup("#live-tabs").queryAs(TabPane.class).getTabs()))
                .extracting(t -> t.getText()).containsExactly("Trace");

        robot.interact(() -> window.presentation().panelProperty().set("Charts"));
        robot.interact(() -> window.presentation().scaleProperty().set(2.0));
        assertThat(fx(() -> robot.lookup("#live-tabs").queryAs(TabPane.class).getTabs())).extracting(t -> t.getText())
                .containsExactly("Charts");
        assertThat(fx(() -> window.root().getStyle())).contains("-fx-font-size: 28.0px");

        robot.push(KeyCode.F11);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(() -> !window.presentation().isOn()));
        assertThat(fx(() -> window.root().getStyle())).doesNotContain("font-size");
        assertThat(fx(() -> robot.lookup("#problem-list").tryQuery().isPresent())).as("problems list back").isTrue();
        assertThat(fx(() -> robot.lookup("#live-tabs").queryAs(TabPane.class).getTabs().size())).isEqualTo(allTabs);
    }

    @Test
    void faultScript_addedAndPlayedInTheGui_killsTheNodeAtItsTime(FxRobot robot) throws Exception {
        startLab(robot);
        robot.interact(() -> window.live().selectPanel("Script"));
        robot.interact(() -> {
            robot.lookup("#script-at").queryAs(TextField.class).setText("0.5s");
            choice(robot, "#script-action").setValue("kill");
            choice(robot, "#script-node").setValue("tomcat-2");
        });
        robot.clickOn("#script-add");
        assertThat(fx(() -> window.script().rows().size())).isEqualTo(1);
        assertThat(fx(() -> window.script().rows().get(0).describe())).isEqualTo("+500ms  kill tomcat-2");

        robot.clickOn("#script-play");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> fx(() -> "killed".equals(window.viewModel().node("tomcat-2").orElseThrow().getState())));
        assertThat(fx(() -> window.script().rows().get(0).getOutcome())).startsWith("applied at +0.");
        assertThat(fx(() -> window.script().getState())).isEqualTo(dev.flowlab.app.script.FaultScript.State.DONE);

        robot.interact(() -> robot.lookup("#script-at").queryAs(TextField.class).setText("soon"));
        robot.clickOn("#script-add");
        assertThat(fx(() -> robot.lookup("#script-problem").queryLabeled().getText())).contains("is not a duration");
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
    }
}
