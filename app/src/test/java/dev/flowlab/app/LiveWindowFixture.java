package dev.flowlab.app;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.animate.LiveSessions;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;

/**
 * The real main window wired as the app wires it (Start opens a live session on the editor's
 * canvas), for TestFX tests: every lab it starts is kept in {@link #labs}; {@link #close} hides the
 * window and releases the worker and the labs.
 */
final class LiveWindowFixture {
    final List<Lab> labs = new CopyOnWriteArrayList<>();
    final ExecutorService worker = Executors.newSingleThreadExecutor();
    final Stage stage;
    final MainWindow window;

    LiveWindowFixture(Stage stage, Scenario scenario, Path home) {
        this.stage = stage;
        LiveSessions sessions = new LiveSessions(Platform::runLater);
        ScenarioDocument document = new ScenarioDocument(scenario, null);
        LabViewModel lab = FlowLabApp.liveLab(document.scenario(), s -> {
            Lab l = Stack.lab(s);
            labs.add(l);
            return l;
        }, worker, sessions);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, home);
        window = FlowLabApp.show(stage, lab, document, files, sessions);
    }

    void close(FxRobot robot, long timeoutSeconds) throws InterruptedException {
        robot.interact(() -> stage.hide());
        worker.shutdown();
        assertThat(worker.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)).isTrue();
        labs.forEach(Lab::close);
    }
}
