package dev.flowlab.run;

import dev.flowlab.client.Scenarios;
import dev.flowlab.client.TestHttpTier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.testing.ClockDriver;
import dev.flowlab.testing.LabWatch;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabRunTest {
    private final TestHttpTier stub = new TestHttpTier();
    private final LabWatch watch = new LabWatch(stub::held);
    private final TestLabs tier = TestLabs.with(NodeKind.TOMCAT, stub).and(watch);

    /**
     * The run on a manual clock, driven 1 ms at a time whenever the lab has settled: its counts and
     * times follow the schedule, the script and the stub's delays, not the machine's speed.
     */
    private RunReport clocked(Scenario scenario, RunOptions options) {
        LabClock.Manual clock = LabClock.manual();
        ClockDriver driver = new ClockDriver(clock, Duration.ofMillis(1), watch::settled, watch);
        return driver.run(() -> LabRun.execute(tier.parts(), LabOptions.defaults().withClock(clock), scenario, options),
                Duration.ofSeconds(60));
    }

    private static RunOptions openLoop(Duration duration, double rps, ScriptStep... steps) {
        return new RunOptions(duration, rps, null, List.of(steps), null);
    }

    @Test
    void openLoop_500rpsFor2s_sendsTheScheduledThousandRequestsAllOk() {
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        stub.delay("tomcat-1", Duration.ofMillis(1));
        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1"),
                new RunOptions(Duration.ofSeconds(2), 500.0, null, List.of(), progress::add));

        assertThat(report.requests()).as("one every 2 ms of the clock").isEqualTo(1000);
        assertThat(report.ok()).isEqualTo(report.requests());
        assertThat(report.failed()).isZero();
        assertThat(report.status()).containsOnlyKeys("200");
        assertThat(report.servedBy()).containsEntry("tomcat-1", report.requests());
        assertThat(report.latencyMs().p50()).as("the stub's 1 ms").isEqualTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.latencyMs().p99()).isGreaterThanOrEqualTo(report.latencyMs().p50());
        assertThat(report.latencyMs().max()).isGreaterThanOrEqualTo(report.latencyMs().p99());
        assertThat(report.mode()).isEqualTo("open");
        assertThat(report.targetRps()).isEqualTo(500.0);
        assertThat(report.firstFailureMs()).isNull();
        assertThat(report.timeline()).isNotEmpty();
        assertThat(report.timeline().stream().mapToLong(RunReport.Second::ok).sum()).isEqualTo(report.ok());
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(0)).contains("open loop at 500 req/s");
    }

    @Test
    void timeline_carriesEachSecondsP99_andTheSummaryComparesTheFirstWithTheRest() {
        stub.delay("tomcat-1", Duration.ofMillis(2));
        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1"), openLoop(Duration.ofSeconds(4), 100));

        // The first second also holds the connections' opening (the clock driver lets it run while they connect).
        assertThat(report.timeline().get(0).p99Ms()).isGreaterThanOrEqualTo(2.0);
        assertThat(report.timeline().subList(1, 4)).allSatisfy(s -> assertThat(s.p99Ms()).as("second %d", s.tS())
                .isEqualTo(2.0, org.assertj.core.data.Offset.offset(0.05)));
        assertThat(report.summaryTable()).containsPattern("first second p99 [0-9.]+ ms, later seconds' median p99 2\\.0[01] ms \\([0-9.]+x\\)");
        assertThat(report.toJson()).contains("\"p99_ms\"");
    }

    @Test
    void closedLoop_concurrency4_neverHoldsMoreThanFourRequestsInFlight() {
        stub.delay("tomcat-1", Duration.ofMillis(5));

        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1"),
                new RunOptions(Duration.ofSeconds(1), null, 4, List.of(), null));

        assertThat(report.mode()).isEqualTo("closed");
        assertThat(report.concurrency()).isEqualTo(4);
        assertThat(report.requests()).isGreaterThan(20);
        assertThat(report.failed()).isZero();
        assertThat(stub.maxInFlight("tomcat-1")).isBetween(1, 4);
    }

    @Test
    void killAtOneSecond_ofTheOnlyServer_failsWithConnectionErrorsFromThen() {
        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1"),
                openLoop(Duration.ofMillis(2500), 200, new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-1", null)));

        // one every 5 ms of the clock: 200 before the kill at 1000 ms, 299 after it; the one at 1000 ms races the kill
        assertThat(report.requests()).isEqualTo(500);
        assertThat(report.ok()).isBetween(200L, 201L);
        assertThat(report.failed()).isBetween(299L, 300L);
        Map<String, Long> happened = new java.util.TreeMap<>(report.errors());
        happened.values().removeIf(n -> n == 0);
        assertThat(happened).isNotEmpty();
        assertThat(Set.of("connect_refused", "reset", "closed")).containsAll(happened.keySet());
        // the kill lands within a few ticks of the driven clock (a loaded machine closes the sockets a little later)
        assertThat(report.firstFailureMs()).isBetween(1000L, 1025L);
        assertThat(report.events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("node_killed");
            assertThat(e.node()).isEqualTo("tomcat-1");
            assertThat(e.tMs()).isEqualTo(1000L);
        });
        assertThat(report.events().stream().filter(e -> e.type().equals("node_killed")).count())
                .as("the node's own kill event folds into the script step").isEqualTo(1);
    }

    @Test
    void openLoop_againstASlowServer_countsQueueingInLatency() {
        stub.delay("tomcat-1", Duration.ofMillis(300));
        ClientConfig twoConnections = new ClientConfig(2, null, null, null);

        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1", twoConnections, null),
                openLoop(Duration.ofSeconds(1), 20));

        // 20 requests planned over 1 s, served two at a time in 300 ms: the last ones wait ~2 s.
        // A client measuring from its actual send time would report ~300 ms for all of them.
        assertThat(report.requests()).isEqualTo(20);
        assertThat(report.ok()).isEqualTo(report.requests());
        assertThat(report.latencyMs().p50()).isGreaterThan(600);
        assertThat(report.latencyMs().p99()).isGreaterThan(1500);
    }

    @Test
    void serverThatNeverAnswers_requestsFailAsTimeout() {
        stub.delay("tomcat-1", TestHttpTier.NEVER);
        ClientConfig shortTimeout = new ClientConfig(null, Duration.ofMillis(300), null, null);

        RunReport report = clocked(Scenarios.clientAndServer("tomcat-1", shortTimeout, null),
                openLoop(Duration.ofSeconds(1), 20));

        assertThat(report.requests()).isEqualTo(20);
        assertThat(report.ok()).isZero();
        assertThat(report.errors()).containsEntry("timeout", report.requests());
        assertThat(report.firstFailureMs()).as("the first request's 300 ms timeout, on the clock").isBetween(300L, 301L);
    }

    @Test
    void reportJson_usesExactlyTheContractNames() throws Exception {
        RunReport report = LabRun.execute(tier.parts(), Scenarios.clientAndServer("tomcat-1"),
                openLoop(Duration.ofMillis(600), 100, new ScriptStep(Duration.ofMillis(300), "kill", "tomcat-1", null)));

        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(names(json)).contains("requests", "ok", "failed", "status", "errors", "latency_ms", "served_by", "events");
        assertThat(names(json.get("latency_ms"))).contains("p50", "p90", "p99", "max");
        assertThat(names(json.get("status"))).contains("200");
        assertThat(names(json.get("errors"))).contains("connect_refused", "timeout");
        assertThat(names(json.get("served_by"))).containsExactly("tomcat-1");
        JsonNode event = json.get("events").get(0);
        assertThat(names(event)).contains("t_ms", "type", "node");
        assertThat(event.get("type").asText()).isEqualTo("node_killed");
        assertThat(json.get("requests").asLong()).isEqualTo(json.get("ok").asLong() + json.get("failed").asLong());
        assertThat(RunReport.fromJson(report.toJson())).isEqualTo(report);

        String table = report.summaryTable();
        assertThat(table).contains("requests", "p99", "status codes", "errors by cause", "served by", "tomcat-1",
                "node_killed");
    }

    @Test
    void scenarioTraffic_isUsedWhenNothingOverridesIt() {
        Scenario scenario = Scenarios.clientAndServer("tomcat-1")
                .withTraffic(new Traffic("closed", null, 2, Duration.ofMillis(300), null));

        RunReport report = LabRun.execute(tier.parts(), scenario, RunOptions.defaults());

        assertThat(report.mode()).isEqualTo("closed");
        assertThat(report.concurrency()).isEqualTo(2);
        assertThat(report.durationS()).isEqualTo(0.3);
        assertThat(report.requests()).isPositive();
    }

    @Test
    void badInput_isRejectedBeforeAnythingStarts() {
        Scenario noClient = new Scenario(Scenario.FORMAT, "x", null, List.of(NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(), null, null);
        assertThatThrownBy(() -> LabRun.execute(tier.parts(), noClient, RunOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no client node");
        assertThatThrownBy(() -> LabRun.execute(tier.parts(), Scenarios.clientAndServer("tomcat-1"),
                openLoop(Duration.ofSeconds(1), 10, new ScriptStep(Duration.ofSeconds(1), "kill", "tomcat-9", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tomcat-9");
        assertThatThrownBy(() -> new RunOptions(null, 10.0, 4, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }
}
