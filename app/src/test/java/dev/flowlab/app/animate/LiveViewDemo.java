package dev.flowlab.app.animate;

import atlantafx.base.theme.PrimerLight;
import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The live view on the read-only topology view, driven by a real lab, before it is wired into the
 * editor's canvas: {@code LiveViewDemo.Main [scenario] [--kill NODE@5s] [--trace-at 3s]
 * [--step-at 3s --steps N] [--tab events|charts|trace|step] [--severity warn]}. Used for screenshots and by hand.
 */
public final class LiveViewDemo extends Application {
    private static volatile List<String> arguments = List.of();

    private ExecutorService worker;
    private LabViewModel viewModel;

    /** Launcher that does not extend Application (so it runs from the class path). */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) {
            arguments = List.of(args);
            Application.launch(LiveViewDemo.class);
        }
    }

    /** Builds the window's content for a scenario: the topology with the live view around it. */
    public static Built build(Scenario scenario, java.util.function.Function<Scenario, Lab> labs, ExecutorService worker) {
        AtomicReference<LiveView> view = new AtomicReference<>();
        LiveTrafficDriver driver = new LiveTrafficDriver(session -> Platform.runLater(() -> view.get().attach(session)), true);
        LabViewModel vm = new LabViewModel(scenario, labs, driver, worker, Platform::runLater);
        EditorCanvas topology = new EditorCanvas(new ScenarioDocument(scenario, null), new Selection(), vm::node);
        TopologyViewGeometry geometry = new TopologyViewGeometry(topology::card, topology);
        // The main window's arrangement: the canvas with the live layers over it, the panels below.
        LiveView live = LiveView.aroundEditor(scenario, topology, geometry, geometry, System.nanoTime());
        view.set(live);
        javafx.scene.control.SplitPane root = new javafx.scene.control.SplitPane(live, live.panels().orElseThrow());
        root.setOrientation(javafx.geometry.Orientation.VERTICAL);
        root.setDividerPositions(0.5);
        topology.fitWhenLaidOut();
        Timeline refresher = new Timeline(new KeyFrame(Duration.millis(100), e -> vm.refresh()));
        refresher.setCycleCount(Timeline.INDEFINITE);
        refresher.play();
        return new Built(vm, live, topology, refresher, root);
    }

    /** What {@link #build} made; {@code root} is the window's content. */
    public record Built(LabViewModel viewModel, LiveView view, EditorCanvas topology, Timeline refresher,
                        javafx.scene.layout.Region root) {
    }

    @Override
    public void start(Stage stage) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        String scenarioName = args.isEmpty() || args.get(0).startsWith("--") ? "default" : args.remove(0);
        Scenario scenario = ScenarioLibrary.load(scenarioName);
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "live-demo-worker");
            t.setDaemon(true);
            return t;
        });
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        AtomicReference<Lab> lab = new AtomicReference<>();
        Built built = build(scenario, s -> {
            Lab l = dev.flowlab.app.FlowLabApp.backgroundLab(s);
            lab.set(l);
            return l;
        }, worker);
        viewModel = built.viewModel();
        Scene scene = new Scene(built.root(), 1560, 880);
        scene.getStylesheets().add(Objects.requireNonNull(dev.flowlab.app.FlowLabApp.class.getResource("app.css")).toExternalForm());
        scene.getStylesheets().add(Objects.requireNonNull(LiveView.class.getResource("live.css")).toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Request Flow Lab — live view — " + scenario.name());
        stage.show();
        viewModel.start();
        long stepAt = 0;
        for (int i = 0; i < args.size() - 1; i++) {
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--kill" -> {
                    String[] at = value.split("@");
                    later(at[1], () -> lab.get().kill(at[0]));
                }
                case "--trace-at" -> later(value, () -> Platform.runLater(() -> {
                    built.view().traceNext();
                }));
                case "--step-at" -> {
                    stepAt = Durations.parse(value).toMillis();
                    later(value, () -> Platform.runLater(() -> built.view().lookup("#step-send")
                        .fireEvent(new javafx.event.ActionEvent())));
                }
                case "--steps" -> {
                    int n = Integer.parseInt(value);
                    for (int s = 1; s <= n; s++) {
                        later((stepAt + 2000 + s * 1200L) + "ms", () -> Platform.runLater(() -> built.view().lookup("#step-forward")
                                .fireEvent(new javafx.event.ActionEvent())));
                    }
                }
                case "--severity" -> Platform.runLater(() -> built.view().eventLog().minimumSeverityProperty()
                        .set(EventLogModel.Severity.valueOf(value.toUpperCase(java.util.Locale.ROOT))));
                case "--tab" -> Platform.runLater(() -> {
                    var tabs = (javafx.scene.control.TabPane) built.view().lookup("#live-tabs");
                    tabs.getTabs().stream().filter(t -> t.getText().equalsIgnoreCase(value)).findFirst()
                            .ifPresent(t -> tabs.getSelectionModel().select(t));
                });
                default -> {
                }
            }
        }
    }

    private static final java.util.concurrent.ScheduledExecutorService SCRIPT =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "live-demo-script");
                t.setDaemon(true);
                return t;
            });

    private static void later(String after, Runnable action) {
        SCRIPT.schedule(action, Durations.parse(after).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (viewModel != null) {
            viewModel.dispose().get(15, java.util.concurrent.TimeUnit.SECONDS);
        }
        worker.shutdown();
    }
}
