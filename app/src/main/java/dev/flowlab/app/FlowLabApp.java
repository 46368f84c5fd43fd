package dev.flowlab.app;

import dev.flowlab.stack.Stack;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.AppHome;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.animate.LiveSessions;
import dev.flowlab.app.animate.LiveTrafficDriver;
import dev.flowlab.app.animate.LiveView;
import dev.flowlab.run.Warmup;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.topology.Scenario;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
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
    private static volatile java.nio.file.Path initialFile;
    private static volatile boolean startAtLaunch;

    private ExecutorService worker;
    private LabViewModel viewModel;

    /** Opens the app on a scenario and returns when its last window closed. */
    public static void launch(Scenario scenario) {
        launch(scenario, null);
    }

    /** As {@link #launch(Scenario)}, then opens {@code file} (null: none), as File → Open does. */
    public static void launch(Scenario scenario, java.nio.file.Path file) {
        launch(scenario, file, false);
    }

    /** As {@link #launch(Scenario, java.nio.file.Path)}; with {@code start}, the lab starts once the window is up (as Start does). */
    public static void launch(Scenario scenario, java.nio.file.Path file, boolean start) {
        initialScenario = Objects.requireNonNull(scenario, "scenario");
        initialFile = file;
        startAtLaunch = start;
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
        LiveSessions sessions = new LiveSessions(Platform::runLater);
        viewModel = liveLab(initialScenario, FlowLabApp::backgroundLab, worker, sessions);
        viewModel.setWarmup(Warmup.configured());
        ScenarioDocument document = new ScenarioDocument(initialScenario, null);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, AppHome.dir());
        files.recoverIfCrashed();
        if (initialFile != null) {
            files.open(initialFile);
        }
        MainWindow window = show(stage, viewModel, document, files, sessions);
        // "Open in browser" on a searched page: the system browser, through the lab's front door.
        window.live().setBrowserOpener(url -> getHostServices().showDocument(url));
        AppWindow.decorate(stage);
        AppWindow.quitOnSignals();
        // The first Start finds the lab's code paths compiled (the worker runs in order: a Start waits for it).
        viewModel.warmUp();
        if (startAtLaunch) {
            // After the file (if any) is read: the worker runs in order and the file's result reaches the FX thread first.
            worker.execute(() -> Platform.runLater(() -> window.startLab()));
        }
        LessonsWindow.offerAtFirstLaunch(window);
        stage.setOnCloseRequest(e -> {
            if (document.isDirty() && !confirmClose(stage, window)) {
                e.consume();
                return;
            }
            files.discardAutosave();
        });
    }

    /**
     * The app's lab: Start runs the scenario, sends its traffic and opens a live session (link
     * activity, traces) that {@code sessions} hands to the window's live view; Stop closes it.
     */
    /**
     * A lab whose threads run below the UI's priority: the engine may serve traffic as fast as the
     * machine allows, but each frame of the live view must still be drawn on time (see
     * {@link LabOptions#BACKGROUND_PRIORITY}; effective with {@code -XX:ThreadPriorityPolicy=1}).
     */
    public static Lab backgroundLab(Scenario scenario) {
        return Stack.lab(scenario, LabOptions.defaults().withThreadPriority(LabOptions.BACKGROUND_PRIORITY));
    }

    public static LabViewModel liveLab(Scenario scenario, Function<Scenario, Lab> labs, Executor worker, LiveSessions sessions) {
        return new LabViewModel(scenario, labs, new LiveTrafficDriver(sessions, true), worker, Platform::runLater);
    }

    /** Unsaved work: Save, Don't Save or Cancel. Returns true when the window may close. */
    private static boolean confirmClose(Stage stage, MainWindow window) {
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Your changes are lost if you don't save them.", save, discard, ButtonType.CANCEL);
        ask.initOwner(stage);
        ask.setHeaderText("Save the changes to " + window.files().title() + "?");
        ButtonType answer = ask.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == save) {
            window.menu().save();
            // Saving runs in the background; the user closes again once it is written.
            return false;
        }
        return answer == discard;
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
        ScenarioDocument document = new ScenarioDocument(viewModel.scenario(), null);
        return show(stage, viewModel, document, new FileViewModel(document, Runnable::run, Runnable::run, AppHome.dir()));
    }

    /** Shows the editor on a document; the lab view-model runs whatever the document holds at Start. Call on the FX thread. */
    public static MainWindow show(Stage stage, LabViewModel viewModel, ScenarioDocument document, FileViewModel files) {
        return show(stage, viewModel, document, files, new LiveSessions(Runnable::run));
    }

    /** As above, with the live view showing each session {@code sessions} hands over (see {@link #liveLab}). */
    public static MainWindow show(Stage stage, LabViewModel viewModel, ScenarioDocument document, FileViewModel files, LiveSessions sessions) {
        Themes.apply(Themes.isDark());
        MainWindow window = new MainWindow(viewModel, document, files, sessions);
        Scene scene = new Scene(window.root(), 1280, 800);
        scene.getStylesheets().add(Objects.requireNonNull(FlowLabApp.class.getResource("app.css"), "app.css").toExternalForm());
        scene.getStylesheets().add(Objects.requireNonNull(LiveView.class.getResource("live.css"), "live.css").toExternalForm());
        stage.setScene(scene);
        Runnable title = () -> stage.setTitle(title(document));
        document.scenarioProperty().addListener((obs, was, now) -> title.run());
        document.fileProperty().addListener((obs, was, now) -> title.run());
        document.dirtyProperty().addListener((obs, was, now) -> title.run());
        title.run();
        stage.setOnHidden(e -> {
            window.stopRefreshing();
            viewModel.dispose();
        });
        stage.show();
        Platform.runLater(window.canvas()::requestFocus);
        return window;
    }

    static String title(ScenarioDocument document) {
        String name = document.scenario().name();
        String shown = document.file() != null ? document.file().getFileName().toString()
                : (name == null || name.isBlank() ? "untitled" : name);
        return "Request Flow Lab — " + (document.isDirty() ? "• " : "") + shown;
    }
}
