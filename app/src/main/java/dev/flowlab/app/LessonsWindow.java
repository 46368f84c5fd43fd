package dev.flowlab.app;

import dev.flowlab.app.learn.LessonEntry;
import dev.flowlab.app.learn.LessonHost;
import dev.flowlab.app.learn.LessonProgress;
import dev.flowlab.app.learn.LessonsPanel;
import dev.flowlab.app.edit.ScenarioEdit;
import dev.flowlab.app.files.AppHome;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.Traffic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/** Help -> Lessons: the Lessons panel in a window of its own beside the main window, acting on it through {@link LessonHost}. */
final class LessonsWindow {
    private static LessonsWindow open;
    private final Stage stage = new Stage();
    private final LessonsPanel panel;

    private LessonsWindow(MainWindow window, List<LessonEntry> lessons, Path home) {
        panel = new LessonsPanel(new Host(window), lessons, LessonProgress.load(home));
        Scene scene = new Scene(panel.root(), 900, 560);
        if (window.root().getScene() != null) {
            scene.getStylesheets().setAll(window.root().getScene().getStylesheets());
            Window owner = window.root().getScene().getWindow();
            stage.initOwner(owner);
        }
        stage.setTitle("Lessons - Request Flow Lab");
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            panel.dispose();
            if (open == this) {
                open = null;
            }
        });
    }

    /** Shows the lessons (the one window, brought to the front if open). */
    static LessonsWindow show(MainWindow window) {
        List<LessonEntry> lessons = new java.util.ArrayList<>(LessonEntry.library());
        // A lesson or challenge opened from a file (a challenge from lab-scenarios/challenges) is listed first.
        Scenario doc = window.document().scenario();
        Path file = window.document().file();
        if (doc.lesson() != null && !doc.lesson().steps().isEmpty() && lessons.stream().noneMatch(l -> Objects.equals(l.scenario().name(), doc.name()))) {
            lessons.add(0, new LessonEntry(file != null ? file.getFileName().toString().replaceFirst("\\.json$", "") : doc.name(), doc));
        }
        return show(window, lessons, AppHome.dir());
    }

    static LessonsWindow show(MainWindow window, List<LessonEntry> lessons, Path home) {
        if (open == null) {
            open = new LessonsWindow(window, lessons, home);
        }
        open.stage.show();
        open.stage.toFront();
        return open;
    }

    /** At the first launch (no progress file yet) the lessons are offered; the offer is made once. */
    static void offerAtFirstLaunch(MainWindow window) {
        Path home = AppHome.dir();
        if (!LessonProgress.exists(home)) {
            LessonProgress.load(home).save();
            show(window);
        }
    }

    /** The open Lessons window, or null. */
    static LessonsWindow current() {
        return open;
    }

    Stage stage() {
        return stage;
    }

    LessonsPanel panel() {
        return panel;
    }

    /** The main window seen by the panel. */
    private static final class Host implements LessonHost {
        private final MainWindow window;

        Host(MainWindow window) {
            this.window = window;
        }

        @Override
        public Scenario scenario() {
            return window.document().scenario();
        }

        @Override
        public void open(LessonEntry entry) {
            window.files().openLibrary(entry.id());
        }

        @Override
        public Lab runningLab() {
            return window.viewModel().runningLab();
        }

        @Override
        public void traffic(Double rps) {
            Traffic t = rps == null ? null : open(rps);
            restart(t);
        }

        private Traffic open(double rps) {
            Traffic own = scenario().effectiveTraffic();
            return new Traffic("open", rps, own.concurrency(), own.duration(), own.mix());
        }

        /** Starts the lab with this traffic; a running one is stopped first. */
        private void restart(Traffic t) {
            var lab = window.viewModel();
            if (!lab.isRunning() && !lab.isBusy()) {
                lab.start(t);
                return;
            }
            lab.runningProperty().addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends Boolean> obs, Boolean was, Boolean now) {
                    if (!now) {
                        lab.runningProperty().removeListener(this);
                        lab.start(t);
                    }
                }
            });
            lab.stop();
        }

        @Override
        public void stopThen(Runnable then) {
            var lab = window.viewModel();
            if (!lab.isRunning() && !lab.isBusy()) {
                then.run();
                return;
            }
            lab.busyProperty().addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends Boolean> obs, Boolean was, Boolean now) {
                    if (!now && !lab.isRunning()) {
                        lab.busyProperty().removeListener(this);
                        then.run();
                    }
                }
            });
            lab.stop();
        }

        @Override
        public void stopTraffic() {
            window.viewModel().stop();
        }

        @Override
        public void nodeAction(String action, String node, Map<String, String> params) {
            window.viewModel().nodeAction(action, node, params);
        }

        @Override
        public void traceNext() {
            window.live().traceNext();
        }

        @Override
        public void stepMode() {
            window.live().openStepMode();
        }

        @Override
        public String set(String node, String field, String value) {
            Scenario edited;
            try {
                edited = dev.flowlab.scenario.ScenarioEdit.set(scenario(), node, field, value);
            } catch (ScenarioException e) {
                return e.getMessage();
            }
            Scenario result = edited;
            window.document().execute(ScenarioEdit.of("Set " + node + " " + field, s -> result));
            if (window.viewModel().isRunning()) {
                Lab running = window.viewModel().runningLab();
                Traffic was = running == null ? null : running.scenario().traffic();
                restart(Objects.equals(was, scenario().traffic()) ? null : was);
            }
            return null;
        }

        @Override
        public void highlight(List<String> nodes) {
            window.selection().selectNodes(nodes, false);
        }
    }
}
