package dev.flowlab.app.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The presenter's fault script on an injected clock: steps run once at their time; pause holds the clock; restart rewinds. */
class FaultScriptTest {
    private long now;
    private final List<String> ran = new ArrayList<>();
    private final FaultScript script = new FaultScript(() -> now);

    FaultScriptTest() {
        script.setRunner(row -> ran.add(row.step().action() + " " + row.step().node()));
        script.setSteps(List.of(step(15, "start", "tomcat-2"), step(5, "kill", "tomcat-2")));
    }

    private static ScriptStep step(long seconds, String action, String node) {
        return new ScriptStep(Duration.ofSeconds(seconds), action, node, Map.of());
    }

    private void at(double seconds) {
        now = (long) (seconds * 1e9);
        script.tick();
    }

    @Test
    void stepsRunInTimeOrder_eachOnce_whenTheScriptsClockReachesThem() {
        assertThat(script.rows()).extracting(FaultScript.Row::describe).containsExactly("+5s  kill tomcat-2", "+15s  start tomcat-2");
        script.play();
        at(4.9);
        assertThat(ran).isEmpty();
        at(5.0);
        at(6.0);
        assertThat(ran).containsExactly("kill tomcat-2");
        assertThat(script.rows().get(0).getOutcome()).isEqualTo("applied at +5.0 s");
        assertThat(script.clockProperty().get()).isEqualTo("+6.0 s");
        at(15.2);
        assertThat(ran).containsExactly("kill tomcat-2", "start tomcat-2");
        assertThat(script.getState()).isEqualTo(FaultScript.State.DONE);
    }

    @Test
    void pause_holdsTheClock_soAStepWaitsAsLongAsThePause() {
        script.play();
        at(3);
        script.pause();
        at(100);
        assertThat(ran).isEmpty();
        assertThat(script.clockProperty().get()).isEqualTo("+3.0 s");
        script.play();
        at(101.9);
        assertThat(ran).isEmpty();
        at(102);
        assertThat(ran).containsExactly("kill tomcat-2");
    }

    @Test
    void restart_rewindsEveryStepToPending_andPlaysThemAgain() {
        script.play();
        at(20);
        assertThat(ran).hasSize(2);
        script.restart();
        assertThat(script.getState()).isEqualTo(FaultScript.State.READY);
        assertThat(script.rows()).extracting(FaultScript.Row::getOutcome).containsOnly("");
        now = 50_000_000_000L;
        script.play();
        at(55);
        assertThat(ran).hasSize(3);
    }

    @Test
    void aStepAddedWhilePlaying_runsWhenItsTimeComes_andOneAlreadyPast_waitsForARestart() {
        script.play();
        at(6);
        script.add(step(8, "restart", "nginx-1"));
        script.add(step(2, "stop", "nginx-2"));
        assertThat(script.rows()).extracting(r -> r.step().at().toSeconds()).containsExactly(2L, 5L, 8L, 15L);
        assertThat(script.rows().get(0).getOutcome()).isEqualTo("added after its time: plays on restart");
        at(9);
        assertThat(ran).containsExactly("kill tomcat-2", "restart nginx-1");
    }

    @Test
    void failures_areShownOnTheirRow_andTimesAreParsedAsTheCliParsesThem() {
        script.play();
        at(5);
        script.failed(script.rows().get(0), "node tomcat-2 is already killed");
        assertThat(script.rows().get(0).getOutcome()).isEqualTo("failed: node tomcat-2 is already killed");
        assertThat(FaultScript.parseAt("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> FaultScript.parseAt("soon")).hasMessageContaining("is not a duration");
    }
}
