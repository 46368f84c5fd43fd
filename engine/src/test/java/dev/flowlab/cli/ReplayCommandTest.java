package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `lab run --record FILE` then `lab replay FILE`: real servers while recording, nothing at all while replaying. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int lab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private int clockedLab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        LabWatch watch = new LabWatch();
        LabClock.Manual clock = LabClock.manual();
        CommandLine cl = LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                TestLabs.product().and(watch).parts(), LabOptions.defaults().withClock(clock));
        return new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> cl.execute(args), Duration.ofSeconds(30));
    }

    private Path singleTomcat() throws Exception {
        Scenario s = new Scenario(Scenario.FORMAT, "single tomcat", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(LinkSpec.of("client", "tomcat-1")), null, null);
        Path file = dir.resolve("single.json");
        ScenarioIO.write(file, s);
        return file;
    }

    @Test
    void replayReport_printsTheSameReportAsTheRecordedRun_withoutStartingAnything() throws Exception {
        Path rec = dir.resolve("run.flowrec");
        Path runJson = dir.resolve("run.json");
        assertThat(clockedLab("run", singleTomcat().toString(), "--duration", "3s", "--rps", "200", "--kill", "tomcat-1@1s",
                "--record", rec.toString(), "--report", runJson.toString(), "-q")).isZero();
        String runOut = out.toString();
        assertThat(runOut).contains("Recording written to " + rec);
        String table = runOut.substring(0, runOut.indexOf("Recording written to"));

        Path replayJson = dir.resolve("replay.json");
        assertThat(lab("replay", rec.toString(), "--report", "--report-json", replayJson.toString())).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).startsWith(table);
        assertThat(Files.readString(replayJson)).isEqualTo(Files.readString(runJson));
        // the same figures rebuilt from the recorded events alone (what a recording without a report gets)
        dev.flowlab.record.Recording recording = dev.flowlab.record.RecordingReader.read(rec);
        dev.flowlab.run.RunReport stored = dev.flowlab.run.EventReport.of(recording);
        dev.flowlab.run.RunReport rebuilt = dev.flowlab.run.EventReport.of(recording.scenario().name(), recording.lengthMillis() / 1000.0,
                recording.events(), java.util.Set.of("client", "tomcat-1"));
        assertThat(rebuilt.mode()).isEqualTo("recorded");
        assertThat(rebuilt.requests()).isEqualTo(stored.requests());
        assertThat(rebuilt.ok()).isEqualTo(stored.ok());
        assertThat(rebuilt.failed()).isEqualTo(stored.failed());
        assertThat(rebuilt.status()).isEqualTo(stored.status());
        assertThat(rebuilt.errors()).isEqualTo(stored.errors());
        assertThat(rebuilt.servedBy()).isEqualTo(stored.servedBy());
        assertThat(rebuilt.latencyMs()).isEqualTo(stored.latencyMs());
        assertThat(rebuilt.firstFailureMs()).isEqualTo(stored.firstFailureMs());
        assertThat(rebuilt.events()).extracting(dev.flowlab.run.RunReport.Event::type).contains("node_killed");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().startsWith("flowlab-replay"));

        assertThat(lab("replay", rec.toString())).isZero();
        assertThat(out.toString()).contains("scenario       single tomcat, 2 nodes").contains("report         yes (--report)")
                .contains("faults         1").containsPattern("1000 ms  kill tomcat-1");

        assertThat(lab("replay", rec.toString(), "--events")).isZero();
        assertThat(out.toString()).contains("node_killed").contains("client_response");
    }

    @Test
    void replay_ofACutRecording_saysWhereItEnds_andRebuildsItsReportFromTheEvents() throws Exception {
        Path rec = dir.resolve("run.flowrec");
        assertThat(clockedLab("run", singleTomcat().toString(), "--duration", "3s", "--rps", "100", "--record", rec.toString(), "-q"))
                .isZero();
        byte[] bytes = Files.readAllBytes(rec);
        Path cut = dir.resolve("cut.flowrec");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        assertThat(lab("replay", cut.toString(), "--report")).isZero();
        assertThat(err.toString()).containsPattern("lab replay: .*cut\\.flowrec: recording ends at [0-9.]+ s: the rest was cut off")
                .contains("holds no run report").contains("rebuilt from its");
        assertThat(out.toString()).contains("as recorded (this report is rebuilt from the recording's events)").contains("requests");

        Path notOne = dir.resolve("x.flowrec");
        Files.writeString(notOne, "hello\n");
        assertThat(lab("replay", notOne.toString())).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("not a recording");
    }

    @Test
    void replayOut_withoutTheApp_saysWhatIsMissing_andWritesNothing() throws Exception {
        Path rec = dir.resolve("run.flowrec");
        assertThat(clockedLab("run", singleTomcat().toString(), "--duration", "1s", "--rps", "50", "--record", rec.toString(), "-q"))
                .isZero();
        Path gif = dir.resolve("out.gif");
        // the engine's class path has no exporter (the desktop app declares it)
        assertThat(lab("replay", rec.toString(), "--out", gif.toString(), "--from", "0s", "--to", "1s")).isEqualTo(LabCli.FAILED);
        assertThat(err.toString()).contains("--out needs the desktop app's classes to draw the replay");
        assertThat(Files.exists(gif)).isFalse();
        assertThat(lab("replay", rec.toString(), "--out", dir.resolve("x.txt").toString())).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains(".gif, .mp4, .png or .svg");
        assertThat(lab("replay", rec.toString(), "--out", gif.toString(), "--fps", "0")).isEqualTo(LabCli.BAD_INPUT);
        assertThat(err.toString()).contains("--fps 0 is not between 1 and 60");
    }
}
