package dev.flowlab.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.client.Scenarios;
import dev.flowlab.client.TestHttpTier;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.ScriptStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lab run --record` end to end: a real lab on a driven clock, its recording read back. */
class RecordingTest {
    @TempDir
    Path dir;

    private final TestHttpTier stub = new TestHttpTier();
    private final LabWatch watch = new LabWatch(stub::held);
    /** Every event the lab published, seen by a subscription of its own beside the recorder's. */
    private final List<LabEvent> seen = new CopyOnWriteArrayList<>();
    private final TestLabs tier = TestLabs.with(NodeKind.TOMCAT, stub).and(watch).and(host -> {
        EventBus.Subscription sub = host.events().subscribe(1 << 19);
        return () -> sub.drain(seen::add, Integer.MAX_VALUE);
    });

    private RunReport recorded(Path file, ScriptStep... steps) {
        stub.delay("tomcat-1", Duration.ofMillis(1));
        LabClock.Manual clock = LabClock.manual();
        ClockDriver driver = new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch);
        RunOptions options = new RunOptions(Duration.ofMillis(2500), 200.0, null, List.of(steps), null).recordingTo(file);
        return driver.run(() -> LabRun.execute(tier.parts(), LabOptions.defaults().withClock(clock),
                Scenarios.clientAndServer("tomcat-1"), options), Duration.ofSeconds(60));
    }

    @Test
    void aRecordedRun_readsBackAsTheSameEventsAndTheSameReport() throws Exception {
        Path file = dir.resolve("run.flowrec");
        RunReport report = recorded(file, new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-1", null));

        Recording r = RecordingReader.read(file);
        assertThat(r.complete()).isTrue();
        assertThat(r.note()).isNull();
        assertThat(r.version()).isEqualTo(RecordingFormat.VERSION);
        assertThat(r.scenario().name()).isEqualTo("client-test");
        assertThat(r.dropped()).isZero();
        assertThat(r.addresses()).containsKeys("client-1", "tomcat-1");
        assertThat(r.lengthMillis()).isGreaterThanOrEqualTo(2500);

        // the same figures: the report the run returned, from the file
        assertThat(r.report()).isPresent();
        RunReport replayed = RunReport.fromJson(r.reportJson());
        assertThat(replayed).isEqualTo(report);
        assertThat(replayed.summaryTable()).isEqualTo(report.summaryTable());

        // the same event sequence: every event the bus published, in time order, with its typed fact
        assertThat(seen).isNotEmpty();
        long origin = r.events().get(0).nanos() - earliest(seen).nanos();
        List<String> expected = sorted(seen.stream().map(e -> line(e, 0)).toList());
        List<String> actual = sorted(r.events().stream().map(e -> line(e, -origin)).toList());
        assertThat(actual).hasSameSizeAs(expected).isEqualTo(expected);
        for (int i = 1; i < r.events().size(); i++) {
            assertThat(r.events().get(i).nanos()).isGreaterThanOrEqualTo(r.events().get(i - 1).nanos());
        }
        long answered = r.events().stream().filter(e -> e.type() == EventType.CLIENT_RESPONSE || e.type() == EventType.CLIENT_ERROR).count();
        assertThat(answered).as("every request's answer or failure is in the file").isEqualTo(report.requests());
        // the kill, as a fault at its time and as the node's event
        assertThat(r.faults()).singleElement().satisfies(f -> {
            assertThat(f.action()).isEqualTo("kill");
            assertThat(f.node()).isEqualTo("tomcat-1");
            assertThat(f.tMs()).isEqualTo(1000);
            assertThat(f.failure()).isNull();
        });
        assertThat(r.next(Recording.LANDMARKS, 0)).get().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.NODE_KILLED);
            assertThat(e.nanos()).isBetween(Duration.ofMillis(1000).toNanos(), Duration.ofMillis(1025).toNanos());
        });
        // a snapshot a second, from the start of the traffic
        assertThat(r.snapshots()).hasSizeBetween(2, 4);
        assertThat(r.snapshotAt(1500).node("tomcat-1")).isNotNull();
    }

    @Test
    void aRecordingCutShort_opensUpToItsLastCompleteSecond_andSaysSo() throws Exception {
        Path file = dir.resolve("run.flowrec");
        recorded(file);
        Recording whole = RecordingReader.read(file);
        byte[] bytes = Files.readAllBytes(file);
        List<Integer> frameEnds = frameEnds(bytes);
        assertThat(frameEnds).as("a frame a second, and the last").hasSizeGreaterThanOrEqualTo(3);

        // cut inside the last frame: every frame before it reads, and the note says where the recording ends
        Path cut = dir.resolve("cut.flowrec");
        int lastComplete = frameEnds.get(frameEnds.size() - 2);
        Files.write(cut, java.util.Arrays.copyOf(bytes, lastComplete + 20));
        Recording r = RecordingReader.read(cut);
        assertThat(r.complete()).isFalse();
        assertThat(r.report()).isEmpty();
        assertThat(r.lengthMillis()).isBetween(1000L, 2600L);
        assertThat(r.note()).isEqualTo("recording ends at " + RecordingReader.seconds(r.lengthMillis()) + ": the rest was cut off");
        assertThat(r.events()).isNotEmpty().allSatisfy(e -> assertThat(e.nanos()).isLessThanOrEqualTo(
                Duration.ofMillis(r.lengthMillis()).toNanos()));
        assertThat(r.events()).isEqualTo(whole.events().subList(0, r.events().size()));

        // a damaged frame stops the reading there, too
        bytes[frameEnds.get(0) + 12] ^= 0x55;
        Files.write(cut, bytes);
        Recording damaged = RecordingReader.read(cut);
        assertThat(damaged.complete()).isFalse();
        assertThat(damaged.note()).contains("frame 2 is damaged (its checksum does not match)");
    }

    @Test
    void aNewerMajorVersion_orAFileThatIsNoRecording_isRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("run.flowrec");
        recorded(file);
        String all = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Path newer = dir.resolve("newer.flowrec");
        Files.write(newer, all.replaceFirst("\"version\":\"1\\.0\"", "\"version\":\"2.3\"").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> RecordingReader.read(newer)).isInstanceOf(RecordingException.class)
                .hasMessage(newer + ": recorded by a newer Request Flow Lab (recording format 2.3; this version reads 1.x and older):"
                        + " open it with a newer version");

        Path minor = dir.resolve("minor.flowrec");
        Files.write(minor, all.replaceFirst("\"version\":\"1\\.0\"", "\"version\":\"1.7\"").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(RecordingReader.read(minor).complete()).as("a newer minor version only adds").isTrue();

        Path json = dir.resolve("scenario.json");
        Files.writeString(json, "{\"format\": \"flowlab-scenario\"}\n");
        assertThatThrownBy(() -> RecordingReader.read(json)).isInstanceOf(RecordingException.class)
                .hasMessage(json + ": not a recording (no \"format\": \"flowlab-recording\")");
        Path empty = Files.createFile(dir.resolve("empty.flowrec"));
        assertThatThrownBy(() -> RecordingReader.read(empty)).hasMessage(empty + ": empty file, not a recording");
        assertThatThrownBy(() -> RecordingReader.read(dir.resolve("missing.flowrec"))).hasMessageEndingWith(": no such file");
    }

    /** The offsets at which each frame ends. */
    static List<Integer> frameEnds(byte[] bytes) {
        int at = 0;
        while (bytes[at] != '\n') {
            at++;
        }
        at++;
        List<Integer> ends = new ArrayList<>();
        while (at + 8 <= bytes.length) {
            int length = java.nio.ByteBuffer.wrap(bytes, at, 4).getInt();
            at += 8 + length;
            ends.add(at);
        }
        return ends;
    }

    private static LabEvent earliest(List<LabEvent> events) {
        return events.stream().min(Comparator.comparingLong(LabEvent::nanos)).orElseThrow();
    }

    private static String line(LabEvent e, long shift) {
        return String.join("|", String.format("%020d", e.nanos() + shift), e.type().id(), Objects.toString(e.node()),
                Objects.toString(e.peer()), Objects.toString(e.traceId()), Integer.toString(e.status()),
                Long.toString(e.durationNanos()), Objects.toString(e.fact()));
    }

    private static List<String> sorted(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
