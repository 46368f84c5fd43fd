package dev.flowlab.app;

import atlantafx.base.theme.PrimerLight;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.topology.Scenario;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application: one window on one scenario. Start it through {@link Main} (a plain
 * {@code java -cp} launch of a class extending Application fails without JavaFX modules).
 */
public final class FlowLabApp extends Application {
    private static final Logger log = LoggerFactory.getLogger(FlowLabApp.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile Scenario initialScenario;

    private ExecutorService worker;
    private LabViewModel viewModel;

    /** Opens the app on a scenario and returns when its last window closed. */
    public static void launch(Scenario scenario) {
        initialScenario = Objects.requireNonNull(scenario, "scenario");
        Application.launch(FlowLabApp.class);
    }

    /** True once the toolkit was up and the app's start began (a later failure is the app's, not the display's). */
    static boolean toolkitStarted() {
        return STARTED.get();
    }

    @Override
    public void start(Stage stage) {
        STARTED.set(true);
        Thread.setDefaultUncaughtExceptionHandler(ErrorDialog::uncaught);
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flowlab-app-worker");
            t.setDaemon(true);
            return t;
        });
        viewModel = LabViewModel.of(initialScenario, worker, Platform::runLater);
        show(stage, viewModel);
    }

    @Override
    public void stop() {
        if (viewModel == null) {
            return;
        }
        // The window is gone already; waiting here keeps the JVM up until every port is released.
        try {
            viewModel.dispose().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the lab did not close cleanly: {}", e.toString());
        }
        worker.shutdown();
    }

    /**
     * Shows a main window for the view-model on the stage: the look (AtlantaFX Primer Light and
     * app.css), the title, and closing the window closes the lab. Call on the FX thread.
     */
    public static MainWindow show(Stage stage, LabViewModel viewModel) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        MainWindow window = new MainWindow(viewModel);
        Scene scene = new Scene(window.root(), 1180, 720);
        scene.getStylesheets().add(Objects.requireNonNull(FlowLabApp.class.getResource("app.css"), "app.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle(viewModel.title());
        stage.setOnHidden(e -> {
            window.stopRefreshing();
            viewModel.dispose();
        });
        stage.show();
        return window;
    }
}
