package dev.flowlab.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.Fact;
import dev.flowlab.trace.TraceHop;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words for each kind of decision, from facts whose figures are known. */
class ExplanationsTest {

    private static TraceHop hop(String node, String kind, TraceHop.Layer layer, Fact... facts) {
        return new TraceHop(node, kind, layer, "?", null, 0, 0, 200, null, List.of(), List.of(), List.of(), List.of(facts));
    }

    @Test
    void lvs_wlc_saysWhoHadTheLeastConnectionsPerWeight_andWhatDrChanges() {
        Fact.L4Choice c = new Fact.L4Choice("wlc", "nginx-2", "dr", "127.0.100.1:5000", 1, 3, List.of(
                new Fact.L4Candidate("nginx-1", 1, 5, 0, true), new Fact.L4Candidate("nginx-2", 1, 3, 0, true)));
        assertThat(Explanations.of("lvs-1", c)).isEqualTo("lvs-1 (DR, wlc): nginx-2 had the least connections per weight "
                + "(3/1 vs nginx-1 5/1); only the first packet's destination changed (the MAC, not the IP); the reply bypasses "
                + "the director");
        Fact.L4Choice nat = new Fact.L4Choice("rr", "nginx-1", "nat", null, 1, 0, List.of());
        assertThat(Explanations.of("lvs-1", nat)).isEqualTo("lvs-1 (NAT, rr): nginx-1 was next in turn (round robin); the director "
                + "rewrote the destination to nginx-1's address (NAT), and the reply comes back through it");
    }

    @Test
    void lvs_aServerOutOfThePool_isSaidSo() {
        Fact.L4Choice c = new Fact.L4Choice("wlc", "nginx-1", "dr", null, 1, 0, List.of(
                new Fact.L4Candidate("nginx-1", 1, 0, 0, true), new Fact.L4Candidate("nginx-2", 1, 0, 0, false)));
        assertThat(Explanations.of("lvs-1", c)).contains("(0/1 vs nginx-2 out of the pool)");
    }

    @Test
    void nginx_failover_isOneSentence_andMaxFailsAnother() {
        TraceHop h = hop("nginx-1", "nginx", TraceHop.Layer.L7,
                new Fact.UpstreamChosen("tomcats", "tomcat-2", "round_robin", "rr", null, "/", List.of(
                        new Fact.PeerState("tomcat-2", 1, 1, 1, 0, true), new Fact.PeerState("tomcat-3", 1, 1, 1, 0, true))),
                new Fact.Retry("error", "tomcat-2", "connect() failed (111: Connection refused)", 2, "/search?q=phone"),
                new Fact.ServerDown("upstream tomcats", "tomcat-2", 1, 10_000_000_000L, "?"),
                new Fact.UpstreamChosen("tomcats", "tomcat-3", "round_robin", "rr", null, "/", List.of()));
        List<String> why = Explanations.of(h);
        assertThat(why).contains(
                "tomcat-2 failed (connect() failed (111: Connection refused)); nginx-1 retried on tomcat-3 "
                        + "(proxy_next_upstream error, 2 tries left)",
                "nginx-1: after max_fails=1 it will not try tomcat-2 for fail_timeout=10s (upstream tomcats)");
        assertThat(why.get(0)).isEqualTo("nginx-1: location / -> upstream tomcats, smooth weighted round-robin picked tomcat-2 "
                + "(current weights after adding each effective weight: tomcat-2 1, tomcat-3 1; the highest wins and gives back "
                + "the total 2)");
    }

    @Test
    void gateway_failover_theRetryFirst_thenMaxFails() {
        TraceHop h = hop("gateway-1", "gateway", TraceHop.Layer.L7,
                new Fact.UpstreamChosen("web", "tomcat-1", "round_robin", "rr", "load_balancer", null, List.of()),
                new Fact.ServerDown("route web", "tomcat-1", 1, 10_000_000_000L, "?"),
                new Fact.GatewayRetry("tomcat-1", "connection refused (tomcat-1)", 1, 1),
                new Fact.UpstreamChosen("web", "tomcat-2", "round_robin", "rr", "load_balancer", null, List.of()));
        assertThat(Explanations.of(h)).containsExactly(
                "gateway-1: route web's load balancer: smooth weighted round-robin picked tomcat-1",
                "gateway-1: tomcat-1 failed (connection refused (tomcat-1)); the route's retry filter sends it again (retry 1 of 1)",
                "gateway-1: after max_fails=1 it will not try tomcat-1 for fail_timeout=10s (route web)",
                "gateway-1: route web's load balancer: smooth weighted round-robin picked tomcat-2");
    }

    @Test
    void dns_fromTheClientsCache_andFromTheServer() {
        Fact.Resolved cached = new Fact.Resolved("www.taobao.lab", List.of("127.0.10.1"), "127.0.10.1", 10, 8, true, "127.0.5.1:53");
        assertThat(Explanations.of("dns", cached)).isEqualTo(
                "DNS: www.taobao.lab -> 127.0.10.1, cached for 8 more seconds (TTL 10): the client's resolver answered, no query sent");
        Fact.Resolved asked = new Fact.Resolved("www.taobao.lab.", List.of("127.0.10.1", "127.0.10.2"), "127.0.10.1", 10, 10, false,
                "127.0.5.1:53");
        assertThat(Explanations.of("dns", asked)).isEqualTo("DNS: www.taobao.lab -> 127.0.10.1 (first of 127.0.10.1, 127.0.10.2), "
                + "asked dns at 127.0.5.1:53; the client keeps it for its TTL 10 s");
    }

    @Test
    void tomcat_theWorker_andTheModelledServiceTime() {
        Fact.WorkerServed w = new Fact.WorkerServed(4, 200, 0, 0, 20_000_000, "fixed 20 ms", 0);
        assertThat(Explanations.of("tomcat-3", w)).isEqualTo("tomcat-3: a worker took it after 0 ms in the queue (4 of 200 workers "
                + "busy with it, 0 waiting), 20 ms of service (modelled: fixed 20 ms, not measured)");
    }

    @Test
    void gateway_filtersReadAsOneSentence() {
        TraceHop h = hop("gateway-1", "gateway", TraceHop.Layer.L7,
                new Fact.RequestSeen("GET", "/api/cart", "127.0.20.1", "cart", false),
                new Fact.FilterDecision("trace_id", "accepted t-1"),
                new Fact.FilterDecision("risk_control", "pass (1 deny blocks, 2 rules)"),
                new Fact.FilterDecision("auth", "pass: principal alice by bearer token, passed on as X-Consumer-Username"),
                new Fact.FilterDecision("rate_limit", "allowed principal alice, 18 of 20 tokens left"),
                new Fact.FilterDecision("protocol_conversion", "HTTP ... -> RPC ..."),
                new Fact.FilterDecision("access_log", "127.0.0.1 - - ..."));
        assertThat(Explanations.of(h)).containsExactly("gateway-1: route cart, trace id accepted t-1, risk control pass (1 deny "
                + "blocks, 2 rules), authentication pass: principal alice by bearer token, passed on as X-Consumer-Username, "
                + "rate limit allowed principal alice, 18 of 20 tokens left, converted to RPC");
    }

    @Test
    void cache_hitSaysTheEntrysAge_andAFileFromDiskSaysDisk_noCache() {
        TraceHop hit = hop("nginx-1", "nginx", TraceHop.Layer.L7,
                new Fact.CacheStatus("HIT", "httpnginx-1/static/css/shop.css", null, 3_200, 596_800),
                new Fact.Answered("GET", "/static/css/shop.css", 200, null, "cache HIT httpnginx-1/static/css/shop.css"));
        assertThat(Explanations.of(hit)).containsExactly("nginx-1: cache HIT for httpnginx-1/static/css/shop.css: stored 3.2 s ago, "
                + "fresh for 9 min 56 s more; answered from memory");
        TraceHop disk = hop("nginx-1", "nginx", TraceHop.Layer.L7,
                new Fact.Answered("GET", "/static/css/shop.css", 200, null, "file shop.css"));
        assertThat(Explanations.of(disk)).containsExactly("nginx-1: served shop.css from disk itself (200): no upstream involved, "
                + "no proxy cache (the OS page cache keeps a hot file in memory)");
        TraceHop notModified = hop("nginx-1", "nginx", TraceHop.Layer.L7,
                new Fact.Answered("GET", "/static/css/shop.css", 304, null, "not modified: /static/css/shop.css"));
        assertThat(Explanations.of(notModified)).containsExactly("nginx-1: answered 304 itself (not modified: /static/css/shop.css): "
                + "no upstream involved");
    }

    @Test
    void aKeptAliveConnection_isNoNewChoice() {
        TraceHop l4 = hop("lvs-1", "lvs", TraceHop.Layer.L4, new Fact.L4Choice("wlc", "nginx-1", "dr", "c:1", 1, 1));
        assertThat(Explanations.of(l4, null, true)).singleElement().asString().startsWith(
                "lvs-1: no new choice: the request came on a kept-alive connection the director scheduled to nginx-1");
    }

    @Test
    void headersAndFramesHaveNoWordsOfTheirOwn() {
        assertThat(Explanations.of("nginx-1", new Fact.HeadersSeen("request received", null, "GET / HTTP/1.1", List.of()))).isNull();
    }
}
