package dev.flowlab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.LabRun;
import dev.flowlab.run.RunOptions;
import dev.flowlab.run.RunReport;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario in the library starts, carries real traffic end to end for a moment, and stops. */
class ScenarioRunsTest {

    static Stream<Path> scenarioFiles() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get(""))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarioFiles")
    void runsBriefly_withRealTraffic(Path file) throws Exception {
        Scenario scenario = ScenarioIO.read(file);
        // A scenario written ahead of its tier (05 needs the gateway) is skipped, not failed.
        java.util.Optional<NodeKind> missing = scenario.nodes().stream().map(n -> n.kind())
                .filter(k -> k.isLabServer() && !dev.flowlab.stack.Stack.isAvailable(k)).findFirst();
        Assumptions.assumeTrue(missing.isEmpty(), () -> file + " needs the " + missing.orElseThrow().id() + " tier, not in this build yet");
        if (scenario.nodesOfKind(NodeKind.CLIENT).isEmpty()) {
            return; // nothing sends traffic; ScenarioLibraryTest still validates it
        }
        RunReport report = LabRun.execute(scenario, new RunOptions(Duration.ofSeconds(1), 30.0, null, List.of(), null));
        assertThat(report.requests()).as("requests sent through %s", file).isGreaterThanOrEqualTo(20);
        assertThat(report.ok()).as("answered requests in %s", file).isPositive();
        if (scenario.scriptSteps().isEmpty()) {
            assertThat(report.failed()).as("failures in %s (no faults scripted): %s", file, report.errors()).isZero();
        }
        assertThat(report.servedBy()).as("X-Served-By seen through %s", file).isNotEmpty();
    }

    /**
     * A fresh lab (its JVM's first run in this test) on the full stack at the default's own rate: no
     * request fails and no balancer marks a node down in its first five seconds; a cold start must
     * not look like a failover.
     */
    @org.junit.jupiter.api.Test
    void theDefaultStack_atItsOwnRate_failsNothing_andMarksNoNodeDown_inItsFirstFiveSeconds() throws Exception {
        Scenario scenario = ScenarioIO.read(Paths.get("default.json"));
        RunReport report = LabRun.execute(scenario, new RunOptions(Duration.ofSeconds(5), null, null, List.of(), null));
        assertThat(report.requests()).isGreaterThanOrEqualTo(500);
        assertThat(report.failed()).as("failures: %s", report.errors()).isZero();
        assertThat(report.events()).as("nodes marked down").noneMatch(e -> e.type().equals(dev.flowlab.event.EventType.SERVER_DOWN.id()));
    }
}
