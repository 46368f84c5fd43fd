package dev.flowlab.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An active-standby Nginx pair under traffic: kill the master, let it come back, wait as BACKUP and preempt. */
class NginxPairTest {

    private static Scenario nginxPair() {
        List<NodeSpec> nodes = List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("nginx-1", NodeKind.NGINX),
                NodeSpec.of("nginx-2", NodeKind.NGINX), NodeSpec.of("tomcat-1", NodeKind.TOMCAT), NodeSpec.of("tomcat-2", NodeKind.TOMCAT));
        List<LinkSpec> links = List.of(LinkSpec.of("client", "nginx-1"),
                LinkSpec.of("nginx-1", "tomcat-1"), LinkSpec.of("nginx-1", "tomcat-2"),
                LinkSpec.of("nginx-2", "tomcat-1"), LinkSpec.of("nginx-2", "tomcat-2"));
        HaGroup group = new HaGroup("nginx-ha", null, 51, Duration.ofMillis(200), 3,
                List.of(HaMember.of("nginx-1", 150).withState("MASTER"), HaMember.of("nginx-2", 100)), null);
        return new Scenario(Scenario.FORMAT, "nginx pair", null, nodes, links, null, null, List.of(group));
    }

    @Test
    void killAndRestartTheMaster_failuresOnlyInsideTheTakeoverWindows_noBadGatewayAfterThePreemption() {
        List<ScriptStep> steps = List.of(new ScriptStep(Duration.ofMillis(800), "kill", "nginx-1", Map.of()),
                new ScriptStep(Duration.ofMillis(2200), "start", "nginx-1", Map.of()));
        RunReport report = LabRun.execute(nginxPair(), new RunOptions(Duration.ofMillis(3500), 60.0, null, steps, null));

        assertThat(report.failovers()).extracting(RunReport.Failover::from, RunReport.Failover::to, RunReport.Failover::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nginx-1", "nginx-2", "killed"),
                        org.assertj.core.groups.Tuple.tuple("nginx-2", "nginx-1", "preempted by nginx-1"));
        // The restarted nginx-1 starts as BACKUP and waits its own master_down_interval before it preempts.
        RunReport.Failover back = report.failovers().get(1);
        double formula = HaGroup.masterDownInterval(Duration.ofMillis(200), 150, 3).toNanos() / 1e6;
        assertThat(back.masterDownIntervalMs()).isEqualTo(Math.round(formula * 10) / 10.0);
        assertThat(back.waitStartMs()).isGreaterThanOrEqualTo(2200);
        assertThat(back.waitMs()).isGreaterThanOrEqualTo(formula - 1);
        assertThat(back.masterMs()).isGreaterThanOrEqualTo(2200 + (long) formula);
        assertThat(report.summaryTable()).contains("nginx-ha: nginx-2 -> nginx-1", "preempted by nginx-1", "waited");
        assertThat(report.errorsOutsideFailovers()).isZero();
        // The restarted nginx-1 has fresh passive health state: no "no live upstreams" 502.
        assertThat(report.status()).doesNotContainKey("502");
        assertThat(report.servedBy()).containsKeys("tomcat-1", "tomcat-2");
    }
}
