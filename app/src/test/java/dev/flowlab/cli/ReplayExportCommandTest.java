package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.export.ExportImages;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import picocli.CommandLine;

/**
 * `lab run --record FILE` (real servers, the lab's manual clock), then `lab replay FILE --out`: the
 * app's exporter, found through the engine's ServiceLoader, draws the replay without a display
 * (Monocle headless) as a GIF of a range, a PNG and an SVG of a moment, printing its progress.
 */
class ReplayExportCommandTest {
    @TempDir
    static Path dir;

    private static Path recording;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeAll
    static void record() throws Exception {
        // JavaFX as the other UI tests of this JVM start it (the exporter starts it itself when it runs alone)
        FxToolkit.registerPrimaryStage();
        Scenario s = new Scenario(Scenario.FORMAT, "single tomcat", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null);
        Path scenario = dir.resolve("single.json");
        ScenarioIO.write(scenario, s);
        recording = dir.resolve("run.flowrec");
        LabWatch watch = new LabWatch();
        LabClock.Manual clock = LabClock.manual();
        CommandLine cl = LabCli.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                TestLabs.product().and(watch).parts(), LabOptions.defaults().withClock(clock));
        int status = new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> cl.execute("run", scenario.toString(),
                "--duration", "3s", "--rps", "100", "--record", recording.toString(), "-q"), Duration.ofSeconds(30));
        assertThat(status).isZero();
    }

    private int lab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void replayOut_gif_rendersTheRange_headless_withProgress() throws Exception {
        Path gif = dir.resolve("films/run.gif");
        assertThat(lab("replay", recording.toString(), "--out", gif.toString(), "--from", "0.5s", "--to", "2500ms", "--fps", "5",
                "--width", "480")).as(err.toString()).isZero();
        ExportImages.Gif read = ExportImages.gif(gif);
        assertThat(read.frames()).isBetween(9, 11);
        assertThat(read.width()).isEqualTo(480);
        assertThat(read.loops()).isTrue();
        assertThat(read.firstDelay()).isEqualTo(20);
        assertThat(out.toString()).contains("Rendering " + gif + ", 0.5 s to 2.5 s, 10 frames at 5 fps")
                .contains(" 10%  1/10 frames").contains(" 50%  5/10 frames").contains("100%  10/10 frames")
                .containsPattern("Wrote " + java.util.regex.Pattern.quote(gif.toString()) + ": 10 frames, 480x\\d+, \\d+ KB");
    }

    @Test
    void replayOut_pngAndSvg_areThePictureAtFrom() throws Exception {
        Path png = dir.resolve("at-1.5s.png");
        assertThat(lab("replay", recording.toString(), "--out", png.toString(), "--from", "1.5s", "--width", "640"))
                .as(err.toString()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(out.toString()).contains("1 frame, 640x");

        Path svg = dir.resolve("at-1.5s.svg");
        assertThat(lab("replay", recording.toString(), "--out", svg.toString(), "--from", "1.5s")).as(err.toString()).isZero();
        assertThat(ExportImages.svgNodes(ExportImages.xml(svg))).containsExactlyInAnyOrder("client", "tomcat-1");
    }

    @Test
    void theDialogsReport_isWhatReplayReportWrites() throws Exception {
        assertThat(lab("replay", recording.toString(), "--report", "--report-json", dir.resolve("cli.json").toString())).isZero();
        String table = out.toString().substring(0, out.toString().indexOf("Report written to"));
        dev.flowlab.record.Recording r = dev.flowlab.record.RecordingReader.read(recording);
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
        javafx.stage.Stage[] stage = new javafx.stage.Stage[1];
        try {
            dev.flowlab.app.export.ExportDialog dialog = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> {
                stage[0] = new javafx.stage.Stage();
                dev.flowlab.app.animate.LiveSessions sessions = new dev.flowlab.app.animate.LiveSessions(javafx.application.Platform::runLater);
                dev.flowlab.app.edit.ScenarioDocument document = new dev.flowlab.app.edit.ScenarioDocument(r.scenario(), null);
                dev.flowlab.app.MainWindow w = dev.flowlab.app.FlowLabApp.show(stage[0],
                        dev.flowlab.app.FlowLabApp.liveLab(document.scenario(), dev.flowlab.app.FlowLabApp::backgroundLab, worker, sessions),
                        document, new dev.flowlab.app.files.FileViewModel(document, worker, javafx.application.Platform::runLater,
                                dir.resolve("home")), sessions);
                w.openRecording(r);
                dev.flowlab.app.export.ExportDialog d = w.exportReplay();
                d.choose(dev.flowlab.app.export.ExportDialog.Choice.REPORT_TEXT);
                d.exportTo(dir.resolve("report.txt"));
                d.choose(dev.flowlab.app.export.ExportDialog.Choice.REPORT_JSON);
                d.exportTo(dir.resolve("report.json"));
                return d;
            }).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(dialog.lastError()).isNull();
            assertThat(Files.readString(dir.resolve("report.txt"))).isEqualTo(table);
            assertThat(Files.readString(dir.resolve("report.json"))).isEqualTo(Files.readString(dir.resolve("cli.json")));
            org.testfx.util.WaitForAsyncUtils.asyncFx(() -> {
                dialog.stage().hide();
                stage[0].hide();
            }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void replayOut_refusesWhatItCannotWrite() throws Exception {
        assertThat(lab("replay", recording.toString(), "--out", dir.resolve("x.webm").toString())).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("the file's extension says what to write: .gif, .mp4, .png or .svg");
        assertThat(lab("replay", recording.toString(), "--out", dir.resolve("x.gif").toString(), "--from", "2s", "--to", "1s"))
                .isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("the range ends (1000 ms) before it starts (2000 ms)");
        assertThat(Files.exists(dir.resolve("x.gif"))).isFalse();
    }
}
