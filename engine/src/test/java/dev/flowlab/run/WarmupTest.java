package dev.flowlab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.client.Scenarios;
import dev.flowlab.client.TestHttpTier;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.stack.Stack;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The warm-up before a run: real traffic on a private lab that is closed before the run's lab starts, and counted nowhere. */
class WarmupTest {
    private final TestHttpTier stub = new TestHttpTier();
    private final TestLabs tier = TestLabs.with(NodeKind.TOMCAT, stub);
    /** A generous bound, never waited out when the warm-up works: it stops at the request count. */
    private static final Duration BUDGET = Duration.ofSeconds(60);

    @Test
    void warmup_sendsRealRequestsUntilTheCount_thenClosesItsLab() {
        List<Lab> built = new ArrayList<>();
        Function<Scenario, Lab> labs = s -> {
            Lab lab = Stack.lab(s, LabOptions.defaults(), tier.parts());
            built.add(lab);
            return lab;
        };

        Warmup.Result r = Warmup.run(labs, Scenarios.clientAndServer("tomcat-1"), BUDGET, 200, () -> false);

        assertThat(r.ran()).isTrue();
        assertThat(r.requests()).as("it stops once 200 are answered").isGreaterThanOrEqualTo(200);
        assertThat(r.failed()).isZero();
        assertThat(r.took()).isLessThan(BUDGET);
        assertThat(r.describe()).startsWith("warmed up the lab's code paths on a private copy: ");
        assertThat(built).hasSize(1);
        assertThat(stub.held()).as("nothing is left in flight").isZero();
        assertThat(built.get(0).node("tomcat-1").map(n -> n.state()).orElse(null)).isNotEqualTo(dev.flowlab.runtime.NodeState.RUNNING);
    }

    @Test
    void warmup_cancelled_endsEarly() {
        AtomicInteger polls = new AtomicInteger();
        Warmup.Result r = Warmup.run(s -> Stack.lab(s, LabOptions.defaults(), tier.parts()), Scenarios.clientAndServer("tomcat-1"),
                BUDGET, Integer.MAX_VALUE, () -> polls.incrementAndGet() > 2);

        assertThat(r.ran()).isTrue();
        assertThat(r.took()).isLessThan(BUDGET);
    }

    @Test
    void warmup_offOrWithoutClients_isSkippedAndSaysWhy() {
        Function<Scenario, Lab> labs = s -> {
            throw new AssertionError("no lab is built");
        };
        assertThat(Warmup.run(labs, Scenarios.clientAndServer("tomcat-1"), Duration.ZERO, 100, () -> false).describe())
                .isEqualTo("warm-up skipped: turned off");
        Scenario serverOnly = new Scenario(Scenario.FORMAT, "no client", null, List.of(NodeSpec.of("tomcat-1", NodeKind.TOMCAT)),
                List.of(), null, null);
        assertThat(Warmup.run(labs, serverOnly, BUDGET, 100, () -> false).describe())
                .isEqualTo("warm-up skipped: no client node with a link");
    }

    @Test
    void labRun_afterAWarmup_countsOnlyItsOwnTraffic() {
        List<String> progress = new CopyOnWriteArrayList<>();
        RunOptions options = new RunOptions(Duration.ofMillis(500), 100.0, null, List.of(), progress::add)
                .withWarmup(Duration.ofSeconds(1));

        RunReport report = LabRun.execute(tier.parts(), Scenarios.clientAndServer("tomcat-1"), options);

        assertThat(progress.get(0)).startsWith("warmed up the lab's code paths on a private copy: ");
        assertThat(report.requests()).as("100 req/s for 500 ms: the run's 50, none of the warm-up's").isEqualTo(50);
        assertThat(report.servedBy()).containsEntry("tomcat-1", 50L);
    }

    @Test
    void configured_readsTheSystemProperty() {
        String was = System.getProperty("flowlab.warmup");
        try {
            System.setProperty("flowlab.warmup", "0");
            assertThat(Warmup.configured()).isZero();
            System.setProperty("flowlab.warmup", "750ms");
            assertThat(Warmup.configured()).isEqualTo(Duration.ofMillis(750));
            System.clearProperty("flowlab.warmup");
            assertThat(Warmup.configured()).isEqualTo(Warmup.DEFAULT_BUDGET);
        } finally {
            if (was != null) {
                System.setProperty("flowlab.warmup", was);
            } else {
                System.clearProperty("flowlab.warmup");
            }
        }
    }
}
