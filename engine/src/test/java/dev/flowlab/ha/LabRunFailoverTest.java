package dev.flowlab.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `lab run`'s report lists each VIP takeover with its times and the client failures inside its window. */
class LabRunFailoverTest {

    @Test
    void killedMaster_reportListsTheFailover_withDetectionTakeoverAndErrorsInItsWindow() {
        List<ScriptStep> kill = List.of(new ScriptStep(Duration.ofMillis(800), "kill", "a", Map.of()));
        RunReport report = LabRun.execute(HaPair.masterAndBackup(), new RunOptions(Duration.ofMillis(2500), 40.0, null, kill, null));

        assertThat(report.failovers()).hasSize(1);
        RunReport.Failover f = report.failovers().get(0);
        assertThat(f.group()).isEqualTo("pair");
        assertThat(f.from()).isEqualTo("a");
        assertThat(f.to()).isEqualTo("b");
        assertThat(f.cause()).isEqualTo("killed");
        assertThat(f.lostMs()).isGreaterThanOrEqualTo(800);
        double formula = HaGroup.masterDownInterval(HaPair.ADVERT, 100, 3).toNanos() / 1e6;
        assertThat(f.masterDownIntervalMs()).isEqualTo(Math.round(formula * 10) / 10.0);
        assertThat(f.detectionMs()).isGreaterThanOrEqualTo(formula - HaPair.ADVERT.toMillis());
        assertThat(f.takeoverMs()).isGreaterThanOrEqualTo(f.detectionMs());
        assertThat(f.vipBoundMs()).isGreaterThanOrEqualTo(f.masterMs());
        assertThat(f.windowEndMs()).isGreaterThan(f.vipBoundMs());
        assertThat(f.errorsInWindow()).isLessThanOrEqualTo(report.failed());
        assertThat(report.errorsOutsideFailovers()).isNotNull();
        assertThat(f.errorsInWindow() + report.errorsOutsideFailovers()).isEqualTo(report.failed());
        assertThat(report.servedBy()).containsKeys("a", "b");
        assertThat(report.toJson()).contains("\"failovers\"", "\"takeover_ms\"", "\"errors_in_window\"");
        assertThat(report.summaryTable()).contains("failovers", "pair: a -> b", "killed");
        assertThat(report.events()).extracting(RunReport.Event::type).contains("vip_moved", "ha_state");
    }

    @Test
    void killedKeepalivedProcess_reportListsTheTakeover_theDuplicateVip_andNoFailures() {
        List<ScriptStep> kill = List.of(new ScriptStep(Duration.ofMillis(800), "kill-keepalived", "a", Map.of()));
        RunReport report = LabRun.execute(HaPair.masterAndBackup(), new RunOptions(Duration.ofMillis(2000), 40.0, null, kill, null));

        assertThat(report.failovers()).hasSize(1);
        RunReport.Failover f = report.failovers().get(0);
        assertThat(f.from()).isEqualTo("a");
        assertThat(f.to()).isEqualTo("b");
        assertThat(f.cause()).isEqualTo("keepalived killed");
        double formula = HaGroup.masterDownInterval(HaPair.ADVERT, 100, 3).toNanos() / 1e6;
        assertThat(f.masterDownIntervalMs()).isEqualTo(Math.round(formula * 10) / 10.0);
        // From a's last advert b heard (not from the kill, which the lab's loops may reach late under load).
        assertThat(f.waitMs()).as("b waited its master_down_interval after a's last advert").isGreaterThanOrEqualTo(formula - 1);
        assertThat(report.events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("keepalived_killed");
            assertThat(e.node()).isEqualTo("a");
        });
        assertThat(report.events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("ha_state");
            assertThat(e.detail()).startsWith("duplicate VIP: a (keepalived killed) and b (MASTER) both hold ");
        });
        // a still serves on the VIP it kept and b on the one it took: nobody's requests failed.
        assertThat(report.failed()).isZero();
    }
}
