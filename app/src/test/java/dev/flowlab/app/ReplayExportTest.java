package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.app.export.ExportDialog;
import dev.flowlab.app.export.ExportImages;
import dev.flowlab.app.export.ReplayExportJob;
import dev.flowlab.app.export.ReplayRenderer;
import dev.flowlab.record.ReplayExporter;
import dev.flowlab.record.ReplayExporter.Format;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.w3c.dom.Document;

/**
 * File > Export Replay, headless (Monocle): the main window replays ReplayAppTest's 3 s recording
 * (client -> tomcat-1, killed at 1.2 s) and exports it as a GIF, a PNG and an SVG; a cancelled
 * export leaves nothing behind; the dialog offers MP4 only with ffmpeg and the report only when the
 * recording has one.
 */
@ExtendWith(ApplicationExtension.class)
class ReplayExportTest {
    private static final long TIMEOUT = 30;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private ReplayRenderer renderer;

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, TestScenarios.clientToTomcat(null), dir.resolve("home"));
    }

    @BeforeEach
    void open(FxRobot robot) throws Exception {
        robot.interact(() -> fixture.window.openRecording(ReplayAppTest.recording(TestScenarios.clientToTomcat(null))));
        WaitForAsyncUtils.waitForFxEvents();
        renderer = WaitForAsyncUtils.asyncFx(() -> fixture.window.replayRenderer()).get(TIMEOUT, TimeUnit.SECONDS);
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        robot.interact(() -> fixture.window.closeReplay());
        fixture.close(robot, TIMEOUT);
    }

    @Test
    void gif_hasAFramePerTenthOfTheRange_atTheWidthAsked_andLoops() throws Exception {
        Path gif = dir.resolve("out/replay.gif");
        ReplayExporter.Result r = ReplayExportJob.run(renderer, new ReplayExporter.Request(gif, Format.GIF, 500, 2500, 10, 320),
                (done, total) -> { });
        ExportImages.Gif read = ExportImages.gif(gif);
        assertThat(read.frames()).isBetween(19, 21).isEqualTo(r.frames());
        assertThat(read.width()).isEqualTo(320).isEqualTo(r.width());
        assertThat(read.height()).isPositive().isEqualTo(r.height());
        assertThat(read.loops()).as("NETSCAPE2.0").isTrue();
        assertThat(read.firstDelay()).as("1/10 s in hundredths").isEqualTo(10);
        assertThat(r.bytes()).isEqualTo(Files.size(gif));
        assertThat(Files.list(gif.getParent())).as("no temporary file left").containsExactly(gif);
        // the timeline is back where it was, its controls usable
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.replay().player().positionMillis()).get()).isZero();
        assertThat(WaitForAsyncUtils.asyncFx(() -> fixture.window.replay().root().isDisabled()).get()).isFalse();
    }

    @Test
    void png_isOneFrame_atTheWidthAsked_andSvg_hasAnElementPerNode() throws Exception {
        Path png = dir.resolve("at-1s.png");
        ReplayExportJob.run(renderer, new ReplayExporter.Request(png, Format.PNG, 1000, 1000, 10, 400), (done, total) -> { });
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isPositive();

        Path svg = dir.resolve("at-2s.svg");
        ReplayExporter.Result r = ReplayExportJob.run(renderer, new ReplayExporter.Request(svg, Format.SVG, 2000, 2000, 10, 0),
                (done, total) -> { });
        Document doc = ExportImages.xml(svg);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(ExportImages.svgNodes(doc)).containsExactlyInAnyOrder("client", "tomcat-1");
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line").getLength()).as("the link").isEqualTo(1);
        String text = Files.readString(svg);
        assertThat(text).as("the cards' names and the badge of the moment").contains("client").contains(">killed");
        assertThat(r.width()).isEqualTo(WaitForAsyncUtils.asyncFx(() -> renderer.canvasWidth()).get());
    }

    @Test
    void aCancelledExport_leavesNoFile() throws Exception {
        Path gif = dir.resolve("cancelled.gif");
        AtomicInteger frames = new AtomicInteger();
        assertThatThrownBy(() -> ReplayExportJob.run(renderer, new ReplayExporter.Request(gif, Format.GIF, 0, 3000, 10, 200),
                new ReplayExporter.Progress() {
                    @Override
                    public void frame(int done, int total) {
                        frames.set(done);
                    }

                    @Override
                    public boolean cancelled() {
                        return frames.get() >= 3;
                    }
                })).isInstanceOf(ReplayExporter.Cancelled.class);
        assertThat(frames.get()).isEqualTo(3);
        assertThat(Files.list(dir).filter(p -> !p.getFileName().toString().equals("home"))).as("no file, no temporary file").isEmpty();
    }

    @Test
    void theDialogsCancel_stopsTheExport_andLeavesNoFile(FxRobot robot) throws Exception {
        ExportDialog dialog = WaitForAsyncUtils.asyncFx(() -> fixture.window.exportReplay()).get(TIMEOUT, TimeUnit.SECONDS);
        Path gif = dir.resolve("long.gif");
        robot.interact(() -> {
            robot.lookup("#export-fps").<javafx.scene.control.Spinner<Integer>>query().getValueFactory().setValue(30);
            dialog.exportTo(gif);
        });
        javafx.scene.control.ProgressBar bar = robot.lookup("#export-progress").queryAs(javafx.scene.control.ProgressBar.class);
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> bar.getProgress() > 0).get());
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-cancel").queryButton().getText()).get()).isEqualTo("Cancel");
        robot.clickOn("#export-cancel");
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !dialog.running() && dialog.lastError() != null).get());
        assertThat(WaitForAsyncUtils.asyncFx(dialog::lastError).get()).isInstanceOf(ReplayExporter.Cancelled.class);
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-status").queryAs(javafx.scene.control.Label.class).getText()).get())
                .isEqualTo("Cancelled: nothing was written.");
        assertThat(Files.list(dir).filter(p -> !p.getFileName().toString().equals("home"))).as("no file, no temporary file").isEmpty();
        robot.interact(() -> dialog.stage().hide());
    }

    @Test
    void mp4_throughFfmpeg_hasTheFramesAndTheWidth() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReplayExportJob.mp4Unavailable().isEmpty(), "ffmpeg is not installed");
        Path mp4 = dir.resolve("replay.mp4");
        ReplayExporter.Result r = ReplayExportJob.run(renderer, new ReplayExporter.Request(mp4, Format.MP4, 0, 2000, 10, 320),
                (done, total) -> { });
        assertThat(r.frames()).isEqualTo(20);
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=width,nb_read_frames,codec_name", "-of", "default=nw=1", mp4.toString())
                .redirectErrorStream(true).start();
        String info = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).isZero();
        assertThat(info).contains("codec_name=h264").contains("width=320").contains("nb_read_frames=20");
    }

    @Test
    void withoutFfmpeg_theDialogOffersNoMp4_andSaysWhatToInstall(FxRobot robot) throws Exception {
        System.setProperty("flowlab.ffmpeg", dir.resolve("no-ffmpeg-here").toString());
        try {
            ExportDialog dialog = WaitForAsyncUtils.asyncFx(() -> fixture.window.exportReplay()).get(TIMEOUT, TimeUnit.SECONDS);
            assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-mp4").queryAs(javafx.scene.control.RadioButton.class)
                    .isDisabled()).get()).isTrue();
            assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-mp4-note").queryAs(javafx.scene.control.Label.class)
                    .getText()).get()).contains("MP4 needs ffmpeg").contains("apt-get install -y ffmpeg");
            robot.interact(() -> dialog.stage().hide());
        } finally {
            System.clearProperty("flowlab.ffmpeg");
        }
    }

    @Test
    void theDialog_exportsWithItsSettings_andOffersWhatCanBeWritten(FxRobot robot) throws Exception {
        javafx.scene.control.MenuItem item = WaitForAsyncUtils.asyncFx(() -> fixture.window.menu().bar().getMenus().stream()
                .flatMap(m -> m.getItems().stream()).filter(i -> "menu-export-replay".equals(i.getId())).findFirst().orElseThrow()).get();
        assertThat(item.isDisable()).as("offered while a replay is shown").isFalse();
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-export").tryQuery().isPresent()).get()).isTrue();
        ExportDialog dialog = WaitForAsyncUtils.asyncFx(() -> fixture.window.exportReplay()).get(TIMEOUT, TimeUnit.SECONDS);
        boolean ffmpeg = ReplayExportJob.mp4Unavailable().isEmpty();
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-mp4").queryAs(javafx.scene.control.RadioButton.class).isDisabled())
                .get()).isEqualTo(!ffmpeg);
        if (!ffmpeg) {
            assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-mp4-note").queryAs(javafx.scene.control.Label.class).getText())
                    .get()).contains("apt-get install -y ffmpeg");
        }
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-report-text").queryAs(javafx.scene.control.RadioButton.class)
                .isDisabled()).get()).as("the recording holds no report: one is rebuilt from its events").isFalse();
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-report-json-note").queryAs(javafx.scene.control.Label.class)
                .getText()).get()).contains("rebuilt from the recorded events");
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-to").<javafx.scene.control.Spinner<Double>>query().getValue()).get())
                .as("the whole recording").isEqualTo(3.0);

        Path gif = dir.resolve("dialog.gif");
        robot.interact(() -> {
            robot.lookup("#export-from").<javafx.scene.control.Spinner<Double>>query().getValueFactory().setValue(1.0);
            robot.lookup("#export-to").<javafx.scene.control.Spinner<Double>>query().getValueFactory().setValue(2.0);
            robot.lookup("#export-fps").<javafx.scene.control.Spinner<Integer>>query().getValueFactory().setValue(5);
            robot.lookup("#export-width").<javafx.scene.control.ComboBox<Integer>>query().setValue(640);
            dialog.exportTo(gif);
        });
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !dialog.running() && (dialog.lastResult() != null || dialog.lastError() != null)).get());
        assertThat(WaitForAsyncUtils.asyncFx(dialog::lastError).get()).isNull();
        ExportImages.Gif read = ExportImages.gif(gif);
        assertThat(read.frames()).isBetween(4, 6);
        assertThat(read.width()).isEqualTo(640);
        assertThat(WaitForAsyncUtils.asyncFx(() -> robot.lookup("#export-status").queryAs(javafx.scene.control.Label.class).getText()).get())
                .startsWith("Wrote " + gif);

        // the report of a recording that stored none: rebuilt from its events, and it says so
        Path txt = dir.resolve("report.txt");
        robot.interact(() -> {
            robot.lookup("#export-report-text").queryAs(javafx.scene.control.RadioButton.class).setSelected(true);
            dialog.exportTo(txt);
        });
        WaitForAsyncUtils.waitFor(TIMEOUT, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(txt));
        assertThat(java.nio.file.Files.readString(txt)).contains("as recorded (this report is rebuilt from the recording's events)")
                .contains("requests");
        robot.interact(() -> dialog.stage().hide());
    }
}
