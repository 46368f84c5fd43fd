package dev.flowlab.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.live.LiveScenarios;
import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.runtime.Lab;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.Scenario;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceCollector;
import dev.flowlab.trace.TraceHop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real labs, real traffic, recorded: a request traced live is rebuilt from the recording alone,
 * hop for hop the same, and any other recorded request has a hop per tier it went through.
 */
class RecordedTracesTest {
    @TempDir
    Path dir;

    /** What a live trace and a rebuilt one share: times relative to the trace's start (the file counts from the traffic's). */
    private record HopView(String node, String kind, TraceHop.Layer layer, String action, String peer, int status,
                           String connection, long startFromTrace, long endFromTrace, List<TraceHop.Captured> captured,
                           List<String> notes) {
        static HopView of(TraceHop h, Trace t) {
            return new HopView(h.node(), h.kind(), h.layer(), h.action(), h.peer(), h.status(), h.connection(),
                    h.startNanos() - t.startNanos(), h.endNanos() - t.startNanos(), h.captured(), h.notes());
        }
    }

    private static List<HopView> view(Trace t) {
        return t.hops().stream().map(h -> HopView.of(h, t)).toList();
    }

    /** Records a run, traces requests live until one reaches a third hop (or the director's), and returns both. */
    private Recording recordTracing(Scenario scenario, int hops, Trace[] live) throws Exception {
        Path file = dir.resolve("run.flowrec");
        try (Lab lab = Stack.lab(scenario)) {
            lab.start();
            Recorder recorder = Recorder.attach(lab, file).begin();
            try (TraceCollector collector = new TraceCollector(lab);
                 ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                Trace trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                for (int i = 0; i < 20 && trace.hops().size() < hops; i++) {
                    trace = collector.traceNext(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                }
                live[0] = trace;
                recorder.finish(null);
            }
        }
        return RecordingReader.read(file);
    }

    @Test
    void aRequestTracedLive_isRebuiltFromTheRecording_hopForHop() throws Exception {
        Trace[] live = new Trace[1];
        Recording recording = recordTracing(LiveScenarios.nginxTomcats(2, 100), 3, live);
        assertThat(live[0].hops()).extracting(TraceHop::node).containsExactly("client", "nginx-1", live[0].hops().get(2).node());

        RecordedTraces traces = new RecordedTraces(recording);
        RecordedTraces.RecordedTrace rebuilt = traces.trace(live[0].traceId()).orElseThrow();
        assertThat(rebuilt.complete()).isTrue();
        Trace t = rebuilt.trace();
        assertThat(t.traceId()).isEqualTo(live[0].traceId());
        assertThat(t.status()).isEqualTo(live[0].status());
        assertThat(t.path()).isEqualTo(live[0].path());
        assertThat(t.durationNanos()).isEqualTo(live[0].durationNanos());
        assertThat(view(t)).isEqualTo(view(live[0]));
        assertThat(t.events()).hasSameSizeAs(live[0].events());
        assertThat(rebuilt.notes()).noneMatch(n -> n.startsWith("incomplete") || n.startsWith("no headers"));
        // the request is among the recording's, where it started
        RecordedTraces.Request r = traces.request(live[0].traceId()).orElseThrow();
        assertThat(traces.firstAtOrAfter(r.startNanos())).get().extracting(RecordedTraces.Request::startNanos).isEqualTo(r.startNanos());
        assertThat(r.status()).isEqualTo(live[0].status());
    }

    @Test
    void behindLvsDr_theRebuiltTraceKeepsTheDirectorsChoice() throws Exception {
        Trace[] live = new Trace[1];
        Recording recording = recordTracing(LiveScenarios.lvsInFront("dr", 50), 3, live);
        assertThat(live[0].hop("lvs")).isNotNull();

        Trace t = new RecordedTraces(recording).trace(live[0].traceId()).orElseThrow().trace();
        assertThat(view(t)).isEqualTo(view(live[0]));
        assertThat(t.hop("lvs").layer()).isEqualTo(TraceHop.Layer.L4);
    }

    @Test
    void aRequestTheRecordingHoldsOnlyPartOf_isMarkedIncomplete_andSaysWhichPart() {
        Scenario scenario = new Scenario(Scenario.FORMAT, "s", null,
                List.of(dev.flowlab.topology.NodeSpec.of("client", dev.flowlab.topology.NodeKind.CLIENT),
                        dev.flowlab.topology.NodeSpec.of("tomcat-1", dev.flowlab.topology.NodeKind.TOMCAT)),
                List.of(dev.flowlab.topology.LinkSpec.of("client", "tomcat-1")), null, null);
        List<LabEvent> events = new java.util.ArrayList<>(List.of(
                // began before the recording: its answer is all there is
                new LabEvent(ms(1), EventType.RESPONSE_RETURNED, "tomcat-1", "c", "before", 200, ms(5), new Fact.Answered("GET", "/a", 200, null, null)),
                new LabEvent(ms(2), EventType.CLIENT_RESPONSE, "client", "tomcat-1", "before", 200, ms(6), new Fact.ClientResponse("/a")),
                // whole
                new LabEvent(ms(10), EventType.CLIENT_REQUEST, "client", "tomcat-1", "whole", 0, 0, new Fact.ClientRequest("GET", "/b")),
                new LabEvent(ms(11), EventType.REQUEST_RECEIVED, "tomcat-1", "c", "whole", 0, 0, new Fact.RequestSeen("GET", "/b", "c")),
                new LabEvent(ms(12), EventType.RESPONSE_RETURNED, "tomcat-1", "c", "whole", 200, ms(1), new Fact.Answered("GET", "/b", 200, null, null)),
                new LabEvent(ms(13), EventType.CLIENT_RESPONSE, "client", "tomcat-1", "whole", 200, ms(3), new Fact.ClientResponse("/b")),
                // refused before it was sent: its failure is all of it, and that is whole
                new LabEvent(ms(20), EventType.CLIENT_ERROR, "client", null, "refused", 0, ms(1), new Fact.ClientError("connect_refused", "refused", "/c")),
                // no answer before the recording ended
                new LabEvent(ms(30), EventType.CLIENT_REQUEST, "client", "tomcat-1", "after", 0, 0, new Fact.ClientRequest("GET", "/d")),
                new LabEvent(ms(31), EventType.REQUEST_RECEIVED, "tomcat-1", "c", "after", 0, 0, new Fact.RequestSeen("GET", "/d", "c"))));
        Recording recording = new Recording("1.0", "now", scenario, java.util.Map.of(), events, List.of(), List.of(), null, 40, true, 0, null);
        RecordedTraces traces = new RecordedTraces(recording);

        assertThat(traces.requests()).extracting(RecordedTraces.Request::traceId).containsExactly("before", "whole", "refused", "after");
        assertThat(traces.trace("whole").orElseThrow().complete()).isTrue();
        assertThat(traces.trace("whole").orElseThrow().trace().hops()).extracting(TraceHop::node).containsExactly("client", "tomcat-1");
        assertThat(traces.trace("refused").orElseThrow().complete()).isTrue();
        assertThat(traces.request("refused").orElseThrow().label()).contains("/c").contains("connect_refused");
        assertThat(traces.trace("before").orElseThrow()).satisfies(t -> {
            assertThat(t.complete()).isFalse();
            assertThat(t.notes()).anyMatch(n -> n.startsWith("incomplete: the request began before the recording"));
        });
        assertThat(traces.trace("after").orElseThrow()).satisfies(t -> {
            assertThat(t.complete()).isFalse();
            assertThat(t.notes()).anyMatch(n -> n.startsWith("incomplete: the recording ended before the client had its answer"));
            assertThat(t.trace().hops()).extracting(TraceHop::node).containsExactly("client", "tomcat-1");
        });
        assertThat(traces.firstAtOrAfter(ms(14))).get().extracting(RecordedTraces.Request::traceId).isEqualTo("refused");
        assertThat(traces.firstAtOrAfter(ms(35))).isEmpty();
        assertThat(traces.trace("nothing")).isEmpty();
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void anyRecordedRequest_hasAHopPerTierItWentThrough_andSaysItHasNoHeaders() throws Exception {
        Trace[] live = new Trace[1];
        Recording recording = recordTracing(LiveScenarios.nginxTomcats(2, 100), 3, live);
        RecordedTraces traces = new RecordedTraces(recording);
        assertThat(traces.requests()).hasSizeGreaterThan(5);

        // an untraced request that reached a Tomcat: client, nginx-1, the Tomcat, each with its status
        RecordedTraces.RecordedTrace other = traces.requests().stream()
                .filter(r -> !r.traceId().equals(live[0].traceId()) && r.complete())
                .map(r -> traces.trace(r.traceId()).orElseThrow())
                .filter(rt -> rt.trace().hops().size() >= 3)
                .findFirst().orElseThrow();
        assertThat(other.trace().hops()).extracting(TraceHop::node).startsWith("client", "nginx-1");
        assertThat(other.trace().hops().get(2).node()).matches("tomcat-[12]");
        assertThat(other.trace().hops()).allSatisfy(h -> assertThat(h.status()).isBetween(200, 399));
        assertThat(other.complete()).isTrue();
        assertThat(other.notes()).anyMatch(n -> n.startsWith("no headers"));

        // the first request at or after a moment starts there or later
        long middle = traces.requests().get(traces.requests().size() / 2).startNanos();
        assertThat(traces.firstAtOrAfter(middle)).get().satisfies(r -> assertThat(r.startNanos()).isGreaterThanOrEqualTo(middle));
        assertThat(traces.around(middle, 2, 3)).hasSize(5);
    }
}
