package dev.flowlab.trace;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.live.LiveScenarios;
import dev.flowlab.runtime.Lab;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real labs, real traffic: the next request is marked, followed through every tier and rebuilt. */
class TraceCollectorTest {

    @Test
    void traceNext_rebuildsClientNginxTomcat_withHeadersAndConnectionsAtEveryHop() throws Exception {
        try (Lab lab = Stack.lab(LiveScenarios.nginxTomcats(2, 100));
             TraceCollector collector = startedCollector(lab);
             ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
            // Static files end at nginx (2 hops); follow requests until one goes through to a Tomcat.
            Trace trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            for (int i = 0; i < 20 && trace.hops().size() < 3; i++) {
                assertThat(trace.hops()).extracting(TraceHop::node).containsExactly("client", "nginx-1");
                trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            }

            assertThat(trace.traceId()).startsWith("trace-");
            assertThat(trace.hops()).extracting(TraceHop::node).startsWith("client", "nginx-1");
            assertThat(trace.hops()).hasSize(3);
            TraceHop tomcat = trace.hops().get(2);
            assertThat(tomcat.node()).matches("tomcat-[12]");
            assertThat(trace.status()).isBetween(200, 399);
            for (TraceHop hop : trace.hops()) {
                assertThat(hop.connection()).as("connection at %s", hop.node()).matches("127\\.[\\d.]+:\\d+ -> 127\\.[\\d.]+:\\d+");
                assertThat(hop.captured()).as("headers at %s", hop.node()).isNotEmpty();
                assertThat(hop.startNanos()).isGreaterThanOrEqualTo(trace.startNanos());
                assertThat(hop.endNanos()).isLessThanOrEqualTo(trace.endNanos());
            }
            TraceHop nginx = trace.hop("nginx-1");
            assertThat(nginx.capture("request received").text()).containsIgnoringCase("x-lab-trace: " + trace.traceId());
            // The proxy's own request upstream, as nginx rewrites it: X-Forwarded-For added, no Via (nginx never adds one),
            // the hop named by the lab's own trace header instead.
            assertThat(nginx.capture("request sent").text()).containsIgnoringCase("x-forwarded-for")
                    .containsIgnoringCase("x-lab-trace: " + trace.traceId()).doesNotContainIgnoringCase("via:");
            assertThat(tomcat.capture("request received").text()).containsIgnoringCase("x-real-ip");
            // The connection nginx used upstream is the one Tomcat accepted, seen from both ends.
            String nginxUpstream = nginx.capture("request sent").connection();
            String tomcatSide = tomcat.capture("request received").connection();
            assertThat(swap(tomcatSide)).isEqualTo(nginxUpstream);
            assertThat(tomcat.durationNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void traceNext_behindLvsDr_showsTheDirectorsLayer4Choice() throws Exception {
        try (Lab lab = Stack.lab(LiveScenarios.lvsInFront("dr", 50));
             TraceCollector collector = startedCollector(lab);
             ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
            Trace trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);

            List<String> nodes = trace.hops().stream().map(TraceHop::node).toList();
            assertThat(nodes).startsWith("client", "lvs", "nginx-1");
            TraceHop l4 = trace.hop("lvs");
            assertThat(l4.layer()).isEqualTo(TraceHop.Layer.L4);
            assertThat(l4.peer()).isEqualTo("nginx-1");
            assertThat(String.join("\n", l4.notes())).contains("SYN to the VIP").contains("destination MAC");
            // Direct routing: the client's connection lands on nginx itself.
            assertThat(TraceBuilder.localOf(trace.hop("client").connection()))
                    .isEqualTo(TraceBuilder.remoteOf(trace.hop("nginx-1").connection()));
        }
    }

    @Test
    void traceNext_withoutTraffic_timesOut_andStopsWatching() {
        try (Lab lab = Stack.lab(LiveScenarios.nginxTomcats(1, 10));
             TraceCollector collector = startedCollector(lab)) {
            var future = collector.traceNext(Duration.ofMillis(200));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(lab.events().traceMarks().pending()).isFalse();
        }
    }

    private static TraceCollector startedCollector(Lab lab) {
        lab.start();
        return new TraceCollector(lab);
    }

    private static String swap(String connection) {
        return TraceBuilder.remoteOf(connection) + " -> " + TraceBuilder.localOf(connection);
    }
}
