package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.runtime.Lab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.text.Text;
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
 * The default lab in the default 1280x800 window, fitted to view while it runs: every word on the
 * cards, the badges and the link pills is drawn at 11 px or more on screen, and none is cut short.
 */
@ExtendWith(ApplicationExtension.class)
class ReadableWindowAppTest {
    private static final long TIMEOUT_SECONDS = 20;
    private static final double MIN_SCREEN_PX = 11;

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
    void runningDefaultLab_at1280x800_fitted_everyWordReadsAtElevenPixels_noneEllipsised(FxRobot robot) throws Exception {
        assertThat(window.root().getScene().getWidth()).isEqualTo(1280);
        assertThat(window.root().getScene().getHeight()).isEqualTo(800);
        robot.clickOn("#start-button");
        EditorCanvas canvas = window.canvas();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        int nodes = window.document().scenario().nodes().size();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup(".live-badge").queryAll().size() == nodes
                && robot.lookup(".link-label").queryAll().size() >= 10).get());
        // ...and the capacity lines, which come with the lab's first report (Tomcat workers, proxies' upstream connections)
        long bounded = window.document().scenario().nodes().stream().filter(n -> n.kind() == dev.flowlab.topology.NodeKind.TOMCAT
                || n.kind() == dev.flowlab.topology.NodeKind.NGINX || n.kind() == dev.flowlab.topology.NodeKind.GATEWAY).count();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup(".node-capacity")
                .queryAll().stream().filter(Node::isVisible).count() >= bounded).get());
        // The run took the side panels away and opened the live panels: the canvas fitted again.
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#palette-tomcat").tryQuery()).get()).as("palette hidden while running").isEmpty();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas.isFitted()).isTrue();
        assertThat(canvas.isCompact()).as("zoomed out to fit, at %.2f", canvas.zoomProperty().get()).isTrue();
        robot.interact(() -> assertEverythingInView(canvas));

        List<String> tooSmall = new ArrayList<>();
        List<String> cut = new ArrayList<>();
        AtomicReference<Integer> checked = new AtomicReference<>(0);
        robot.interact(() -> {
            int n = 0;
            for (Node card : robot.lookup(".node-card").queryAll()) {
                for (Node l : card.lookupAll(".label")) {
                    n += check((Label) l, tooSmall, cut);
                }
            }
            for (Node l : robot.lookup(".live-badge").queryAll()) {
                n += check((Label) l, tooSmall, cut);
            }
            for (Node l : robot.lookup(".link-label").queryAll()) {
                n += check((Label) l, tooSmall, cut);
            }
            checked.set(n);
        });
        assertThat(checked.get()).as("labels checked").isGreaterThan(4 * nodes);
        assertThat(tooSmall).as("drawn under %.0f px on screen", MIN_SCREEN_PX).isEmpty();
        assertThat(cut).as("ellipsised").isEmpty();

        // The side panels back: the canvas is narrower and fits again, still showing every node.
        double zoom = canvas.zoomProperty().get();
        robot.clickOn("#side-panels-toggle");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> canvas.zoomProperty().get() < zoom - 0.05);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas.isFitted()).isTrue();
        robot.interact(() -> assertEverythingInView(canvas));

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#stop-button").queryAs(Button.class).isDisabled()).get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> labs.get(0).isClosed());
    }

    /** 1 when the label shows text: its font size times its scale on screen, and whether its skin cut it short. */
    private static int check(Label label, List<String> tooSmall, List<String> cut) {
        if (!label.isVisible() || label.getText() == null || label.getText().isBlank() || !shown(label)) {
            return 0;
        }
        double scale = label.getLocalToSceneTransform().getMxx();
        double px = label.getFont().getSize() * scale;
        String name = (label.getId() != null ? label.getId() : String.join(".", label.getStyleClass())) + " in "
                + owner(label) + " '" + label.getText() + "'";
        if (px < MIN_SCREEN_PX - 1e-6) {
            tooSmall.add(String.format("%s: %.1f px x %.2f = %.1f px", name, label.getFont().getSize(), scale, px));
        }
        Node text = label.lookup(".text");
        if (text instanceof Text t && (t.getText().endsWith("...") || t.getText().contains("…"))) {
            cut.add(name + " shown as '" + t.getText() + "'");
        }
        return 1;
    }

    private static boolean shown(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (!at.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static String owner(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (at instanceof NodeCard card) {
                return card.getId();
            }
        }
        return n.getParent() == null ? "?" : n.getParent().getId();
    }

    private static void assertEverythingInView(EditorCanvas canvas) {
        Bounds view = canvas.localToScene(canvas.getLayoutBounds());
        for (Node item : canvas.drawnItems()) {
            if (item instanceof NodeCard card) {
                Bounds b = card.localToScene(card.getLayoutBounds());
                assertThat(view.contains(b)).as("%s at %s within the canvas %s", card.getId(), b, view).isTrue();
            }
        }
    }
}
