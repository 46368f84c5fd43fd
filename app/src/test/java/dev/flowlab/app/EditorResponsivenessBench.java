package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.lab.TrafficDriver;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Responsiveness of the editor on a 100-node topology (BENCHMARKS.md, "Desktop editor"): the time
 * to open the file, of one drag frame (a mouse move of a dragged selection, with the CSS and layout
 * pass it causes), of the drop (one undoable edit, live validation, redraw), of a property commit
 * and of a save. Timing claims live here, not in tests: it runs only with {@code -Dbench=true}
 * and prints its figures; the headless pipeline (Monocle, software) times the scene graph work,
 * not painting.
 * <pre>./mvnw -B -Pbench -pl app -am verify -Dtest=EditorResponsivenessBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@ExtendWith(ApplicationExtension.class)
class EditorResponsivenessBench {
    private static final int ROUNDS = 5;
    private static final int FRAMES = 300;

    @TempDir
    static Path dir;

    private ExecutorService worker;
    private Stage stage;
    private MainWindow window;

    @BeforeAll
    static void onlyWhenAsked() {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark: run with -Pbench (the profile sets -Dbench=true)");
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        Scenario empty = new Scenario(Scenario.FORMAT, "empty", null, List.of(), List.of(), null, null);
        ScenarioDocument document = new ScenarioDocument(empty, null);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, dir.resolve("home"));
        LabViewModel lab = new LabViewModel(empty, s -> {
            throw new IllegalStateException("not started in the benchmark");
        }, TrafficDriver.NONE, worker, Platform::runLater);
        window = FlowLabApp.show(stage, lab, document, files);
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> stage.hide());
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** client -> 3 nginx -> 96 tomcats (32 per nginx): 100 nodes, 99 links, laid out in columns. */
    static Scenario hundredNodes() {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(new NodeSpec("client", NodeKind.CLIENT, null, new dev.flowlab.topology.Position(40, 2400), null, null));
        for (int n = 1; n <= 3; n++) {
            nodes.add(new NodeSpec("nginx-" + n, NodeKind.NGINX, null, new dev.flowlab.topology.Position(360, 800 + n * 800), null, null));
            links.add(LinkSpec.of("client", "nginx-" + n));
        }
        for (int t = 1; t <= 96; t++) {
            nodes.add(new NodeSpec("tomcat-" + t, NodeKind.TOMCAT, null,
                    new dev.flowlab.topology.Position(700 + ((t - 1) / 48) * 320, 40 + ((t - 1) % 48) * 110), null, TomcatConfig.EMPTY.withMaxThreads(100 + t)));
            links.add(LinkSpec.of("nginx-" + (1 + (t - 1) / 32), "tomcat-" + t));
        }
        return new Scenario(Scenario.FORMAT, "hundred nodes", null, nodes, links, null, null);
    }

    /**
     * The FX thread's work for one frame: the action (an event handler, an edit) plus the next
     * pulse's CSS and layout pass, measured between the scene's pre- and post-layout pulse
     * listeners. Waiting for the pulse timer is not work and is left out, as is painting (on the
     * render thread).
     */
    private double frame(FxRobot robot, Runnable action) throws Exception {
        java.util.concurrent.CompletableFuture<Double> done = new java.util.concurrent.CompletableFuture<>();
        long[] handler = new long[1];
        long[] pre = new long[1];
        javafx.scene.Scene scene = stage.getScene();
        Runnable preListener = () -> pre[0] = System.nanoTime();
        Runnable[] postListener = new Runnable[1];
        postListener[0] = () -> {
            if (pre[0] != 0 && !done.isDone()) {
                done.complete(ms(handler[0] + System.nanoTime() - pre[0]));
            }
        };
        Platform.runLater(() -> {
            long s = System.nanoTime();
            action.run();
            handler[0] = System.nanoTime() - s;
            scene.addPreLayoutPulseListener(preListener);
            scene.addPostLayoutPulseListener(postListener[0]);
            Platform.requestNextPulse();
        });
        double ms = done.get(30, TimeUnit.SECONDS);
        robot.interact(() -> {
            scene.removePreLayoutPulseListener(preListener);
            scene.removePostLayoutPulseListener(postListener[0]);
        });
        return ms;
    }

    @Test
    void hundredNodes_open_dragFrame_drop_edit_save(FxRobot robot) throws Exception {
        Path file = dir.resolve("hundred.json");
        ScenarioIO.write(file, hundredNodes());

        double[] open = new double[ROUNDS];
        double[] openFx = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            robot.interact(() -> window.files().newScenario());
            WaitForAsyncUtils.waitForFxEvents();
            long t0 = System.nanoTime();
            robot.interact(() -> window.files().open(file));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.canvas().cardCount() == 100);
            WaitForAsyncUtils.waitForFxEvents();
            open[r] = ms(System.nanoTime() - t0);
            // The FX thread's share alone: swapping in the 100 nodes, drawing them, CSS and layout.
            Scenario loaded = window.document().scenario();
            robot.interact(() -> window.files().newScenario());
            WaitForAsyncUtils.waitForFxEvents();
            openFx[r] = frame(robot, () -> window.document().replace(loaded, file));
        }

        NodeCard card = window.canvas().card("tomcat-50").orElseThrow();
        double[] frame1 = dragFrames(robot, card, List.of("tomcat-50"));
        double[] frame10 = dragFrames(robot, card, List.of("tomcat-50", "tomcat-51", "tomcat-52", "tomcat-53", "tomcat-54",
                "tomcat-55", "tomcat-56", "tomcat-57", "tomcat-58", "tomcat-59"));

        double[] drop = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            int round = r;
            robot.interact(() -> {
                window.selection().selectOnly("tomcat-50");
                press(card);
                drag(card, 30 + round);
            });
            drop[r] = frame(robot, () -> card.fireEvent(mouse(MouseEvent.MOUSE_RELEASED, card, 30 + round)));
        }
        assertThat(window.document().undoLabels()).hasSize(ROUNDS);

        double[] commit = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            int round = r;
            robot.interact(() -> window.viewModelInspectorField("maxThreads").setText(Integer.toString(300 + round)));
            commit[r] = frame(robot, () -> window.viewModelInspectorField("maxThreads").commit());
        }

        double[] save = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            Scenario s = window.document().scenario();
            long t0 = System.nanoTime();
            ScenarioIO.write(file, s);
            save[r] = ms(System.nanoTime() - t0);
        }

        System.out.printf(Locale.ROOT, "%nEditor, 100 nodes / 99 links (load average %s)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report("open, wall (read + check on the worker, then the FX frame)", open);
        report("open, FX thread (swap in, draw 100 cards, CSS, layout)", openFx);
        report("drag frame, 1 node (" + FRAMES + " frames)", frame1);
        report("drag frame, 10 nodes (" + FRAMES + " frames)", frame10);
        report("drop (one undoable move, validation, redraw)", drop);
        report("property commit (maxThreads: validation, redraw)", commit);
        report("save (canonical JSON, atomic write, on the worker)", save);
    }

    private double[] dragFrames(FxRobot robot, NodeCard card, List<String> selected) throws Exception {
        double[] frames = new double[FRAMES];
        robot.interact(() -> {
            window.selection().selectNodes(selected, false);
            press(card);
        });
        for (int i = 0; i < FRAMES; i++) {
            double dx = 5 + i % 50;
            frames[i] = frame(robot, () -> drag(card, dx));
        }
        robot.interact(() -> {
            // Back where it was: a drag that ends where it began changes nothing.
            card.fireEvent(mouse(MouseEvent.MOUSE_DRAGGED, card, 0));
            card.fireEvent(mouse(MouseEvent.MOUSE_RELEASED, card, 0));
        });
        return frames;
    }

    /** Where the drag began, in the scene: later events are offsets from here, as the mouse's are. */
    private static javafx.geometry.Point2D pressedAt;

    private static void press(NodeCard card) {
        pressedAt = card.localToScene(10, 10);
        card.fireEvent(mouse(MouseEvent.MOUSE_PRESSED, card, 0));
    }

    private static void drag(NodeCard card, double dx) {
        card.fireEvent(mouse(MouseEvent.MOUSE_DRAGGED, card, dx));
    }

    private static MouseEvent mouse(javafx.event.EventType<MouseEvent> type, NodeCard card, double dx) {
        var at = pressedAt;
        double x = at.getX() + dx;
        double y = at.getY();
        return new MouseEvent(type, x, y, x, y, MouseButton.PRIMARY, 1,
                false, false, false, false, true, false, false, false, false, dx == 0, null);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void report(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        System.out.printf(Locale.ROOT, "  %-58s median %7.2f ms  p99 %7.2f ms  (%.2f..%.2f)%n", what,
                sorted[sorted.length / 2], p99, sorted[0], sorted[sorted.length - 1]);
    }
}
