package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.record.Recording;
import dev.flowlab.record.RecordingReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Record toggle, headless: a running lab (real sockets, its own traffic) recorded, then replayed with the lab stopped. */
@ExtendWith(ApplicationExtension.class)
class RecordAppTest {
    private static final long TIMEOUT = 30;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, TestScenarios.clientToTomcat(null), dir.resolve("home"));
        fixture.window.recordingsDir(dir.resolve("recordings"));
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> fixture.window.closeReplay());
        fixture.close(robot, TIMEOUT);
    }

    @Test
    void record_whileTheLabRuns_writesARecordingThatReplays(FxRobot robot) throws Exception {
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#record-toggle").queryAs(javafx.scene.control.ToggleButton.class)
                .isDisabled()).get()).as("nothing to record while stopped").isTrue();
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> fixture.window.live().session() != null).get());
        robot.clickOn("#record-toggle");
        Path file = WaitForAsyncUtils.asyncFx(() -> fixture.window.recordingFile()).get();
        assertThat(file).isNotNull().hasParent(dir.resolve("recordings"));
        assertThat(file.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.flowrec");
        assertThat(status(robot)).isEqualTo("Recording to " + file);
        // two frames of the lab's traffic written (one a second), then stop recording
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> Files.exists(file) && !RecordingReader.read(file).snapshots().isEmpty()
                && RecordingReader.read(file).lengthMillis() >= 2000);
        // a node action while recording is one of the recording's faults
        robot.interact(() -> fixture.window.viewModel().nodeAction("kill", "tomcat-1"));
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> fixture.window.viewModel().node("tomcat-1").map(n -> "killed".equals(n.getState())).orElse(false)).get());
        robot.clickOn("#record-toggle");
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> status(robot).startsWith("Recorded " + file));

        Recording r = RecordingReader.read(file);
        assertThat(r.complete()).isTrue();
        assertThat(r.scenario().name()).isEqualTo("one tomcat");
        assertThat(r.events()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.CLIENT_RESPONSE));
        assertThat(r.report()).as("the app records no run report").isEmpty();
        assertThat(r.faults()).singleElement().satisfies(f -> {
            assertThat(f.action()).isEqualTo("kill");
            assertThat(f.node()).isEqualTo("tomcat-1");
            assertThat(f.failure()).isNull();
            assertThat(f.tMs()).isBetween(2000L, r.lengthMillis());
        });
        assertThat(dev.flowlab.run.EventReport.of(r).mode()).as("rebuilt from the events").isEqualTo("recorded");
        assertThat(dev.flowlab.run.EventReport.of(r).requests()).isPositive();

        // replaying it stops the lab: nothing runs while a recording plays
        robot.interact(() -> fixture.window.openRecording(r));
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !fixture.window.viewModel().isRunning() && fixture.window.replay() != null
                        && fixture.window.live().session() != null && fixture.window.live().session().isReplay()).get());
    }

    private static String status(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup("#record-status").<Label>query().getText()).get(TIMEOUT, TimeUnit.SECONDS);
    }
}
