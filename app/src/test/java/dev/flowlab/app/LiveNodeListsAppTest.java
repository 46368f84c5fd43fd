package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.EventLogModel;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
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
 * The charts' rows and the event log's node filter follow the topology in the real main window:
 * a node added, renamed, deleted in the editor, another file opened, the lab started on it.
 */
@ExtendWith(ApplicationExtension.class)
class LiveNodeListsAppTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private List<Lab> labs;
    private MainWindow window;

    private static Scenario shop() {
        return new Scenario(Scenario.FORMAT, "shop", null,
                List.of(new NodeSpec("client", NodeKind.CLIENT, "Browsers", new Position(40, 60), null, null),
                        new NodeSpec("nginx-1", NodeKind.NGINX, "Nginx", new Position(340, 60), null, null)),
                List.of(LinkSpec.of("client", "nginx-1")), null, null);
    }

    /** Another file, runnable: client -> nginx-9 -> tomcat-9. */
    private static Scenario other() {
        return new Scenario(Scenario.FORMAT, "other", null,
                List.of(new NodeSpec("client", NodeKind.CLIENT, "Browsers", new Position(40, 300), null, null),
                        new NodeSpec("nginx-9", NodeKind.NGINX, "Edge proxy", new Position(340, 300), null, null),
                        new NodeSpec("tomcat-9", NodeKind.TOMCAT, "App", new Position(640, 300), null, null)),
                List.of(LinkSpec.of("client", "nginx-9"), LinkSpec.of("nginx-9", "tomcat-9")), null, null);
    }

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, shop(), dir.resolve("home"));
        labs = fixture.labs;
        window = fixture.window;
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        fixture.close(robot, TIMEOUT_SECONDS);
    }

    @Test
    void addRenameDeleteOpenAndStart_theChartsAndTheEventFilterFollow_keepingTheSelection(FxRobot robot) throws Exception {
        robot.clickOn("#live-panels-toggle");
        robot.clickOn("#tab-charts");
        assertThat(chartRows()).containsExactly("client", "nginx-1");
        assertThat(eventChoices(robot)).containsExactly(EventLogModel.ANY, "client", "nginx-1");
        robot.clickOn("#chart-row-nginx-1");
        robot.interact(() -> window.live().eventLog().nodeProperty().set("nginx-1"));

        // Add: a Tomcat from the palette.
        robot.clickOn("#palette-tomcat");
        assertThat(window.document().scenario().node("tomcat-1")).isPresent();
        assertThat(chartRows()).containsExactly("client", "nginx-1", "tomcat-1");
        assertThat(robot.lookup("#chart-row-tomcat-1").tryQuery()).isPresent();
        assertThat(eventChoices(robot)).containsExactly(EventLogModel.ANY, "client", "nginx-1", "tomcat-1");
        assertThat(window.live().charts().selected()).isEqualTo("nginx-1");

        // Rename: the selection follows the node to its new name.
        robot.clickOn("#node-nginx-1 .node-kind");
        robot.clickOn("#field-id").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write("edge").type(KeyCode.ENTER);
        assertThat(window.document().scenario().node("edge")).isPresent();
        assertThat(chartRows()).containsExactly("client", "edge", "tomcat-1");
        assertThat(window.live().charts().selected()).isEqualTo("edge");
        assertThat(window.live().eventLog().nodeProperty().get()).isEqualTo("edge");
        assertThat(eventCombo(robot).getValue()).isEqualTo("edge");

        // Delete: the Tomcat goes; the selection, on another node, stays.
        // (selected through the model: the palette dropped the Tomcat half under another card)
        robot.interact(() -> window.selection().selectOnly("tomcat-1"));
        robot.clickOn("#delete-button");
        assertThat(window.document().scenario().node("tomcat-1")).isEmpty();
        assertThat(chartRows()).containsExactly("client", "edge");
        assertThat(eventChoices(robot)).containsExactly(EventLogModel.ANY, "client", "edge");
        assertThat(window.live().charts().selected()).isEqualTo("edge");

        // Open another scenario: its nodes; the old selection is gone, so the first row and "any".
        Path other = dir.resolve("other.json");
        ScenarioIO.write(other, other());
        robot.interact(() -> window.files().open(other));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "other".equals(window.document().scenario().name()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(chartRows()).containsExactly("client", "nginx-9", "tomcat-9");
        assertThat(eventChoices(robot)).containsExactly(EventLogModel.ANY, "client", "nginx-9", "tomcat-9");
        assertThat(window.live().charts().selected()).isEqualTo("client");
        assertThat(eventCombo(robot).getValue()).isEqualTo(EventLogModel.ANY);

        // Start on it; then delete a node while it runs: the lab still has it, so it stays listed until Stop.
        robot.clickOn("#chart-row-nginx-9");
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(chartRows()).containsExactly("client", "nginx-9", "tomcat-9");
        robot.clickOn("#node-nginx-9 .node-kind");
        robot.clickOn("#delete-button");
        assertThat(window.document().scenario().node("nginx-9")).isEmpty();
        assertThat(chartRows()).containsExactly("client", "tomcat-9", "nginx-9");
        assertThat(window.live().charts().selected()).isEqualTo("nginx-9");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !window.viewModel().busyProperty().get());
        robot.clickOn("#stop-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(chartRows()).containsExactly("client", "tomcat-9");
        assertThat(eventChoices(robot)).containsExactly(EventLogModel.ANY, "client", "tomcat-9");
        assertThat(window.live().charts().selected()).isEqualTo("client");
    }

    private List<String> chartRows() {
        return window.live().charts().nodes();
    }

    @SuppressWarnings("unchecked")
    private static ComboBox<String> eventCombo(FxRobot robot) {
        Node combo = robot.lookup("#event-filter-node").query();
        return (ComboBox<String>) combo;
    }

    private static List<String> eventChoices(FxRobot robot) {
        return List.copyOf(eventCombo(robot).getItems());
    }
}
