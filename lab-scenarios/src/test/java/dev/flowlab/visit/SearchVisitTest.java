package dev.flowlab.visit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.Fact;
import dev.flowlab.explain.Explanations;
import dev.flowlab.explain.VisitStory;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.stack.Stack;
import dev.flowlab.trace.TraceHop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One real search through running labs, and the plain words for each of its hops, against outcomes known in advance. */
class SearchVisitTest {

    private static List<String> kinds(Visit.Fetch f) {
        return f.hops().stream().map(TraceHop::kind).toList();
    }

    private static TraceHop hop(Visit.Fetch f, String kind) {
        return f.hops().stream().filter(h -> h.kind().equals(kind)).findFirst().orElseThrow(
                () -> new AssertionError("no " + kind + " hop in " + kinds(f)));
    }

    @Test
    void aSearchThroughTheMaglevFleet_showsTheRoutersEcmpChoice_thenTheBalancersLookup() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("09-beyond-lvs"))) {
            lab.start();
            Visit.Fetch page = Browser.forLab(lab).search("phone").page();
            assertThat(page.status()).isEqualTo(200);
            assertThat(kinds(page)).as("client, then the router, then a balancer").containsSubsequence("client", "router", "lvs", "nginx");
            TraceHop router = hop(page, "router");
            Fact.FlowHashed hashed = router.fact(Fact.FlowHashed.class);
            assertThat(hashed).isNotNull();
            assertThat(hop(page, "lvs").node()).as("the balancer the router's hash picked").isEqualTo(hashed.nextHop());
            assertThat(router.action()).isEqualTo("ECMP: flow hashed to " + hashed.nextHop());
            assertThat(String.join("\n", Explanations.of(router))).contains(hashed.nextHop());
        }
    }

    @Test
    void aSearchThroughTheDefaultStack_hasAHopForEveryTier_theDnsLookup_andTheAssets() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            Visit v = Browser.forLab(lab).search("phone");

            // The DNS lookup: a real query answered by the lab's DNS node, its TTL the zone's.
            assertThat(v.lookup()).isNotNull();
            assertThat(v.lookup().fromCache()).isFalse();
            assertThat(v.lookup().hop().layer()).isEqualTo(TraceHop.Layer.DNS);
            assertThat(v.lookup().hop().fact(Fact.DnsAnswer.class)).isNotNull();
            assertThat(v.lookup().resolved().ttlSeconds()).isEqualTo(10);
            assertThat(Explanations.of(v.lookup().hop()).get(0))
                    .startsWith("DNS: www.taobao.lab -> " + v.lookup().resolved().chosen()).contains("TTL 10 s");

            // The page: every tier on the way, the HTML the shop rendered.
            Visit.Fetch page = v.page();
            assertThat(page.status()).isEqualTo(200);
            assertThat(new String(v.pageBytes(), StandardCharsets.UTF_8)).contains("results for &ldquo;phone&rdquo;");
            assertThat(kinds(page)).as("the DNS lookup leads the page's trace").startsWith("dns", "client")
                    .contains("lvs", "nginx", "gateway", "tomcat");
            assertThat(page.trace().events()).anyMatch(e -> e.fact() instanceof Fact.Resolved);
            assertThat(page.reusedConnection()).isFalse();
            String tomcat = hop(page, "tomcat").node();
            assertThat(page.servedBy()).isEqualTo(tomcat);
            assertThat(hop(page, "lvs").fact(Fact.L4Choice.class).candidates()).hasSize(2);
            assertThat(Explanations.of(hop(page, "lvs"))).singleElement().asString()
                    .startsWith("lvs-1 (DR, wlc): ").contains("had the least connections per weight", "the reply bypasses the director");
            assertThat(Explanations.of(hop(page, "nginx"))).first().asString().contains("location / -> upstream");
            assertThat(String.join("\n", Explanations.of(hop(page, "gateway"))))
                    .contains("gateway-1: route web, trace id accepted " + page.traceId(), "risk control pass", "converted to RPC",
                            "smooth weighted round-robin picked " + tomcat);
            assertThat(Explanations.of(hop(page, "tomcat"))).singleElement().asString()
                    .matches(tomcat + ": a worker took it after [0-9.]+ ms in the queue \\(1 of 200 workers busy with it, 0 waiting\\), "
                            + "20 ms of service \\(modelled: fixed 20 ms, not measured\\)");

            // The assets the page links, over the same kept-alive connection, each its own trace, answered by Nginx.
            assertThat(v.assets()).extracting(Visit.Fetch::path)
                    .containsExactly("/static/css/shop.css", "/static/js/shop.js", "/static/img/logo.svg");
            for (Visit.Fetch a : v.assets()) {
                assertThat(a.status()).as(a.path()).isEqualTo(200);
                assertThat(a.reusedConnection()).as(a.path()).isTrue();
                assertThat(a.connection()).isEqualTo(page.connection());
                assertThat(a.traceId()).isNotEqualTo(page.traceId());
                assertThat(kinds(a)).as(a.path()).contains("client", "lvs", "nginx").doesNotContain("tomcat", "gateway");
                // location /static/ with root: nginx sends the file from disk; its proxy_cache never stores files
                assertThat(hop(a, "nginx").fact(Fact.CacheStatus.class)).as(a.path()).isNull();
                assertThat(a.header("x-cache-status")).as(a.path()).isNull();
                assertThat(String.join("\n", Explanations.of(hop(a, "nginx")))).contains("from disk itself", "no upstream involved")
                        .doesNotContain("cache HIT", "cache MISS");
            }
            VisitStory story = VisitStory.of(v);
            assertThat(story.requests()).hasSize(4);
            assertThat(story.requests().get(1).headline()).isEqualTo(
                    "GET /static/css/shop.css -> 200 text/css, 928 B: served from disk by " + hop(v.assets().get(0), "nginx").node());
            for (VisitStory.Request r : story.requests()) {
                for (VisitStory.Hop h : r.hops()) {
                    assertThat(h.why()).as("why at %s for %s", h.node(), r.path()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aSecondVisitWithinTheTtl_reusesTheCachedAnswer_andEveryAssetIsSentFromDiskAgain() throws Exception {
        AtomicLong offset = new AtomicLong();
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            Browser browser = Browser.forLab(lab, "client", () -> System.nanoTime() + offset.get());
            List<Visit> visits = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                visits.add(browser.search("tea"));
            }
            assertThat(visits.get(0).lookup().fromCache()).isFalse();
            for (Visit v : visits.subList(1, 3)) {
                assertThat(v.lookup().fromCache()).isTrue();
                assertThat(v.lookup().hop().fact(Fact.DnsAnswer.class)).as("no query reached the DNS node").isNull();
                Fact.Resolved r = v.lookup().resolved();
                assertThat(Explanations.of(v.lookup().hop())).singleElement().asString().isEqualTo("DNS: www.taobao.lab -> "
                        + r.chosen() + ", cached for " + r.secondsLeft() + " more seconds (TTL 10): the client's resolver answered, "
                        + "no query sent");
                assertThat(r.secondsLeft()).isBetween(0L, 10L);
            }
            // Two Nginx, three visits: whichever Nginx a visit reaches sends the assets from disk again, every time; no
            // proxy cache is involved (nginx's only stores what it proxies), so there is no X-Cache-Status to see.
            List<Visit.Fetch> assets = visits.stream().flatMap(v -> v.assets().stream()).toList();
            assertThat(assets).hasSize(9);
            for (Visit.Fetch a : assets) {
                TraceHop nginx = hop(a, "nginx");
                assertThat(a.header("x-cache-status")).isNull();
                assertThat(nginx.fact(Fact.CacheStatus.class)).isNull();
                assertThat(Explanations.of(nginx)).singleElement().asString().startsWith(nginx.node() + ": served ")
                        .contains(" from disk itself (200): no upstream involved, no proxy cache");
            }
            // Past the TTL the client asks again.
            offset.addAndGet(TimeUnit.SECONDS.toNanos(11));
            Visit later = browser.search("tea");
            assertThat(later.lookup().fromCache()).isFalse();
            assertThat(later.lookup().hop().fact(Fact.DnsAnswer.class)).isNotNull();
        }
    }

    private static final String WEIGHTED = """
            {"format":1,"name":"weighted","nodes":[
              {"id":"client","kind":"client"},
              {"id":"nginx-1","kind":"nginx","config":{"upstreams":[{"name":"tomcats","servers":[
                {"node":"tomcat-1","weight":3,"maxFails":1,"failTimeout":"10s"},
                {"node":"tomcat-2","weight":1,"maxFails":1,"failTimeout":"10s"}]}],
               "locations":[{"prefix":"/","proxyPass":"tomcats"}]}},
              {"id":"tomcat-1","kind":"tomcat"},{"id":"tomcat-2","kind":"tomcat"}],
             "links":[{"from":"client","to":"nginx-1"},{"from":"nginx-1","to":"tomcat-1"},{"from":"nginx-1","to":"tomcat-2"}]}
            """;

    @Test
    void aForcedChoice_smoothWeightedRoundRobinsFirstPick_isExplainedWithTheCurrentWeights() throws Exception {
        try (Lab lab = Stack.lab(ScenarioIO.read(WEIGHTED, "weighted.json"))) {
            lab.start();
            Visit v = Browser.forLab(lab).search("laptop");
            assertThat(v.lookup()).as("no DNS node: the client connects to its link").isNull();
            Visit.Fetch page = v.page();
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.servedBy()).isEqualTo("tomcat-1");
            // nginx's first pick from fresh state: current weights 3 and 1 after the increment; tomcat-1 wins, gives back 4.
            assertThat(Explanations.of(hop(page, "nginx"))).first().asString().isEqualTo(
                    "nginx-1: location / -> upstream tomcats, smooth weighted round-robin picked tomcat-1 (current weights after "
                            + "adding each effective weight: tomcat-1 3, tomcat-2 1; the highest wins and gives back the total 4)");
        }
    }

    @Test
    void aKilledNode_theRetryAndMaxFails_areOneSentenceEach() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("02-nginx-tomcats"))) {
            lab.start();
            lab.kill("tomcat-1").get(10, TimeUnit.SECONDS);
            Visit v = Browser.forLab(lab).search("phone");
            Visit.Fetch page = v.page();
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.servedBy()).isEqualTo("tomcat-2");
            TraceHop nginx = hop(page, "nginx");
            assertThat(nginx.fact(Fact.Retry.class)).isNotNull();
            List<String> why = Explanations.of(nginx);
            assertThat(why.stream().filter(w -> w.startsWith("tomcat-1 failed (")).collect(Collectors.toList())).singleElement()
                    .asString().contains("nginx-1 retried on tomcat-2 (proxy_next_upstream error");
            assertThat(why).contains("nginx-1: after max_fails=1 it will not try tomcat-1 for fail_timeout=10s (upstream tomcats)");
            int retry = why.indexOf(why.stream().filter(w -> w.startsWith("tomcat-1 failed (")).findFirst().orElseThrow());
            assertThat(why.get(retry + 1)).as("max_fails follows the retry it belongs to").startsWith("nginx-1: after max_fails=1");
        }
    }
}
