package dev.flowlab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check vocabulary on a synthetic event stream and a synthetic clock: no lab, no sleeping. */
class CheckRunTest {
    static final long S = 1_000_000_000L;
    static final Scenario SCENARIO = new Scenario(1, "t", null, List.of(
            new NodeSpec("client", NodeKind.CLIENT, null, null, null, null),
            new NodeSpec("nginx-1", NodeKind.NGINX, null, null, null, null),
            new NodeSpec("tomcat-1", NodeKind.TOMCAT, null, null, null, null),
            new NodeSpec("tomcat-2", NodeKind.TOMCAT, null, null, null, null)),
            List.of(LinkSpec.of("client", "nginx-1")), null, null);

    static Lesson.Check check(String kind) {
        return new Lesson.Check(kind, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    static LabEvent response(long t, int status, long latencyMs) {
        return new LabEvent(t, EventType.CLIENT_RESPONSE, "client", "nginx-1", "t" + t, status, latencyMs * 1_000_000, new Fact.ClientResponse("/api/search"));
    }

    static LabEvent error(long t) {
        return new LabEvent(t, EventType.CLIENT_ERROR, "client", null, "e" + t, 0, 1_000_000_000, new Fact.ClientError("connect_refused", "refused", "/"));
    }

    static LabEvent seen(long t, String node) {
        return new LabEvent(t, EventType.REQUEST_RECEIVED, node, "x", null, 0, 0, new Fact.RequestSeen("GET", "/", "x", null, false));
    }

    /** {@code n} responses a second from {@code from} to {@code to} (seconds), each with this latency. */
    static void traffic(CheckRun run, double from, double to, int perSecond, int status, long latencyMs) {
        for (long t = (long) (from * S); t < (long) (to * S); t += S / perSecond) {
            run.accept(response(t, status, latencyMs));
        }
    }

    @Test
    void noFailures_passesAtTheEndOfAQuietWindow_andFailsOnAFailure() {
        Lesson.Check c = new Lesson.Check("noFailures", null, "GET", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, "kill", 5.0, null, null, null);
        CheckRun ok = CheckRun.forStep(c, SCENARIO, 0);
        assertThat(ok.state(S).figure()).isEqualTo("waiting for the kill");
        ok.actionDone("kill", 2 * S);
        traffic(ok, 2, 7, 100, 200, 5);
        assertThat(ok.state(6 * S).status()).isEqualTo(CheckState.Status.WAITING);
        CheckState passed = ok.state(7 * S);
        assertThat(passed.passed()).isTrue();
        assertThat(passed.figure()).isEqualTo("0 of 500 GET requests failed in the 5 s after the kill");

        CheckRun bad = CheckRun.forStep(c, SCENARIO, 0);
        bad.actionDone("kill", 2 * S);
        traffic(bad, 2, 3, 100, 200, 5);
        bad.accept(error(3 * S));
        bad.accept(response(3 * S + 1, 502, 3));
        CheckState failed = bad.state(3 * S + 2);
        assertThat(failed.status()).isEqualTo(CheckState.Status.FAILED);
        assertThat(failed.figure()).startsWith("2 of 102 GET requests failed in the 5 s after the kill (5xx 1, connect_refused 1)");
        assertThat(failed.hint()).isNotBlank();
    }

    @Test
    void holdsVip_passesWhenTheNodeTakesTheVipInTime_andFailsAfterIt() {
        Lesson.Check c = new Lesson.Check("holdsVip", null, null, null, null, null, "lvs-2", null, null, null, null, null, null, null,
                null, null, null, null, "stop", null, 4.0, null, null);
        CheckRun run = CheckRun.forStep(c, SCENARIO, 0);
        run.seedHolders(Map.of("10.0.0.1", "lvs-1"), 0);
        run.actionDone("stop", S);
        run.accept(new LabEvent(S + S / 2, EventType.VIP_MOVED, "lvs-2", "lvs-1", null, 0, 0, new Fact.VipMoved("10.0.0.1", "lvs-1", "lvs-2")));
        CheckState s = run.state(2 * S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).isEqualTo("lvs-2 holds the VIP 10.0.0.1: took it 0.50 s after the stop");

        CheckRun late = CheckRun.forStep(c, SCENARIO, 0);
        late.actionDone("stop", S);
        assertThat(late.state(4 * S).status()).isEqualTo(CheckState.Status.WAITING);
        late.accept(new LabEvent(6 * S, EventType.VIP_MOVED, "lvs-2", "lvs-1", null, 0, 0, new Fact.VipMoved("10.0.0.1", "lvs-1", "lvs-2")));
        assertThat(late.state(6 * S).status()).isEqualTo(CheckState.Status.FAILED);
    }

    @Test
    void rateDrop_relativeToTheClient() {
        Lesson.Check c = new Lesson.Check("rateDrop", null, null, null, null, null, null, List.of("tomcat-1", "tomcat-2"), List.of("client"),
                null, null, null, null, null, null, null, 0.25, null, null, 2.0, null, null, null);
        CheckRun run = CheckRun.forStep(c, SCENARIO, 0);
        for (int i = 0; i < 100; i++) {
            run.accept(new LabEvent(i * S / 50, EventType.CLIENT_REQUEST, "client", null, null, 0, 0, new Fact.ClientRequest("GET", "/")));
            if (i % 10 < 7) {
                run.accept(seen(i * S / 50, i % 2 == 0 ? "tomcat-1" : "tomcat-2"));
            }
        }
        CheckState s = run.state(2 * S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).contains("tomcat-1, tomcat-2 received 70 requests, client received 100: 30% fewer");

        Lesson.Check half = new Lesson.Check("rateDrop", null, null, null, null, null, null, List.of("tomcat-1", "tomcat-2"), List.of("client"),
                null, null, null, null, null, null, null, 0.5, null, null, 2.0, null, null, null);
        CheckRun fails = CheckRun.forStep(half, SCENARIO, 0);
        for (int i = 0; i < 100; i++) {
            fails.accept(new LabEvent(i * S / 50, EventType.CLIENT_REQUEST, "client", null, null, 0, 0, new Fact.ClientRequest("GET", "/")));
            fails.accept(seen(i * S / 50, "tomcat-1"));
        }
        assertThat(fails.state(2 * S).status()).isEqualTo(CheckState.Status.FAILED);
    }

    @Test
    void rateDrop_afterAnAction() {
        Lesson.Check c = new Lesson.Check("rateDrop", null, null, null, null, null, null, List.of("tomcat-1"), null,
                null, null, null, null, null, null, null, 0.4, null, "kill", 2.0, null, null, null);
        CheckRun run = CheckRun.forStep(c, SCENARIO, 0);
        for (long t = 0; t < 2 * S; t += S / 100) {
            run.accept(seen(t, "tomcat-1"));
        }
        run.actionDone("kill", 2 * S);
        for (long t = 2 * S; t < 5 * S; t += S / 50) {
            run.accept(seen(t, "tomcat-1"));
        }
        CheckState s = run.state(5 * S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).startsWith("tomcat-1: 100 req/s before the kill, 50 after: 50% lower");
    }

    @Test
    void ratio_overTheLastN() {
        Lesson.Check c = new Lesson.Check("ratio", null, null, null, null, null, null, null, null, null, "CacheStatus", null, "HIT", 10,
                null, null, 0.8, null, null, null, null, Duration.ofSeconds(5), null);
        CheckRun run = CheckRun.forStep(c, SCENARIO, 0);
        run.accept(new LabEvent(1, EventType.CACHE_MISS, "nginx-1", null, null, 0, 0, new Fact.CacheStatus("MISS", "/static/a.css", null)));
        for (int i = 0; i < 9; i++) {
            assertThat(run.state(2).status()).isEqualTo(CheckState.Status.WAITING);
            run.accept(new LabEvent(2 + i, EventType.CACHE_HIT, "nginx-1", null, null, 0, 0, new Fact.CacheStatus("HIT", "/static/a.css", null)));
        }
        CheckState s = run.state(20);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).startsWith("CacheStatus status = HIT: 9 of the last 10 (90%");

        CheckRun cold = CheckRun.forStep(c, SCENARIO, 0);
        for (int i = 0; i < 10; i++) {
            cold.accept(new LabEvent(i, EventType.CACHE_MISS, "nginx-1", null, null, 0, 0, new Fact.CacheStatus(i < 5 ? "MISS" : "HIT", "/k", null)));
        }
        assertThat(cold.state(S).status()).isEqualTo(CheckState.Status.WAITING);
        assertThat(cold.state(5 * S).status()).isEqualTo(CheckState.Status.FAILED);
    }

    @Test
    void rejected_needsTheAnswerAndTheFiltersRefusal() {
        Lesson.Check c = new Lesson.Check("rejected", null, null, null, "sqlmap/1.7", 403, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, Duration.ofSeconds(10), null);
        CheckRun run = CheckRun.forStep(c, SCENARIO, 0);
        Probe p = run.probe(0);
        assertThat(p.userAgent()).isEqualTo("sqlmap/1.7");
        assertThat(run.probe(S)).isNull();
        run.accept(new LabEvent(S / 10, EventType.REJECTED, "gateway-1", "x", p.traceId(), 403, 0,
                new Fact.FilterRefusal("risk_control", 403, "rule sql-injection-scanner")));
        run.probeAnswered(p.traceId(), 403, null, null);
        CheckState s = run.state(S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).isEqualTo("a request with User-Agent sqlmap/1.7 was answered 403 by gateway-1 (risk_control: rule sql-injection-scanner)");

        CheckRun open = CheckRun.forStep(c, SCENARIO, 0);
        Probe q = open.probe(0);
        open.probeAnswered(q.traceId(), 200, "tomcat-1", null);
        assertThat(open.state(S).status()).isEqualTo(CheckState.Status.WAITING);
        assertThat(open.probe(3 * S)).isNotNull();
        CheckState f = open.state(10 * S);
        assertThat(f.status()).isEqualTo(CheckState.Status.FAILED);
        assertThat(f.figure()).isEqualTo("a request with User-Agent sqlmap/1.7 got 200 from tomcat-1, not 403 from a filter");
    }

    @Test
    void latency_andRate_slideUntilAWindowMeetsTheGoal() {
        Lesson.Check lat = new Lesson.Check("latency", null, null, null, null, null, null, null, null, null, null, null, null, null,
                99.0, 100.0, null, null, null, 2.0, null, Duration.ofSeconds(10), null);
        CheckRun run = CheckRun.forStep(lat, SCENARIO, 0);
        traffic(run, 0, 2, 100, 200, 500);
        assertThat(run.state(2 * S).status()).isEqualTo(CheckState.Status.WAITING);
        traffic(run, 2, 4, 100, 200, 20);
        CheckState s = run.state(4 * S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).isEqualTo("p99 20.0 ms over 200 requests in the last 2 s (goal under 100 ms)");

        CheckRun slow = CheckRun.forStep(lat, SCENARIO, 0);
        traffic(slow, 0, 10, 10, 200, 500);
        assertThat(slow.state(10 * S).status()).isEqualTo(CheckState.Status.FAILED);

        Lesson.Check rate = new Lesson.Check("rate", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, 150.0, null, null, 2.0, null, Duration.ofSeconds(10), null);
        CheckRun r = CheckRun.forStep(rate, SCENARIO, 0);
        traffic(r, 0, 2, 100, 200, 5);
        assertThat(r.state(2 * S).status()).isEqualTo(CheckState.Status.WAITING);
        assertThat(r.state(10 * S).status()).isEqualTo(CheckState.Status.FAILED);
        CheckRun r2 = CheckRun.forStep(rate, SCENARIO, 0);
        traffic(r2, 0, 2, 200, 200, 5);
        assertThat(r2.state(2 * S).passed()).isTrue();
    }

    @Test
    void aChallengesCriteria_areGradedAtTheEndOfTheRun() {
        Lesson.Check rate = new Lesson.Check("rate", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, 90.0, null, null, null, null, null, null);
        CheckRun r = CheckRun.forRun(rate, SCENARIO, 0, 10 * S);
        traffic(r, 0, 10, 100, 200, 5);
        assertThat(r.state(9 * S).status()).isEqualTo(CheckState.Status.WAITING);
        r.runFinished(10 * S);
        CheckState s = r.state(10 * S);
        assertThat(s.passed()).isTrue();
        assertThat(s.figure()).isEqualTo("100 successful req/s (1,000 of 1,000 answered under 400) over the run (goal 90 req/s)");
    }

    @Test
    void nodeCount_countsTheTopology() {
        Lesson.Check c = new Lesson.Check("nodeCount", null, null, null, null, null, null, null, null, "tomcat", null, null, null, null,
                null, null, null, 1.0, null, null, null, null, null);
        CheckState s = CheckRun.forStep(c, SCENARIO, 0).state(0);
        assertThat(s.status()).isEqualTo(CheckState.Status.FAILED);
        assertThat(s.figure()).isEqualTo("2 tomcat nodes (at most 1)");
    }
}
