package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.ReplayBar;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.metrics.NodeSnapshot;
import dev.flowlab.record.Recording;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
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
 * File > Open Recording, headless (Monocle): the real main window replays a recording (3 s of
 * client -> tomcat-1 at 100 req/s, tomcat-1 killed at 1.2 s, the client's failures after it)
 * with nothing running, and its timeline plays, jumps, scrubs and changes speed.
 */
@ExtendWith(ApplicationExtension.class)
class ReplayAppTest {
    private static final long TIMEOUT = 20;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, TestScenarios.clientToTomcat(null), dir.resolve("home"));
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> fixture.window.closeReplay());
        fixture.close(robot, TIMEOUT);
    }

    @Test
    void aRecording_replaysInTheLiveView_withATimeline_andNothingRuns(FxRobot robot) throws Exception {
        Recording recording = recording(TestScenarios.clientToTomcat(null));
        robot.interact(() -> fixture.window.openRecording(recording));
        WaitForAsyncUtils.waitForFxEvents();

        ReplayBar bar = WaitForAsyncUtils.asyncFx(() -> fixture.window.replay()).get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(bar).isNotNull();
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.live().session().isReplay()).get()).isTrue();
        assertThat(fixture.labs).as("nothing starts a server").isEmpty();
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.viewModel().isRunning()).get()).isFalse();
        assertThat(text(robot, "#replay-time")).isEqualTo("0.0 s / 3.0 s");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-markers .replay-marker").queryAll().size()).get())
                .as("the fault, the kill and the error burst").isEqualTo(3);
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> "running".equals(
                WaitForAsyncUtils.asyncFx(() -> fixture.window.live().badges().headline("tomcat-1")).get()));
        assertThat(cardFiguresShown(robot)).as("the badges carry the recorded figures; no card shows a stopped lab's zeros").isZero();

        // jump to the kill: the badge and the event log say so
        robot.interact(() -> {
            javafx.scene.control.TabPane tabs = robot.lookup("#live-tabs").query();
            tabs.getTabs().stream().filter(t -> t.getText().equals("Events")).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
        });
        robot.clickOn("#replay-next-kill");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> bar.player().positionMillis()).get()).isEqualTo(1200);
        assertThat(text(robot, "#replay-time")).isEqualTo("1.2 s / 3.0 s");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-next-kill").queryButton().isDisabled()).get())
                .as("no kill after this one").isTrue();
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> fixture.window.live().eventLog().shown().stream().anyMatch(r -> r.event().type() == EventType.NODE_KILLED
                        && r.tMillis() == 1200)).get());
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> "killed".equals(
                WaitForAsyncUtils.asyncFx(() -> fixture.window.live().badges().headline("tomcat-1")).get()));
        robot.clickOn("#replay-next-error-burst");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> bar.player().positionMillis()).get()).isEqualTo(1201);

        // the speed, then play: the timeline moves on its own, and stops at the end
        robot.interact(() -> robot.lookup("#replay-speed").<ComboBox<Double>>query().setValue(10.0));
        assertThat(WaitForAsyncUtils.asyncFx(() -> bar.player().speed()).get()).isEqualTo(10.0);
        robot.clickOn("#replay-play");
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> bar.player().positionMillis() == 3000 && !bar.player().playing()).get());
        assertThat(text(robot, "#replay-time")).isEqualTo("3.0 s / 3.0 s");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-play").queryButton().getText()).get()).isEqualTo("Play");

        // scrub back: the badge is the running server's again
        robot.interact(() -> robot.lookup("#replay-scrub").<Slider>query().setValue(400));
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> "running".equals(
                WaitForAsyncUtils.asyncFx(() -> fixture.window.live().badges().headline("tomcat-1")).get()));
        assertThat(WaitForAsyncUtils.asyncFx(() -> bar.player().positionMillis()).get()).isEqualTo(400);

        // close: the bar goes, and the view is detached
        robot.clickOn("#replay-close");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.replay() == null && fixture.window.live().session() == null).get())
                .isTrue();
        assertThat(robot.lookup("#replay-bar").tryQuery()).isEmpty();
        assertThat(cardFiguresShown(robot)).as("after the replay the cards show their figures again").isPositive();
    }

    @Test
    void inAReplay_theTraceTab_tracesARecordedRequest_rebuiltFromTheRecording(FxRobot robot) throws Exception {
        Recording recording = recording(TestScenarios.clientToTomcat(null), true);
        robot.interact(() -> fixture.window.openRecording(recording));
        WaitForAsyncUtils.waitForFxEvents();
        ReplayBar bar = WaitForAsyncUtils.asyncFx(() -> fixture.window.replay()).get(TIMEOUT, TimeUnit.SECONDS);
        robot.interact(() -> {
            javafx.scene.control.TabPane tabs = robot.lookup("#live-tabs").query();
            tabs.getTabs().stream().filter(t -> t.getText().equals("Trace")).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
        });
        WaitForAsyncUtils.waitForFxEvents();
        Button trace = robot.lookup("#trace-next").queryButton();
        assertThat(WaitForAsyncUtils.asyncFx(trace::getText).get()).isEqualTo("Trace a request");
        assertThat(WaitForAsyncUtils.asyncFx(trace::isDisabled).get()).as("a replay traces its recorded requests").isFalse();

        // at 0.5 s: the request that starts there, client then tomcat-1, as recorded
        robot.interact(() -> robot.lookup("#replay-scrub").<Slider>query().setValue(500));
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> bar.player().positionMillis() == 500).get());
        robot.clickOn("#trace-next");
        WaitForAsyncUtils.waitForFxEvents();
        var inspector = fixture.window.live().inspector();
        dev.flowlab.trace.Trace shown = WaitForAsyncUtils.asyncFx(inspector::shown).get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(shown).isNotNull();
        assertThat(shown.traceId()).isEqualTo("t500");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.hops()).extracting(dev.flowlab.trace.TraceHop::node).containsExactly("client", "tomcat-1");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#trace-waterfall .trace-hop").queryAll().size()).get()).isEqualTo(2);
        assertThat(text(robot, "#trace-summary")).contains("GET / -> 200").contains("2 hops").contains("t500");
        List<String> why = WaitForAsyncUtils.asyncFx(inspector::whyLines).get();
        assertThat(why.get(0)).startsWith("Recorded request").contains("0.500 s").doesNotContain("incomplete");
        assertThat(why).anyMatch(l -> l.startsWith("no headers"));
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.live().steps().steps().size()).get())
                .as("step mode steps through it").isGreaterThanOrEqualTo(2);
        assertThat(fixture.labs).as("nothing starts a server").isEmpty();

        // the chooser: the recorded requests around the moment; choosing one shows its trace
        ComboBox<dev.flowlab.record.RecordedTraces.Request> chooser = robot.lookup("#trace-recorded").query();
        assertThat(WaitForAsyncUtils.asyncFx(() -> chooser.getValue().traceId()).get()).isEqualTo("t500");
        assertThat(WaitForAsyncUtils.asyncFx(() -> chooser.getItems().stream().map(r -> r.traceId()).toList()).get())
                .contains("t450", "t500", "t600");
        robot.interact(() -> chooser.setValue(chooser.getItems().stream().filter(r -> r.traceId().equals("t600")).findFirst().orElseThrow()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> inspector.shown().traceId()).get()).isEqualTo("t600");

        // near the end: a request the recording has no answer for says it is incomplete
        robot.interact(() -> robot.lookup("#replay-scrub").<Slider>query().setValue(2995));
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> bar.player().positionMillis() == 2995).get());
        robot.clickOn("#trace-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> inspector.shown().traceId()).get()).isEqualTo("late");
        assertThat(WaitForAsyncUtils.asyncFx(inspector::whyLines).get())
                .anyMatch(l -> l.startsWith("Recorded request") && l.contains("(incomplete)"))
                .anyMatch(l -> l.startsWith("incomplete: the recording ended before the client had its answer"));
    }

    private static long cardFiguresShown(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            robot.lookup(".editor-canvas").query().applyCss();
            return robot.lookup(".node-card .stat").queryAll().stream().filter(javafx.scene.Node::isVisible).count();
        }).get(TIMEOUT, TimeUnit.SECONDS);
    }

    private static String text(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).<Label>query().getText()).get(TIMEOUT, TimeUnit.SECONDS);
    }

    /** 3 s: a request every 10 ms answered by tomcat-1 until it is killed at 1200 ms, then refused. */
    static Recording recording(Scenario scenario) {
        return recording(scenario, false);
    }

    /** With {@code tierHops}, tomcat-1's own events of each answered request too, and a last request with no answer recorded. */
    static Recording recording(Scenario scenario, boolean tierHops) {
        List<LabEvent> events = new ArrayList<>();
        if (tierHops) {
            for (long t = 0; t < 1200; t += 10) {
                String trace = "t" + t;
                events.add(new LabEvent(ms(t) + 500_000, EventType.REQUEST_RECEIVED, "tomcat-1", "127.0.0.1:40000", trace, 0, 0,
                        new Fact.RequestSeen("GET", "/", "127.0.0.1:40000")));
                events.add(new LabEvent(ms(t) + 1_500_000, EventType.RESPONSE_RETURNED, "tomcat-1", "127.0.0.1:40000", trace, 200,
                        ms(1), new Fact.Answered("GET", "/", 200, null, null)));
            }
            events.add(new LabEvent(ms(2999), EventType.CLIENT_REQUEST, "client", "tomcat-1", "late", 0, 0, new Fact.ClientRequest("GET", "/late")));
        }
        events.add(new LabEvent(ms(-50), EventType.NODE_STARTED, "tomcat-1", null, null, 0, 0, new Fact.Note("started")));
        for (long t = 0; t < 3000; t += 10) {
            String trace = "t" + t;
            if (t < 1200) {
                events.add(new LabEvent(ms(t), EventType.CLIENT_REQUEST, "client", "tomcat-1", trace, 0, 0, new Fact.ClientRequest("GET", "/")));
                events.add(new LabEvent(ms(t + 2), EventType.CLIENT_RESPONSE, "client", "tomcat-1", trace, 200, ms(2),
                        new Fact.ClientResponse("/")));
            } else {
                events.add(new LabEvent(ms(t + 1), EventType.CLIENT_ERROR, "client", "tomcat-1", trace, 0, ms(1),
                        new Fact.ClientError("connect_refused", "refused", "/")));
            }
        }
        events.add(new LabEvent(ms(1200), EventType.NODE_KILLED, "tomcat-1", null, null, 0, 0, new Fact.Note("killed")));
        events.sort(java.util.Comparator.comparingLong(LabEvent::nanos));
        List<MetricsSnapshot> snapshots = new ArrayList<>();
        for (long t : new long[] {0, 1000, 1200, 2000, 3000}) {
            String state = t < 1200 ? "running" : "killed";
            snapshots.add(new MetricsSnapshot(t, List.of(node("client", "client", "running"), node("tomcat-1", "tomcat", state))));
        }
        return new Recording("1.0", "2026-12-04T00:00:00Z", scenario, Map.of(), events, snapshots,
                List.of(new dev.flowlab.record.RecordedFault(1200, "kill", "tomcat-1", Map.of(), null)), null, 3000, true, 0, null);
    }

    private static NodeSnapshot node(String id, String kind, String state) {
        boolean up = state.equals("running");
        return new NodeSnapshot(id, kind, state, up ? 100 : 0, 0, up ? 1 : 0, 0, 0, Map.of(), Map.of(), 2, 2, 2, 2, 0, 0, 0, 0, 0,
                0, 0, Map.of());
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
