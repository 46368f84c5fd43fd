package dev.flowlab.live;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.event.EventType;
import dev.flowlab.runtime.Lab;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Real labs, real traffic: what the view receives ten times a second. */
class LinkActivityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void frames_carryEachLinksRate_samples_andConnections_fromRealTraffic() {
        try (Lab lab = Stack.lab(LiveScenarios.nginxTomcats(2, 200))) {
            lab.start();
            try (LinkActivity activity = new LinkActivity(lab); ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                ActivityFrame frame = await("traffic on every link").atMost(WAIT).until(activity::latest,
                        f -> f != null && rps(f, "client", "nginx-1") > 100 && rps(f, "nginx-1", "tomcat-1") > 10
                                && rps(f, "nginx-1", "tomcat-2") > 10 && link(f, "client", "nginx-1").openConnections() > 0);

                LinkStats front = link(frame, "client", "nginx-1");
                assertThat(front.measured()).isTrue();
                assertThat(front.errorShare()).isZero();
                assertThat(front.openConnections()).isPositive();
                assertThat(front.responsesBypass()).isFalse();
                assertThat(front.latencyMs()).isPositive();
                LinkStats upstream = link(frame, "nginx-1", "tomcat-1");
                // Tomcat's service time is 2 ms: the proxy's view of it cannot be shorter.
                assertThat(upstream.latencyMs()).isGreaterThanOrEqualTo(2.0);
                List<Sample> samples = await("samples of every kind").atMost(WAIT).until(
                        () -> activity.latest().links().stream().flatMap(l -> l.samples().stream()).toList(),
                        s -> s.stream().anyMatch(x -> x.kind() == TrafficKind.API) && s.stream().anyMatch(x -> x.kind() == TrafficKind.STATIC));
                assertThat(samples).allSatisfy(s -> assertThat(s.traceId()).isNotNull());
                assertThat(frame.nodes()).extracting(NodeBadge::state).containsOnly("running");
            }
        }
    }

    @Test
    void killingATomcat_showsOnItsBadge_inTheEvents_andAsErrorsOnItsLink() {
        try (Lab lab = Stack.lab(LiveScenarios.nginxTomcats(2, 200))) {
            lab.start();
            List<ActivityFrame> frames = new CopyOnWriteArrayList<>();
            try (LinkActivity activity = new LinkActivity(lab); ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                activity.subscribe(frames::add);
                await("traffic").atMost(WAIT).until(() -> activity.latest() != null && rps(activity.latest(), "nginx-1", "tomcat-2") > 10);

                lab.kill("tomcat-2").join();

                await("the killed badge").atMost(WAIT).until(() -> "killed".equals(badge(activity.latest(), "tomcat-2").state()));
                await("the kill event and nginx marking the server down").atMost(WAIT).until(() -> {
                    var events = frames.stream().flatMap(f -> f.events().stream()).toList();
                    return events.stream().anyMatch(e -> e.type() == EventType.NODE_KILLED && "tomcat-2".equals(e.node()))
                            && events.stream().anyMatch(e -> e.type() == EventType.SERVER_DOWN && "tomcat-2".equals(e.peer()));
                });
                assertThat(badge(activity.latest(), "tomcat-2").markedDownBy()).isEqualTo("nginx-1");
                // The failed attempt may be counted a frame after the server was marked down.
                await("an error sample on nginx-1 -> tomcat-2").atMost(WAIT).until(() -> frames.stream().flatMap(f -> f.links().stream())
                        .filter(l -> l.to().equals("tomcat-2")).flatMap(l -> l.samples().stream())
                        .anyMatch(s -> s.outcome() == Outcome.ERROR));
            }
        }
    }

    @Test
    void lvsDirectRouting_repliesBypassTheDirector_whichHoldsNoConnections() {
        try (Lab lab = Stack.lab(LiveScenarios.lvsInFront("dr", 200))) {
            lab.start();
            try (LinkActivity activity = new LinkActivity(lab); ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                ActivityFrame frame = await("traffic through the director").atMost(WAIT).until(activity::latest,
                        f -> f != null && rps(f, "client", "lvs") > 100 && rps(f, "lvs", "nginx-1") > 100
                                && link(f, "lvs", "nginx-1").openConnections() > 0);

                assertThat(link(frame, "client", "lvs").responsesBypass()).isTrue();
                assertThat(link(frame, "lvs", "nginx-1").responsesBypass()).isTrue();
                assertThat(link(frame, "client", "lvs").openConnections()).as("the director holds no socket in DR").isZero();
                assertThat(link(frame, "lvs", "nginx-1").openConnections()).as("nginx holds the client's connections").isPositive();
                assertThat(frame.directReturns()).singleElement().satisfies(r -> {
                    assertThat(r.from()).isEqualTo("nginx-1");
                    assertThat(r.to()).isEqualTo("client");
                    assertThat(r.bypassed()).isEqualTo("lvs");
                    assertThat(r.requestsPerSecond()).isPositive();
                });
            }
        }
    }

    @Test
    void lvsNat_repliesComeBackThroughTheDirector() {
        try (Lab lab = Stack.lab(LiveScenarios.lvsInFront("nat", 100))) {
            lab.start();
            try (LinkActivity activity = new LinkActivity(lab); ScenarioTraffic traffic = ScenarioTraffic.start(lab)) {
                ActivityFrame frame = await("traffic").atMost(WAIT).until(activity::latest, f -> f != null && rps(f, "client", "lvs") > 50 && link(f, "client", "lvs").openConnections() > 0);
                assertThat(link(frame, "client", "lvs").responsesBypass()).isFalse();
                assertThat(frame.directReturns()).isEmpty();
                assertThat(link(frame, "client", "lvs").openConnections()).isPositive();
            }
        }
    }

    static double rps(ActivityFrame f, String from, String to) {
        LinkStats l = link(f, from, to);
        return l == null ? 0 : l.requestsPerSecond();
    }

    static LinkStats link(ActivityFrame f, String from, String to) {
        return f.links().stream().filter(l -> l.from().equals(from) && l.to().equals(to)).findFirst().orElse(null);
    }

    static NodeBadge badge(ActivityFrame f, String node) {
        return f.nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow();
    }
}
