package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.Fact;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceHop;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step mode's moves, from a trace through LVS DR: the layer-4 steps, then L7 there and back around the director. */
class StepModelTest {

    @Test
    void aTraceThroughLvsDr_stepsThroughTheHandshake_thenTheRequest_andAnswersAroundTheDirector() {
        Trace trace = new Trace("t1", "/api/item/3", 200, 0, 100, List.of(
                hop("client", "client", TraceHop.Layer.L7, null, List.of()),
                new TraceHop("lvs", "lvs", TraceHop.Layer.L4, "L4 DR: connection to the VIP scheduled to nginx-1", "nginx-1", 0, 10,
                        0, "127.0.100.1:5000 -> VIP", List.of(), List.of(), List.of("SYN to the VIP from 127.0.100.1:5000",
                        "rewrite: destination MAC to nginx-1's, IP unchanged"),
                        List.of(new Fact.L4Choice("rr", "nginx-1", "dr", "127.0.100.1:5000", 1, 0))),
                hop("nginx-1", "nginx", TraceHop.Layer.L7, null, List.of()),
                hop("tomcat-1", "tomcat", TraceHop.Layer.L7, null, List.of())), List.of());

        StepModel model = StepModel.of(trace);

        assertThat(model.steps()).extracting(s -> s.from() + ">" + s.to() + " " + s.layer()).containsExactly(
                "client>lvs L4", "lvs>nginx-1 L4", "nginx-1>client L4",
                "client>lvs L7", "lvs>nginx-1 L7", "nginx-1>tomcat-1 L7",
                "tomcat-1>nginx-1 L7", "nginx-1>client L7");
        assertThat(model.steps().get(7).title()).contains("bypassing the director");
        assertThat(model.back()).isFalse();
        assertThat(model.forward()).isTrue();
        assertThat(model.current().title()).startsWith("director's choice: nginx-1");
        assertThat(model.back()).isTrue();
        assertThat(model.indexProperty().get()).isZero();
    }

    @Test
    void aTraceThroughAnEcmpRouter_stepsThroughTheHashFirst_thenTheBalancersLookup() {
        Trace trace = new Trace("t2", "/api/item/3", 200, 0, 100, List.of(
                hop("client", "client", TraceHop.Layer.L7, null, List.of()),
                new TraceHop("router", "router", TraceHop.Layer.L4, "ECMP: flow hashed to lvs-2", "lvs-2", 0, 0, 0,
                        "127.0.100.1:5000 -> VIP", List.of(), List.of(), List.of("SYN to the VIP from 127.0.100.1:5000"),
                        List.of(new Fact.FlowHashed("resilient", "127.0.100.1:5000", "lvs-2", 3))),
                new TraceHop("lvs-2", "lvs", TraceHop.Layer.L4, "L4 DR: connection to the VIP scheduled to nginx-3", "nginx-3", 0, 10,
                        0, "127.0.100.1:5000 -> VIP", List.of(), List.of(), List.of(),
                        List.of(new Fact.L4Choice("mh", "nginx-3", "dr", "127.0.100.1:5000", 1, 0))),
                hop("nginx-3", "nginx", TraceHop.Layer.L7, null, List.of())), List.of());

        assertThat(StepModel.of(trace).steps()).extracting(s -> s.from() + ">" + s.to() + " " + s.layer()).containsExactly(
                "client>router L4", "router>lvs-2 L4", "lvs-2>nginx-3 L4", "nginx-3>client L4",
                "client>router L7", "router>lvs-2 L7", "lvs-2>nginx-3 L7", "nginx-3>client L7");
        assertThat(StepModel.of(trace).steps().get(1).title()).isEqualTo("ECMP: the 5-tuple's hash picks lvs-2 (no state kept)");
    }

    private static TraceHop hop(String node, String kind, TraceHop.Layer layer, String peer, List<String> notes) {
        return new TraceHop(node, kind, layer, "GET /api/item/3", peer, 0, 10, 200, null, List.of(), List.of(), notes);
    }
}
