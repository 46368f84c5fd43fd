package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `lab run` through the proxy: a Tomcat killed under load costs no GET, and comes back after fail_timeout. */
class NginxLabRunTest {
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;

    @BeforeEach
    void useTestUpstream() {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
    }

    @AfterEach
    void restore() {
        upstream.openBodyGate();
    }

    @Test
    void killTomcatUnderLoad_noGetFails_markedDown_thenBackAfterFailTimeout() {
        List<NginxConfig.Server> servers = List.of(1, 2, 3).stream()
                .map(i -> NginxConfig.Server.node("tomcat-" + i).withMaxFails(1, Duration.ofSeconds(1))).toList();
        NginxConfig cfg = NginxConfig.EMPTY
                .withUpstreams(List.of(new NginxConfig.Upstream("tomcats", null, null, null, 32, null, null, servers)))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "tomcats")))
                .withProxyHttpVersion("1.1", List.of("Connection: \"\""));
        Scenario base = NginxProxyTest.scenario(3, cfg);
        Scenario s = base.withTraffic(new Traffic("open", 500.0, null, Duration.ofSeconds(4), null))
                .withScript(List.of(new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-2", null),
                        new ScriptStep(Duration.ofMillis(1500), "start", "tomcat-2", null)));
        assertThat(s.node("nginx-1").map(NodeSpec::kind)).hasValue(NodeKind.NGINX);

        RunReport report = LabRun.execute(tier.parts(), s, RunOptions.defaults());

        assertThat(report.requests()).isGreaterThan(1500);
        assertThat(report.failed()).as("every GET retried on a live server: " + report.errors()).isZero();
        assertThat(report.status()).containsOnlyKeys("200");
        List<String> events = report.events().stream().map(e -> e.type() + " " + e.node() + " " + e.detail()).toList();
        assertThat(events).anyMatch(e -> e.startsWith("server_down nginx-1") && e.contains("tomcat-2"));
        assertThat(events).anyMatch(e -> e.startsWith("server_up nginx-1") && e.contains("tomcat-2"));
        assertThat(report.servedBy()).containsKeys("tomcat-1", "tomcat-2", "tomcat-3");
    }
}
