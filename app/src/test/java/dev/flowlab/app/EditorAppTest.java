package dev.flowlab.app;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.lab.TrafficDriver;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The editor as a user drives it, headless (Monocle): palette, ports, property sheet, shortcuts, files, run control. */
@ExtendWith(ApplicationExtension.class)
class EditorAppTest {
    private static final long TIMEOUT_SECONDS = 15;

    @TempDir
    static Path dir;

    private final List<Lab> labs = new CopyOnWriteArrayList<>();
    private ExecutorService worker;
    private Stage stage;
    private MainWindow window;
    private Path file;
    private Scenario opened;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        file = Files.createTempFile(dir, "shop", ".json");
        opened = new Scenario(Scenario.FORMAT, "shop", null,
                List.of(new NodeSpec("client", NodeKind.CLIENT, "Browsers", new Position(40, 60), null, null),
                        new NodeSpec("nginx-1", NodeKind.NGINX, "Nginx", new Position(40, 260), null, null)),
                List.of(LinkSpec.of("client", "nginx-1")), null, null);
        ScenarioIO.write(file, opened);
        ScenarioDocument document = new ScenarioDocument(ScenarioIO.check(file).scenario(), file);
        FileViewModel files = new FileViewModel(document, worker, Platform::runLater, dir.resolve("home"));
        LabViewModel lab = new LabViewModel(document.scenario(), scenario -> {
            Lab l = Stack.lab(scenario);
            labs.add(l);
            return l;
        }, TrafficDriver.NONE, worker, Platform::runLater);
        window = FlowLabApp.show(stage, lab, document, files);
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> stage.hide());
        worker.shutdown();
        assertThat(worker.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        labs.forEach(Lab::close);
    }

    @Test
    void dragATomcat_linkIt_setMaxThreads_undoRedo_save_andTheFileSaysExactlyThat(FxRobot robot) throws Exception {
        ScenarioDocument document = window.document();

        // Drag a Tomcat from the palette onto an empty part of the canvas.
        Point2D drop = canvasPoint(robot, 420, 120);
        robot.drag("#palette-tomcat", MouseButton.PRIMARY).moveTo(drop).drop();
        assertThat(document.scenario().node("tomcat-1")).isPresent();
        assertThat(robot.lookup("#node-tomcat-1").tryQuery()).isPresent();
        // Where the mouse let go, in canvas units (the canvas fitted the scenario in view, so zoom and pan apply).
        Point2D dropInScene = window.canvas().localToScene(420, 120);
        Position expected = window.canvas().toCanvas(dropInScene.getX(), dropInScene.getY());
        Position placed = document.scenario().node("tomcat-1").orElseThrow().position();
        assertThat(placed.x()).isCloseTo(expected.x(), org.assertj.core.data.Offset.offset(2.0));
        assertThat(placed.y()).isCloseTo(expected.y(), org.assertj.core.data.Offset.offset(2.0));
        assertThat(document.undoLabelProperty().get()).isEqualTo("Add Tomcat");

        // Drag from the Nginx's port onto the Tomcat: a link.
        robot.drag("#port-nginx-1", MouseButton.PRIMARY).moveTo("#node-tomcat-1").drop();
        assertThat(document.scenario().links()).contains(LinkSpec.of("nginx-1", "tomcat-1"));
        assertThat(robot.lookup("#link-nginx-1-tomcat-1").tryQuery()).isPresent();

        // Select the Tomcat and type maxThreads in the property sheet.
        robot.clickOn("#node-tomcat-1 .node-label");
        assertThat(window.selection().nodes()).containsExactly("tomcat-1");
        robot.clickOn("#field-maxThreads").write("400").type(KeyCode.ENTER);
        assertThat(maxThreads(document)).isEqualTo(400);
        assertThat(document.undoLabelProperty().get()).isEqualTo("Set tomcat-1 maxThreads to 400");

        // Undo and redo with the keyboard, from the canvas.
        robot.clickOn(canvasPoint(robot, 600, 400));
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertThat(maxThreads(document)).isNull();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(maxThreads(document)).isEqualTo(400);
        assertThat(document.isDirty()).isTrue();

        // Save (Ctrl+S) and read the file back as plain JSON.
        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !document.isDirty());
        JsonNode saved = new ObjectMapper().readTree(file.toFile());
        JsonNode tomcat = saved.get("nodes").get(2);
        assertThat(tomcat.get("id").asText()).isEqualTo("tomcat-1");
        assertThat(tomcat.get("kind").asText()).isEqualTo("tomcat");
        assertThat(tomcat.get("config").toString()).isEqualTo("{\"maxThreads\":400}");
        assertThat(tomcat.get("position").get("x").asDouble()).isEqualTo(placed.x());
        assertThat(saved.get("links").toString()).isEqualTo(
                "[{\"from\":\"client\",\"to\":\"nginx-1\"},{\"from\":\"nginx-1\",\"to\":\"tomcat-1\"}]");
        assertThat(saved.get("nodes")).hasSize(3);
        assertThat(stage.getTitle()).isEqualTo("Request Flow Lab — " + file.getFileName());
    }

    @Test
    void anHaPairFromThePalette_marksBothCards_andItsMembersSheetShowsTheGroup(FxRobot robot) {
        ScenarioDocument document = window.document();

        robot.drag("#palette-ha-pair", MouseButton.PRIMARY).moveTo(canvasPoint(robot, 420, 120)).drop();

        assertThat(document.scenario().haGroups()).extracting(g -> g.id()).containsExactly("nginx-ha");
        for (String id : List.of("nginx-2", "nginx-3")) {
            assertThat(robot.lookup("#node-" + id).query().getStyleClass()).contains("ha-member");
            assertThat(robot.lookup("#node-" + id + " .ha-caption").queryAs(Label.class).getText()).isEqualTo("VRRP nginx-ha");
        }
        assertThat(robot.lookup("#node-nginx-1").query().getStyleClass()).doesNotContain("ha-member");
        assertThat(robot.lookup("#node-nginx-1 .ha-caption").queryAs(Label.class).isVisible()).isFalse();

        robot.clickOn("#node-nginx-3 .node-label");
        assertThat(window.selection().nodes()).containsExactly("nginx-3");
        assertThat(robot.lookup(n -> "field-ha.priority".equals(n.getId())).tryQuery()).isPresent();

        robot.clickOn(canvasPoint(robot, 600, 400));
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertThat(document.scenario().haGroups()).isEmpty();
        assertThat(robot.lookup("#node-nginx-2").tryQuery()).isEmpty();
    }

    @Test
    void openingABrokenFile_showsFileLineColumnAndMessage_andThePreviousScenarioStaysOpen(FxRobot robot) throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"format\": 1,\n  \"name\": \"broken\",\n  \"nodes\": [\n    { \"id\": \"t\", \"kind\": \"tomcat\", \"config\": { \"maxThreads\": \"many\" } }\n  ]\n}\n");

        robot.interact(() -> window.files().open(broken));

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> !window.files().loadProblems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> problems = robot.lookup("#problem-list").queryAs(ListView.class);
        String shown = problems.getItems().get(0).toString();
        assertThat(shown).startsWith(broken + ":5:").contains("maxThreads");
        assertThat(robot.lookup("#problems").queryAs(TitledPane.class).isExpanded()).isTrue();
        assertThat(robot.lookup("#file-status").queryAs(Label.class).getText()).contains("Could not open broken.json");
        assertThat(window.document().scenario()).isEqualTo(opened);
        assertThat(window.document().file()).isEqualTo(file);
        assertThat(robot.lookup("#node-nginx-1").tryQuery()).isPresent();
        assertThat(stage.getTitle()).isEqualTo("Request Flow Lab — " + file.getFileName());
    }

    @Test
    void start_isRefusedWithTheListWhenTheTopologyCannotRun(FxRobot robot) {
        // Nothing links client -> tomcat the wrong way round yet; make the topology impossible: link the nginx back to the client.
        robot.drag("#port-nginx-1", MouseButton.PRIMARY).moveTo("#node-client").drop();
        assertThat(window.document().problems().hasErrors()).isTrue();
        assertThat(robot.lookup("#link-nginx-1-client").tryQuery()).isPresent();

        robot.clickOn("#start-button");

        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#start-refused").tryQuery()).isPresent();
        assertThat(robot.lookup("#status-line").queryAs(Label.class).getText()).startsWith("Cannot start:");
        assertThat(labs).isEmpty();
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void whileRunning_aNodesContextMenu_killsIt(FxRobot robot) throws TimeoutException {
        robot.drag("#palette-tomcat", MouseButton.PRIMARY).moveTo(canvasPoint(robot, 420, 260)).drop();
        robot.drag("#port-nginx-1", MouseButton.PRIMARY).moveTo("#node-tomcat-1").drop();
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "running".equals(badge(robot, "tomcat-1")));

        robot.rightClickOn("#node-tomcat-1 .node-label");
        robot.clickOn(NodeMenus.ACTIONS.get(0)[1]);

        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "killed".equals(badge(robot, "tomcat-1")));
        assertThat(badge(robot, "nginx-1")).isEqualTo("running");

        // Its menu now follows its state: nothing left to kill or stop, Start offered.
        robot.rightClickOn("#node-tomcat-1 .node-label");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ContextMenu menu = window.canvas().shownMenu();
        assertThat(menu.isShowing()).isTrue();
        java.util.Map<String, Boolean> disabled = new java.util.HashMap<>();
        menu.getItems().stream().filter(i -> i.getId() != null).forEach(i -> disabled.put(i.getId(), i.isDisable()));
        assertThat(disabled).containsEntry("menu-kill", true).containsEntry("menu-stop", true)
                .containsEntry("menu-start", false).containsEntry("menu-restart", false);
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void whileRunning_anHaMembersContextMenu_killsItsKeepalivedOnly_andStartsItAgain(FxRobot robot) throws Exception {
        Path pair = dir.resolve("pair.json");
        ScenarioIO.write(pair, new Scenario(Scenario.FORMAT, "pair", null,
                List.of(new NodeSpec("client", NodeKind.CLIENT, "Browsers", new Position(40, 160), null, null),
                        new NodeSpec("nginx-2", NodeKind.NGINX, "Nginx 2", new Position(300, 60), null, null),
                        new NodeSpec("nginx-3", NodeKind.NGINX, "Nginx 3", new Position(300, 260), null, null),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, "Tomcat", new Position(560, 160), null, null)),
                List.of(LinkSpec.of("client", "nginx-2"), LinkSpec.of("nginx-2", "tomcat-1"), LinkSpec.of("nginx-3", "tomcat-1")),
                null, null, List.of(new dev.flowlab.topology.HaGroup("nginx-ha", null, 51, java.time.Duration.ofMillis(100), 3,
                        List.of(dev.flowlab.topology.HaMember.of("nginx-2", 150).withState("MASTER"),
                                dev.flowlab.topology.HaMember.of("nginx-3", 100)), null))));
        robot.interact(() -> window.files().open(pair));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#node-nginx-3").tryQuery().isPresent()).get());
        robot.clickOn("#start-button");
        awaitStatus(robot, s -> s.startsWith("Running"));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "running".equals(badge(robot, "nginx-2")));

        robot.rightClickOn("#node-nginx-2 .node-label");
        // looked up on the FX thread: the running lab's live view changes the scene graph meanwhile
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("Kill host (node and keepalived)").tryQuery().isPresent()).get()).isTrue();
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("Start keepalived").tryQuery().isPresent()).get()).isTrue();
        robot.clickOn("Kill keepalived process only (VIP stays)");

        awaitStatus(robot, "Kill keepalived nginx-2: done"::equals);
        dev.flowlab.ha.VrrpGroup group = dev.flowlab.ha.HighAvailability.of(labs.get(0)).group("nginx-ha").orElseThrow();
        assertThat(group.keepalivedRunning("nginx-2")).isFalse();
        assertThat(group.vipLeftBehindOn("nginx-2")).as("the VIP stays on the node").isTrue();
        assertThat(badge(robot, "nginx-2")).startsWith("running");

        robot.rightClickOn("#node-nginx-2 .node-label");
        robot.clickOn("Start keepalived");
        awaitStatus(robot, "Start keepalived nginx-2: done"::equals);
        assertThat(group.keepalivedRunning("nginx-2")).isTrue();
        assertThat(group.vipLeftBehindOn("nginx-2")).isFalse();
    }

    private static void awaitStatus(FxRobot robot, java.util.function.Predicate<String> wanted) {
        await("the status line").atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).until(
                () -> statusLine(robot), wanted);
    }

    /** The status line's text, read on the FX thread (the live view changes the scene graph while the lab runs). */
    private static String statusLine(FxRobot robot) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup("#status-line").queryAs(Label.class).getText()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Point2D canvasPoint(FxRobot robot, double x, double y) {
        return window.canvas().localToScreen(x, y);
    }

    private static Integer maxThreads(ScenarioDocument document) {
        return document.scenario().node("tomcat-1").orElseThrow().configAs(TomcatConfig.class).maxThreads();
    }

    /** On the FX thread: the scene graph changes while a lab starts (the side panels go). */
    private static String badge(FxRobot robot, String nodeId) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup("#node-" + nodeId + " .state-badge").queryAs(Label.class).getText()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
