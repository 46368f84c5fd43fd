package dev.flowlab.app.export;

import dev.flowlab.app.FlowLabApp;
import dev.flowlab.app.MainWindow;
import dev.flowlab.app.animate.LiveSessions;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.record.Recording;
import dev.flowlab.record.ReplayExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;

/**
 * {@code lab replay FILE --out out.gif}: the app's main window, opened without a display (Monocle's
 * headless glass and the software renderer, as the UI tests run), replays the recording and
 * {@link ReplayExportJob} draws it as the File > Export Replay dialog does. Only the canvas shows:
 * the side and live panels are hidden and the topology is fitted to the window (1280 x 800).
 * Found by {@code lab replay} through {@link java.util.ServiceLoader} (the engine has no JavaFX).
 */
public final class HeadlessReplayExporter implements ReplayExporter {
    /** Held: JavaFX's one-line warning about the class path (harmless; the app runs so) would otherwise open the command's output. */
    private static final java.util.logging.Logger PLATFORM_LOG = java.util.logging.Logger.getLogger("javafx");

    @Override
    public Result export(Recording recording, Request request, Progress progress) throws IOException {
        startToolkit();
        Path home = Files.createTempDirectory("flowlab-export-");
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flowlab-export-worker");
            t.setDaemon(true);
            return t;
        });
        Stage[] stage = new Stage[1];
        try {
            MainWindow window = ReplayExportJob.fx(() -> {
                stage[0] = new Stage();
                LiveSessions sessions = new LiveSessions(Platform::runLater);
                ScenarioDocument document = new ScenarioDocument(recording.scenario(), null);
                LabViewModel lab = FlowLabApp.liveLab(document.scenario(), FlowLabApp::backgroundLab, worker, sessions);
                MainWindow w = FlowLabApp.show(stage[0], lab, document, new FileViewModel(document, worker, Platform::runLater, home),
                        sessions);
                w.openRecording(recording);
                for (String toggle : new String[] {"#side-panels-toggle", "#live-panels-toggle"}) {
                    if (w.root().lookup(toggle) instanceof ToggleButton b) {
                        b.setSelected(false);
                    }
                }
                return w;
            });
            ReplayRenderer renderer = ReplayExportJob.fx(() -> {
                window.root().applyCss();
                window.root().layout();
                window.canvas().fitToView();
                window.root().layout();
                return new ReplayRenderer(window.live(), window.replay(), window.canvas());
            });
            return ReplayExportJob.run(renderer, request, progress);
        } finally {
            try {
                ReplayExportJob.fx(() -> {
                    if (stage[0] != null) {
                        stage[0].hide();
                    }
                    return null;
                });
            } finally {
                worker.shutdown();
                deleteTree(home);
            }
        }
    }

    /** Starts JavaFX headless unless it runs already (the app's tests start it themselves). */
    static void startToolkit() throws IOException {
        if (!Boolean.getBoolean("flowlab.export.display")) {
            setIfUnset("glass.platform", "Monocle");
            setIfUnset("monocle.platform", "Headless");
            setIfUnset("prism.order", "sw");
            setIfUnset("java.awt.headless", "true");
        }
        PLATFORM_LOG.setLevel(java.util.logging.Level.SEVERE);
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException already) {
            return;
        }
        Platform.setImplicitExit(false);
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new IOException("JavaFX did not start in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while JavaFX started", e);
        }
    }

    private static void setIfUnset(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the OS cleans it
        }
    }
}
