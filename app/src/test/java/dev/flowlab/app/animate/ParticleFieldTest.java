package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.live.LinkStats;
import dev.flowlab.live.Outcome;
import dev.flowlab.live.ReturnPath;
import dev.flowlab.live.Sample;
import dev.flowlab.live.TrafficKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The particle model without the toolkit: honest volume, kinds and outcomes, answers on their real path. */
class ParticleFieldTest {

    @Test
    void scale_isOneDotPerRequestPerSecond_untilTheBudget_thenANiceNumber_andTheLegendSaysSo() {
        ParticleScale scale = new ParticleScale(1000);
        assertThat(scale.update(500)).isFalse();
        assertThat(scale.legend()).isEqualTo("1 dot = 1 req/s");
        assertThat(scale.update(5_000)).isTrue();
        assertThat(scale.legend()).isEqualTo("1 dot = 5 req/s");
        scale.update(50_000);
        assertThat(scale.legend()).isEqualTo("1 dot = 50 req/s");
        scale.update(150_000);
        assertThat(scale.legend()).isEqualTo("1 dot = 200 req/s");
        // Back down only with room to spare: no flicker around a boundary.
        scale.update(100_000);
        assertThat(scale.legend()).isEqualTo("1 dot = 200 req/s");
        scale.update(300);
        assertThat(scale.legend()).isEqualTo("1 dot = 1 req/s");
    }

    @Test
    void tenTimesTheTraffic_isTenTimesTheDots_belowTheBudget() {
        assertThat(dotsAfterTwoSeconds(10)).isBetween(15, 25);
        assertThat(dotsAfterTwoSeconds(100)).isBetween(150, 250);
    }

    @Test
    void answersShowTheirOutcome_requestsDoNot_andDrAnswersBypassTheDirector() {
        ParticleField field = new ParticleField(1000);
        List<Sample> samples = List.of(new Sample("t1", TrafficKind.API, Outcome.ERROR, 502, 1_000_000));
        field.update(new ActivityFrame(0, List.of(
                new LinkStats("client", "lvs", 50, 1, 0, 0, 10, true, true, samples),
                new LinkStats("lvs", "nginx-1", 50, 1, 0, 3, 10, false, true, samples)),
                List.of(new ReturnPath("nginx-1", "client", "lvs", 50, samples)), List.of(), List.of(), 0, 0));
        field.advance(0.5);

        assertThat(field.lanes()).filteredOn(l -> l.answers && !l.direct).allSatisfy(l -> assertThat(l.dotsPerSecond()).isZero());
        ParticleField.Lane direct = field.lanes().stream().filter(l -> l.direct).findFirst().orElseThrow();
        assertThat(direct.from).isEqualTo("nginx-1");
        assertThat(direct.to).isEqualTo("client");
        boolean sawAnswer = false;
        for (int i = 0; i < field.count(); i++) {
            ParticleField.Lane lane = field.laneOf(i);
            assertThat(field.kindOf(i)).isEqualTo(TrafficKind.API);
            assertThat(field.traceOf(i)).isEqualTo("t1");
            assertThat(field.outcomeOf(i)).isEqualTo(lane.answers ? Outcome.ERROR : Outcome.OK);
            sawAnswer |= lane.direct;
        }
        assertThat(sawAnswer).isTrue();
    }

    @Test
    void dotsTravelInTheLinksLatency_slowedDown() {
        ParticleField field = new ParticleField(1000);
        field.slowMotion(50);
        field.update(frame(10, 40));
        // 40 ms x 50 = 2 s to cross.
        assertThat(field.lanes().get(0).travelSeconds()).isEqualTo(2.0);
    }

    private static int dotsAfterTwoSeconds(double rps) {
        ParticleField field = new ParticleField(100_000);
        field.slowMotion(100);
        field.update(frame(rps, 30));
        for (int i = 0; i < 20; i++) {
            field.advance(0.1);
        }
        // Requests and answers: 2 lanes x rps x 2 s, of which those still on a 3 s trip.
        return field.count() / 2;
    }

    private static ActivityFrame frame(double rps, double latencyMs) {
        return new ActivityFrame(0, List.of(new LinkStats("client", "nginx-1", rps, 0, 0, 1, latencyMs, true, false,
                List.of(new Sample("t", TrafficKind.PAGE, Outcome.OK, 200, 0)))), List.of(), List.of(), List.of(), 0, 0);
    }
}
