package dev.flowlab.tier.gateway;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.topology.GatewayConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The filter chain over real sockets: what curl would see, and the events a trace is built from. */
class GatewayFiltersTest {
    private static final List<GatewayConfig.Credential> CREDENTIALS = List.of(
            new GatewayConfig.Credential("alice", "alice-token", null),
            new GatewayConfig.Credential("bob", null, "bob-key"));
    private static final GatewayConfig.Auth AUTH = new GatewayConfig.Auth(null, null, null, null, null);

    private static GatewayConfig config(GatewayConfig.Filters filters) {
        return new GatewayConfig(List.of(GatewayConfig.Route.of("api", "/api/", null, filters),
                GatewayConfig.Route.of("web", "/", null, null)), null, CREDENTIALS, null, null, null, null, null);
    }

    private static LabEvent find(EventBus.Subscription sub, Predicate<LabEvent> test) {
        List<LabEvent> seen = new ArrayList<>();
        return await("an event").atMost(Duration.ofSeconds(5)).until(() -> {
            for (LabEvent e; (e = sub.poll()) != null; ) {
                seen.add(e);
            }
            return seen.stream().filter(test).findFirst().orElse(null);
        }, e -> e != null);
    }

    @Test
    void auth_withoutCredentials401WithChallenge_withThem200AndThePrincipalReachesTomcat() throws Exception {
        try (GatewayLab g = new GatewayLab(config(GatewayConfig.Filters.NONE.withAuth(AUTH)), 1)) {
            HttpResponse<String> none = g.get("/api/me");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gateway\"");
            assertThat(none.body()).contains("\"filter\":\"auth\"");

            HttpResponse<String> alice = g.get("/api/me", "Authorization", "Bearer alice-token");
            assertThat(alice.statusCode()).isEqualTo(200);
            assertThat(alice.body()).isEqualTo("{\"principal\":\"alice\",\"servedBy\":\"tomcat-1\"}");

            HttpResponse<String> bob = g.get("/api/me", "apikey", "bob-key");
            assertThat(bob.body()).contains("\"principal\":\"bob\"");

            HttpResponse<String> wrong = g.get("/api/me", "Authorization", "Bearer guessed");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"gateway\", error=\"invalid_token\"");

            HttpResponse<String> spoofed = g.get("/api/me", "Authorization", "Bearer alice-token", "X-Consumer-Username", "root");
            assertThat(spoofed.body()).as("a client cannot name its own principal").contains("\"principal\":\"alice\"");

            assertThat(g.get("/").statusCode()).as("the web route has no auth filter").isEqualTo(200);
        }
    }

    @Test
    void riskControl_denyListedSourceAndMatchingRule_403WithTheRuleNamedInAnEvent() throws Exception {
        GatewayConfig.RiskControl risk = new GatewayConfig.RiskControl(List.of("127.66.0.0/16"), List.of(
                new GatewayConfig.Rule("sql-injection-scanner", null, null, null, null, "sqlmap"),
                new GatewayConfig.Rule("no-delete", "/api/item/", "DELETE", null, null, null)));
        try (GatewayLab g = new GatewayLab(config(GatewayConfig.Filters.NONE.withRiskControl(risk)), 1);
             EventBus.Subscription sub = g.lab.events().subscribe(10_000, e -> e.type() == EventType.REJECTED)) {
            HttpResponse<String> denied = g.get("/api/item/1", "X-Real-IP", "127.66.3.4");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(find(sub, e -> e.status() == 403).detail())
                    .isEqualTo("risk_control: 403 source 127.66.3.4 is in the deny list (127.66.0.0/16)");

            assertThat(g.get("/api/item/1", "User-Agent", "sqlmap/1.7.2").statusCode()).isEqualTo(403);
            assertThat(find(sub, e -> e.detail().contains("rule")).detail()).isEqualTo("risk_control: 403 rule 'sql-injection-scanner' matched");

            HttpResponse<String> del = g.http.send(HttpRequest.newBuilder(g.uri("/api/item/1")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(del.statusCode()).isEqualTo(403);
            assertThat(del.body()).contains("rule 'no-delete' matched");

            assertThat(g.get("/api/item/1", "X-Real-IP", "127.65.0.1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rateLimit_hundredAtOnceFromOneKey_burstCapacityPass_theRest429WithHeaders_andTheBucketRefillsOnTheClock() throws Exception {
        GatewayConfig.Filters f = GatewayConfig.Filters.NONE.withAuth(AUTH)
                .withRateLimit(new GatewayConfig.RateLimit(10, 20, null, null, null));
        LabClock.Manual clock = LabClock.manual();
        try (GatewayLab g = new GatewayLab(config(f), 2, clock)) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(g.http.sendAsync(HttpRequest.newBuilder(g.uri("/api/item/" + (i + 1)))
                        .header("Authorization", "Bearer alice-token").build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = all.stream().map(CompletableFuture::join).toList();
            long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
            List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
            // the clock stands still: exactly the full bucket's 20 pass
            assertThat(ok).isEqualTo(20);
            assertThat(ok + limited.size()).isEqualTo(100);
            HttpResponse<String> r = limited.get(0);
            assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
            assertThat(r.headers().firstValue("X-RateLimit-Replenish-Rate")).hasValue("10");
            assertThat(r.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue("20");

            HttpResponse<String> other = g.get("/api/item/1", "apikey", "bob-key");
            assertThat(other.statusCode()).as("bob has his own bucket").isEqualTo(200);
            assertThat(other.headers().firstValue("X-RateLimit-Remaining")).hasValue("19");

            clock.advance(Duration.ofMillis(500));
            HttpResponse<String> refilled = g.get("/api/item/1", "Authorization", "Bearer alice-token");
            assertThat(refilled.statusCode()).isEqualTo(200);
            assertThat(refilled.headers().firstValue("X-RateLimit-Remaining")).as("5 tokens in 0.5 s, one taken").hasValue("4");
        }
    }

    @Test
    void trace_showsEachFilterAsAStep_andTheRequestInBothForms() throws Exception {
        GatewayConfig.Filters f = GatewayConfig.Filters.NONE.withAuth(AUTH)
                .withRiskControl(new GatewayConfig.RiskControl(null, null))
                .withRateLimit(new GatewayConfig.RateLimit(100, 100, null, null, null))
                .withShaping(new GatewayConfig.Shaping(null, null, null))
                .withCircuitBreaker(new GatewayConfig.CircuitBreaker(null, null, null, null, null, null, null))
                .withRetry(new GatewayConfig.Retry(null, null, null));
        try (GatewayLab g = new GatewayLab(config(f), 1);
             EventBus.Subscription sub = g.lab.events().subscribe(10_000, e -> "t-43".equals(e.traceId()))) {
            List<LabEvent> steps = new ArrayList<>();
            assertThat(g.get("/api/search?q=tea", "Authorization", "Bearer alice-token", "X-Lab-Trace", "t-43").statusCode())
                    .isEqualTo(200);
            await("the access log line").atMost(Duration.ofSeconds(5)).until(() -> {
                for (LabEvent e; (e = sub.poll()) != null; ) {
                    steps.add(e);
                }
                return steps.stream().anyMatch(e -> e.detail() != null && e.detail().startsWith("access_log"));
            });
            List<String> gatewaySteps = steps.stream().filter(e -> e.node().equals("gateway-1") && e.type() == EventType.FILTER)
                    .map(e -> ((Fact.FilterDecision) e.fact()).filter()).toList();
            assertThat(gatewaySteps).containsExactly("trace_id", "risk_control", "auth", "rate_limit", "shaping",
                    "circuit_breaker", "protocol_conversion", "access_log");
            String conversion = steps.stream().filter(e -> e.detail().startsWith("protocol_conversion: HTTP"))
                    .findFirst().orElseThrow().detail();
            assertThat(conversion).contains("HTTP GET /api/search?q=tea HTTP/1.1 [").contains("Authorization: Bearer alice-token")
                    .contains("-> RPC v1 REQUEST #").contains("trace=t-43 GET /api/search params{q=tea}")
                    .contains("x-consumer-username=alice");
            assertThat(steps).anySatisfy(e -> {
                assertThat(e.node()).isEqualTo("tomcat-1");
                assertThat(e.type()).isEqualTo(EventType.REQUEST_RECEIVED);
                assertThat(e.detail()).startsWith("RPC v1 REQUEST #").contains("GET /api/search params{q=tea}");
            });
            assertThat(steps).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.UPSTREAM_CHOSEN);
                assertThat(e.detail()).startsWith("load_balancer: route api chose tomcat-1");
                assertThat(e.fact()).isInstanceOfSatisfying(Fact.UpstreamChosen.class, c -> {
                    assertThat(c.pool()).isEqualTo("api");
                    assertThat(c.server()).isEqualTo("tomcat-1");
                    assertThat(c.step()).isEqualTo("load_balancer");
                });
            });
        }
    }

    @Test
    void shaping_concurrencyLimitWithABoundedQueue_overflowIs503() throws Exception {
        GatewayConfig.Filters f = GatewayConfig.Filters.NONE.withShaping(new GatewayConfig.Shaping(2, 3, Duration.ofSeconds(5)));
        // Tomcat holds each request 300 ms, so the two slots stay busy while the burst arrives
        try (GatewayLab g = new GatewayLab(config(f), 1, Duration.ofMillis(300))) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(g.http.sendAsync(HttpRequest.newBuilder(g.uri("/api/item/1")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = all.stream().map(CompletableFuture::join).toList();
            assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).as("2 in flight + 3 queued").isEqualTo(5);
            assertThat(responses.stream().filter(r -> r.statusCode() == 503).toList())
                    .hasSize(5).allSatisfy(r -> assertThat(r.body()).contains("\"filter\":\"shaping\"").contains("queue is full"));
            assertThat(g.get("/api/item/2").statusCode()).as("slots are given back").isEqualTo(200);
        }
    }

    @Test
    void shaping_aRequestWaitingLongerThanQueueTimeout_gets503() throws Exception {
        GatewayConfig.Filters f = GatewayConfig.Filters.NONE.withShaping(new GatewayConfig.Shaping(1, 10, Duration.ofMillis(100)));
        try (GatewayLab g = new GatewayLab(config(f), 1, Duration.ofMillis(1000))) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                all.add(g.http.sendAsync(HttpRequest.newBuilder(g.uri("/api/item/1")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = all.stream().map(CompletableFuture::join).toList();
            assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 503).toList())
                    .hasSize(2).allSatisfy(r -> assertThat(r.body()).contains("waited queueTimeout"));
        }
    }
}
