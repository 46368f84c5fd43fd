package dev.flowlab.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.client.Scenarios;
import dev.flowlab.client.TestHttpTier;
import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.LinkStats;
import dev.flowlab.live.NodeBadge;
import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.ScriptStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded run (a kill at 1 s of the only server) played back on the test's own timeline: nothing runs. */
class PlayerTest {
    @TempDir
    static Path dir;
    static Recording recording;

    @BeforeAll
    static void record() throws Exception {
        TestHttpTier stub = new TestHttpTier();
        LabWatch watch = new LabWatch(stub::held);
        TestLabs tier = TestLabs.with(NodeKind.TOMCAT, stub).and(watch);
        stub.delay("tomcat-1", Duration.ofMillis(1));
        LabClock.Manual clock = LabClock.manual();
        Path file = dir.resolve("kill.flowrec");
        RunOptions options = new RunOptions(Duration.ofMillis(2500), 200.0, null,
                List.of(new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-1", null)), null).recordingTo(file);
        new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch).run(() -> LabRun.execute(tier.parts(),
                LabOptions.defaults().withClock(clock), Scenarios.clientAndServer("tomcat-1"), options), Duration.ofSeconds(60));
        recording = RecordingReader.read(file);
    }

    @Test
    void markers_areTheFault_theKill_andTheErrorBurstAfterIt() {
        Player p = new Player(recording);
        assertThat(p.markers()).extracting(Player.Marker::kind)
                .contains(Player.Landmark.FAULT, Player.Landmark.KILL, Player.Landmark.ERROR_BURST);
        assertThat(p.markers()).filteredOn(m -> m.kind() == Player.Landmark.FAULT).singleElement()
                .satisfies(m -> assertThat(m.tMillis()).isEqualTo(1000));
        assertThat(p.markers()).filteredOn(m -> m.kind() == Player.Landmark.KILL).singleElement()
                .satisfies(m -> assertThat(m.tMillis()).isBetween(1000L, 1025L));
        assertThat(p.markers()).filteredOn(m -> m.kind() == Player.Landmark.ERROR_BURST).singleElement()
                .satisfies(m -> assertThat(m.tMillis()).isBetween(1000L, 1030L));
        assertThat(p.markers()).isSortedAccordingTo(java.util.Comparator.comparingLong(Player.Marker::tMillis));
    }

    @Test
    void playing_atTwiceTheSpeed_makesAFramePerTenthOfTheRecording_withItsTraffic() {
        Player p = new Player(recording);
        List<ActivityFrame> frames = new ArrayList<>();
        p.subscribe(frames::add);
        assertThat(p.advance(100)).as("paused").isZero();
        p.seek(0);
        frames.clear();
        p.speed(2);
        p.play();
        assertThat(p.advance(250)).isEqualTo(5);
        assertThat(p.positionMillis()).isEqualTo(500);
        assertThat(frames).extracting(ActivityFrame::tMillis).containsExactly(100L, 200L, 300L, 400L, 500L);
        LinkStats link = frames.get(frames.size() - 1).links().get(0);
        assertThat(link.from()).isEqualTo("client-1");
        assertThat(link.requestsPerSecond()).as("200 req/s, from the recorded answers").isGreaterThan(50);

        // play to the end: it stops there, and the killed server's badge says so
        while (p.playing()) {
            p.advance(1000);
        }
        assertThat(p.positionMillis()).isEqualTo(p.lengthMillis());
        NodeBadge tomcat = frames.get(frames.size() - 1).nodes().stream().filter(b -> b.node().equals("tomcat-1")).findFirst().orElseThrow();
        assertThat(tomcat.state()).isNotEqualTo("running");
    }

    @Test
    void seekingAndJumping_landOnTheMarkers_andTheSpeedStaysInItsRange() {
        Player p = new Player(recording);
        p.seek(0);
        Player.Marker kill = p.next(Player.Landmark.KILL).orElseThrow();
        p.seek(kill.tMillis());
        assertThat(p.positionMillis()).isEqualTo(kill.tMillis());
        assertThat(p.next(Player.Landmark.KILL)).isEmpty();
        assertThat(p.eventsSoFar()).anySatisfy(e -> assertThat(e.type()).isEqualTo(dev.flowlab.event.EventType.NODE_KILLED));
        p.seek(-10_000_000);
        assertThat(p.positionMillis()).isEqualTo(p.startMillis());
        p.seek(Long.MAX_VALUE);
        assertThat(p.positionMillis()).isEqualTo(p.lengthMillis());

        assertThatThrownBy(() -> p.speed(20)).hasMessage("speed 20.0 is not between 0.1x and 10.0x");
        assertThatThrownBy(() -> p.speed(0.05)).isInstanceOf(IllegalArgumentException.class);
        p.speed(0.1);
        p.seek(0);
        p.play();
        assertThat(p.advance(1000)).as("a tenth of a second of the recording").isEqualTo(1);
        p.close();
    }
}
