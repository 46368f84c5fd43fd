package dev.flowlab.app;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.lab.TrafficDriver;
import dev.flowlab.runtime.Lab;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The main window, headless (Monocle), on a real lab: client -> tomcat-1. */
@ExtendWith(ApplicationExtension.class)
class FlowLabAppTest {
    private static final long TIMEOUT_SECONDS = 15;

    private final List<Lab> labs = new CopyOnWriteArrayList<>();
    private ExecutorService worker;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        LabViewModel viewModel = new LabViewModel(TestScenarios.clientToTomcat(null), scenario -> {
            Lab lab = Stack.lab(scenario);
            labs.add(lab);
            return lab;
        }, TrafficDriver.NONE, worker, Platform::runLater);
        FlowLabApp.show(stage, viewModel);
    }

    @AfterEach
    void closeLabs(FxRobot robot) throws InterruptedException {
        // Hide first: hiding the window disposes the view-model, which needs the worker.
        robot.interact(() -> stage.hide());
        worker.shutdown();
        assertThat(worker.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        labs.forEach(Lab::close);
    }

    @Test
    void window_showsACardPerNode_andAnArrowPerLink(FxRobot robot) {
        assertThat(stage.getTitle()).isEqualTo("Request Flow Lab — one tomcat");
        assertThat(robot.lookup("#node-client").tryQuery()).isPresent();
        assertThat(robot.lookup("#node-tomcat-1").tryQuery()).isPresent();
        assertThat(robot.lookup("#link-client-tomcat-1").tryQuery()).isPresent();
        assertThat(badge(robot, "tomcat-1")).isEqualTo("stopped");
        assertThat(robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).isTrue();
    }

    @Test
    void start_thenStop_showsTheTomcatRunning_thenStopped(FxRobot robot) throws TimeoutException {
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "running".equals(badge(robot, "tomcat-1")));
        assertThat(statusLine(robot)).startsWith("Running · 2 nodes · 127.");
        assertThat(text(robot, "#node-tomcat-1 .node-address")).matches("tomcat-1 · 127\\.\\d+\\.\\d+\\.\\d+:\\d+");

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "stopped".equals(badge(robot, "tomcat-1")));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> statusLine(robot).equals("Stopped · 2 nodes"));
    }

    @Test
    void closingTheWindow_closesTheLab(FxRobot robot) throws TimeoutException {
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "running".equals(badge(robot, "tomcat-1")));

        robot.interact(() -> stage.close());

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
    }

    @Test
    void anUnexpectedError_reachesTheUserAsAnAlertWithDetails(FxRobot robot) {
        AtomicReference<javafx.scene.control.Dialog<?>> shown = new AtomicReference<>();
        robot.interact(() -> shown.set(ErrorDialog.show(new IllegalStateException("the canvas lost a node"))));
        try {
            assertThat(shown.get().isShowing()).isTrue();
            assertThat(shown.get().getHeaderText()).contains("the canvas lost a node");
            assertThat(shown.get().getDialogPane().getExpandableContent().lookup(".error-details")).isNotNull();
        } finally {
            robot.interact(() -> shown.get().close());
        }
    }

    private static String badge(FxRobot robot, String nodeId) {
        return text(robot, "#node-" + nodeId + " .state-badge");
    }

    private static String statusLine(FxRobot robot) {
        return text(robot, "#status-line");
    }

    /** On the FX thread: the scene graph changes while a lab starts (the side panels go), and so does the status with it. */
    private static String text(FxRobot robot, String query) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> {
                Node node = robot.lookup(query).query();
                return ((Label) node).getText();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
