package dev.flowlab.app;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.lab.TrafficDriver;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.NginxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
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

/** The list editor as a user drives it, headless: an upstream server added to the default scenario's Nginx, undone, redone, saved. */
@ExtendWith(ApplicationExtension.class)
class ListEditorAppTest {
    private static final long TIMEOUT_SECONDS = 15;

    @TempDir
    static Path dir;

    private ExecutorService worker;
    private Stage stage;
    private MainWindow window;
    private Path file;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        file = Files.createTempFile(dir, "default", ".json");
        ScenarioIO.write(file, DefaultScenario.load());
        ScenarioDocument document = new ScenarioDocument(ScenarioIO.check(file).scenario(), file);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, dir.resolve("home"));
        LabViewModel lab = new LabViewModel(document.scenario(), Stack::lab, TrafficDriver.NONE, worker, Platform::runLater);
        window = FlowLabApp.show(stage, lab, document, files);
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> stage.hide());
        worker.shutdown();
        assertThat(worker.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void addAnUpstreamServer_setItsWeight_undoRedo_save_andTheFileSaysExactlyThat(FxRobot robot) throws Exception {
        ScenarioDocument document = window.document();
        robot.clickOn("#node-nginx-1 .node-label");
        assertThat(window.selection().nodes()).containsExactly("nginx-1");
        search(robot, "upstreams");
        Button upstreams = robot.lookup("#field-upstreams").queryAs(Button.class);
        assertThat(upstreams.getText()).isEqualTo("1 upstream (default)…");

        robot.clickOn(upstreams);
        DialogPane outer = dialog(robot, "nginx-1 · upstreams");
        robot.clickOn(robot.from(outer).lookup("#cell-servers-0").queryAs(Button.class));
        DialogPane servers = dialog(robot, "nginx-1 · upstream nginx-1 · servers");

        robot.clickOn(robot.from(servers).lookup("#list-add").queryAs(Button.class));
        assertThat(robot.from(servers).lookup("#list-problems").tryQuery()).hasValueSatisfying(n -> assertThat(n.isVisible()).isTrue());
        assertThat(robot.from(servers).lookup("#list-ok").queryAs(Button.class).isDisabled()).isTrue();
        // The node from the combo box's list of what an nginx may forward to.
        ComboBox<?> node = robot.from(servers).lookup("#cell-node-1").queryAs(ComboBox.class);
        robot.clickOn(node.lookup(".arrow-button"));
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").match((ListCell<?> c) -> "tomcat-1".equals(c.getText())).queryAs(ListCell.class));
        // A weight out of range is refused with the engine's words; a good one goes in.
        robot.clickOn(robot.from(servers).lookup("#cell-weight-1").queryAs(Node.class)).write("0").type(KeyCode.ENTER);
        assertThat(robot.from(servers).lookup("#list-cell-problem").queryAs(Label.class).getText()).isEqualTo("0 is out of range 1..1000000");
        assertThat(robot.from(servers).lookup("#list-ok").queryAs(Button.class).isDisabled()).isTrue();
        robot.doubleClickOn(robot.from(servers).lookup("#cell-weight-1").queryAs(Node.class)).write("3").type(KeyCode.ENTER);
        assertThat(robot.from(servers).lookup("#list-ok").queryAs(Button.class).isDisabled()).isFalse();
        robot.clickOn(robot.from(servers).lookup("#list-ok").queryAs(Button.class));
        assertThat(robot.from(outer).lookup("#cell-servers-0").queryAs(Button.class).getText()).isEqualTo("2 servers…");
        assertThat(document.undoLabels()).isEmpty();
        robot.clickOn(robot.from(outer).lookup("#list-ok").queryAs(Button.class));

        NginxConfig.Upstream expected = new NginxConfig.Upstream("nginx-1", null, null, null, 32, null, null,
                List.of(NginxConfig.Server.node("gateway-1"), NginxConfig.Server.node("tomcat-1").withWeight(3)));
        assertThat(upstreams(document)).containsExactly(expected);
        assertThat(document.undoLabels()).containsExactly("Edit nginx-1 upstreams");
        assertThat(robot.lookup("#field-upstreams").queryAs(Button.class).getText()).isEqualTo("1 upstream…");

        // Undo and redo with the keyboard, from the canvas.
        robot.clickOn(window.canvas().localToScreen(40, 40));
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertThat(upstreams(document)).isNull();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(upstreams(document)).containsExactly(expected);

        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !document.isDirty());
        JsonNode saved = new ObjectMapper().readTree(file.toFile());
        JsonNode nginx = null;
        for (JsonNode n : saved.get("nodes")) {
            if (n.get("id").asText().equals("nginx-1")) {
                nginx = n;
            }
        }
        assertThat(nginx).isNotNull();
        assertThat(nginx.get("config").toString()).isEqualTo(
                "{\"upstreams\":[{\"name\":\"nginx-1\",\"keepalive\":32,\"servers\":[{\"node\":\"gateway-1\"},{\"node\":\"tomcat-1\",\"weight\":3}]}]}");
    }

    @Test
    void cancel_forgetsTheRows(FxRobot robot) {
        robot.clickOn("#node-lvs-1 .node-label");
        search(robot, "realServers");
        robot.clickOn("#field-realServers");
        DialogPane list = dialog(robot, "lvs-1 · real servers");
        robot.clickOn(robot.from(list).lookup("#cell-node-1").queryAs(Node.class));
        robot.clickOn(robot.from(list).lookup("#list-remove").queryAs(Button.class));

        robot.clickOn(robot.from(list).lookup("#list-cancel").queryAs(Button.class));

        assertThat(window.document().undoLabels()).isEmpty();
        assertThat(robot.lookup("#list-dialog").tryQuery()).isEmpty();
    }

    /** Narrows the property sheet to {@code name}, as one finds a field below the fold. */
    private static void search(FxRobot robot, String name) {
        robot.clickOn(robot.lookup("#inspector .text-field").match((TextField t) -> t.getPromptText() != null
                && t.getPromptText().toLowerCase(java.util.Locale.ROOT).contains("search")).queryAs(TextField.class)).write(name);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static DialogPane dialog(FxRobot robot, String header) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#list-dialog").<DialogPane>queryAll().stream()
                .filter(p -> header.equals(p.getHeaderText())).findFirst()
                .orElseThrow(() -> new AssertionError("no list dialog " + header));
    }

    private static List<NginxConfig.Upstream> upstreams(ScenarioDocument document) {
        return document.scenario().node("nginx-1").orElseThrow().configAs(NginxConfig.class).upstreams();
    }
}
