package dev.flowlab.app.animate;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Scenario;
import dev.flowlab.trace.TraceHop;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The live view, headless (Monocle), on the library's default scenario running for real. */
@ExtendWith(ApplicationExtension.class)
class LiveViewTest {
    private static final long TIMEOUT = 20;

    private final List<Lab> labs = new CopyOnWriteArrayList<>();
    private ExecutorService worker;
    private Stage stage;
    private LiveViewDemo.Built built;
    private Scenario scenario;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        worker = Executors.newSingleThreadExecutor();
        scenario = ScenarioLibrary.load("default");
        built = LiveViewDemo.build(scenario, s -> {
            Lab lab = Stack.lab(s);
            labs.add(lab);
            return lab;
        }, worker);
        // Monocle's headless screen is 1280x800: the window fits in it, and the panels get most of
        // it so every trace row can be clicked.
        ((javafx.scene.control.SplitPane) built.root()).setDividerPositions(0.3);
        Scene scene = new Scene(built.root(), 1200, 740);
        scene.getStylesheets().add(Objects.requireNonNull(LiveView.class.getResource("live.css")).toExternalForm());
        stage.setScene(scene);
        stage.show();
        built.viewModel().start();
    }

    @AfterEach
    void close(FxRobot robot) throws Exception {
        robot.interact(() -> {
            built.refresher().stop();
            built.view().detach();
            stage.hide();
        });
        built.viewModel().dispose().get(TIMEOUT, TimeUnit.SECONDS);
        worker.shutdown();
        assertThat(worker.awaitTermination(TIMEOUT, TimeUnit.SECONDS)).isTrue();
        labs.forEach(Lab::close);
    }

    @Test
    void traceNextRequest_showsOneRowPerHop_withHeadersOfTheSelectedHop(FxRobot robot) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> built.view().session() != null);
        robot.clickOn("#trace-next");
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> built.view().inspector().shown() != null);
        WaitForAsyncUtils.waitForFxEvents();

        List<TraceHop> hops = built.view().inspector().shown().hops();
        List<Node> rows = List.copyOf(robot.lookup(".trace-hop").queryAll());
        assertThat(rows).hasSize(hops.size());
        assertThat(hops.size()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < hops.size(); i++) {
            Node row = robot.lookup("#trace-hop-" + i).query();
            assertThat(((Label) row.lookup(".hop-node")).getText()).isEqualTo(hops.get(i).node());
        }
        // The default scenario is the full stack: the DNS lookup, then the client's request through
        // the LVS director, an Nginx and the gateway to a Tomcat.
        List<String> path = hops.stream().map(TraceHop::node).toList();
        // (the next request may be a static file, which an Nginx answers itself, or an API call that
        // goes on through the gateway to a Tomcat).
        assertThat(path.subList(0, 3)).containsExactly("dns", "client", "lvs-1");
        assertThat(path.get(3)).startsWith("nginx-");
        if (path.size() > 4) {
            assertThat(path.get(4)).isEqualTo("gateway-1");
            assertThat(path.get(path.size() - 1)).startsWith("tomcat-");
        }
        int client = path.indexOf("client");
        robot.clickOn("#trace-hop-" + client);
        String details = ((javafx.scene.control.TextArea) robot.lookup("#trace-details").query()).getText();
        assertThat(details).containsIgnoringCase("x-lab-trace: " + built.view().inspector().shown().traceId());

        robot.clickOn("#trace-hop-1");
        String second = ((javafx.scene.control.TextArea) robot.lookup("#trace-details").query()).getText();
        assertThat(second).startsWith(hops.get(1).node());
    }

    @Test
    void traceThroughTheGateway_theTomcatRowShowsTheRpcFrame(FxRobot robot) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> built.view().session() != null);
        // Static files end at an Nginx: trace until a request goes on through the gateway to a Tomcat.
        int tomcat = -1;
        for (int attempt = 0; attempt < 30 && tomcat < 0; attempt++) {
            var before = built.view().inspector().shown();
            robot.clickOn("#trace-next");
            WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> built.view().inspector().shown() != before);
            WaitForAsyncUtils.waitForFxEvents();
            List<TraceHop> hops = built.view().inspector().shown().hops();
            for (int i = 0; i < hops.size(); i++) {
                if (hops.get(i).node().startsWith("tomcat-")) {
                    tomcat = i;
                }
            }
        }
        assertThat(tomcat).as("a traced request reached a Tomcat").isNotNegative();
        TraceHop hop = built.view().inspector().shown().hops().get(tomcat);
        Node row = robot.lookup("#trace-hop-" + tomcat).query();
        assertThat(row.lookup(".hop-rpc")).as("the row is tagged RPC").isNotNull();

        // The why lines above the waterfall leave it a few rows: bring the Tomcat's row into view, as a user scrolls to it.
        int tomcatRow = tomcat;
        robot.interact(() -> built.view().inspector().reveal(tomcatRow));
        robot.clickOn("#trace-hop-" + tomcat);

        Node section = robot.lookup("#trace-rpc-section").query();
        assertThat(section.isVisible()).isTrue();
        String frame = ((javafx.scene.control.TextArea) robot.lookup("#trace-rpc-frame").query()).getText();
        assertThat(frame).contains("=== RPC request received", "=== RPC response sent")
                .contains("requestId   " + hop.frame("request received").requestId())
                .contains("traceId     " + built.view().inspector().shown().traceId())
                // Whatever was traced (a page or an API call), the frame names the path the gateway converted.
                .contains("service     " + hop.frame("request received").path())
                .contains("0000  f1 0b 01 01 ");
        // A hop that spoke HTTP has no RPC section.
        int client = built.view().inspector().shown().hops().stream().map(TraceHop::node).toList().indexOf("client");
        robot.clickOn("#trace-hop-" + client);
        assertThat(section.isVisible()).isFalse();
        assertThat(built.view().inspector().rpcFrameText()).isEmpty();
    }

    @Test
    void killingANode_turnsItsBadge_andLogsTheEvent(FxRobot robot) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> badge(robot, "tomcat-2").startsWith("running"));

        labs.get(0).kill("tomcat-2");

        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> badge(robot, "tomcat-2").startsWith("killed"));
        robot.clickOn("#tab-events");
        robot.interact(() -> {
            built.view().eventLog().kindProperty().set(EventType.NODE_KILLED);
        });
        robot.clickOn("#event-search").write("tomcat-2");
        @SuppressWarnings("unchecked")
        TableView<EventLogModel.Row> table = robot.lookup("#event-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> !table.getItems().isEmpty());
        assertThat(table.getItems()).allSatisfy(r -> {
            assertThat(r.event().type()).isEqualTo(EventType.NODE_KILLED);
            assertThat(r.text()).contains("tomcat-2");
        });
        assertThat(table.getItems().get(0).severity()).isEqualTo(EventLogModel.Severity.ERROR);
    }

    private static String badge(FxRobot robot, String node) {
        return robot.lookup("#live-badge-" + node).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }
}
