package dev.flowlab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.flowlab.topology.TopologyProblem.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyValidatorTest {

    private static NodeSpec node(String id, NodeKind kind) {
        return NodeSpec.of(id, kind);
    }

    private static LinkSpec link(String from, String to) {
        return LinkSpec.of(from, to);
    }

    private static Scenario scenario(List<NodeSpec> nodes, LinkSpec... links) {
        return new Scenario(Scenario.FORMAT, "t", null, nodes, Arrays.asList(links), null, null);
    }

    private static List<TopologyProblem> errors(Scenario s) {
        return TopologyValidator.validate(s).stream().filter(TopologyProblem::isError).toList();
    }

    /** The whole Taobao path: what every check must leave alone. */
    private static Scenario taobao() {
        return scenario(List.of(
                        node("client", NodeKind.CLIENT), node("dns-1", NodeKind.DNS), node("lvs-1", NodeKind.LVS),
                        node("nginx-1", NodeKind.NGINX), node("gw-1", NodeKind.GATEWAY), node("tomcat-1", NodeKind.TOMCAT),
                        node("tomcat-2", NodeKind.TOMCAT),
                        new NodeSpec("search", NodeKind.EXTERNAL, null, null, null, new ExternalConfig("10.0.0.5:9200"))),
                link("client", "dns-1"), link("client", "lvs-1"), link("dns-1", "lvs-1"), link("lvs-1", "nginx-1"),
                link("nginx-1", "gw-1"), link("nginx-1", "tomcat-2"), link("gw-1", "tomcat-1"), link("tomcat-1", "tomcat-2"),
                link("tomcat-2", "search"));
    }

    @Test
    void fullStack_hasNoProblems() {
        assertThat(TopologyValidator.validate(taobao())).isEmpty();
    }

    @Test
    void duplicateNodeId_isAnErrorOnTheSecond() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "tomcat-1"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple("tomcat-1", "$.nodes[2].id", "duplicate node id 'tomcat-1' (first used at $.nodes[1])"));
    }

    @Test
    void emptyAndInvalidIds_areErrors() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("", NodeKind.TOMCAT), node("tomcat 1", NodeKind.TOMCAT),
                node("ok-1_a.b", NodeKind.TOMCAT)), link("client", "tomcat 1"), link("client", "ok-1_a.b"));

        assertThat(errors(s)).extracting(TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("$.nodes[1].id", "node id is empty"),
                tuple("$.nodes[2].id", "node id 'tomcat 1' may only contain letters, digits, '-', '_' and '.'"));
    }

    @Test
    void linksToUnknownNodes_nameTheEnd() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "tomcat-1"), link("client", "tomact-1"), link("ghost", "tomcat-1"));

        assertThat(errors(s)).extracting(TopologyProblem::linkIndex, TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple(1, "$.links[1].to", "link to unknown node 'tomact-1'"),
                tuple(2, "$.links[2].from", "link from unknown node 'ghost'"));
    }

    @Test
    void duplicateLink_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "tomcat-1"), new LinkSpec("client", "tomcat-1", "again"));

        assertThat(errors(s)).extracting(TopologyProblem::linkIndex, TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple(1, "$.links[1]", "duplicate link client -> tomcat-1 (first at $.links[0])"));
    }

    @Test
    void selfLink_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("nginx-1", NodeKind.NGINX), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "nginx-1"), link("nginx-1", "nginx-1"), link("nginx-1", "tomcat-1"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::linkIndex, TopologyProblem::message)
                .containsExactly(tuple("nginx-1", 1, "link from nginx-1 to itself"));
    }

    @Test
    void everyAllowedKindPair_passes_andEveryOtherIsAnErrorNamingBothKinds() {
        List<String> allowed = List.of("client>dns", "client>router", "dns>router", "router>lvs", "client>lvs", "client>nginx", "client>gateway", "client>tomcat", "client>external",
                "dns>lvs", "dns>nginx", "dns>gateway", "dns>tomcat",
                "lvs>nginx", "lvs>gateway", "lvs>tomcat", "lvs>external",
                "nginx>nginx", "nginx>gateway", "nginx>tomcat", "nginx>external",
                "gateway>tomcat", "gateway>external", "gateway>nginx",
                "tomcat>tomcat", "tomcat>external");
        List<String> wrong = new ArrayList<>();
        for (NodeKind from : NodeKind.values()) {
            for (NodeKind to : NodeKind.values()) {
                Scenario s = scenario(List.of(node("a", from),
                                new NodeSpec("b", to, null, null, null, to == NodeKind.EXTERNAL ? new ExternalConfig("127.0.0.1:1") : null)),
                        link("a", "b"));
                List<TopologyProblem> kindErrors = errors(s).stream().filter(p -> p.path().equals("$.links[0]")).toList();
                boolean ok = kindErrors.isEmpty();
                if (ok != allowed.contains(from.id() + ">" + to.id())) {
                    wrong.add(from.id() + ">" + to.id() + " " + kindErrors);
                }
                if (!ok) {
                    assertThat(kindErrors.get(0).message()).contains(" " + from.id() + " ").contains(to.id());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void tomcatToDns_namesBothKindsAndWhatATomcatMayLinkTo() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT), node("dns-1", NodeKind.DNS)),
                link("client", "tomcat-1"), link("tomcat-1", "dns-1"), link("dns-1", "tomcat-1"));

        assertThat(errors(s)).extracting(TopologyProblem::message)
                .containsExactly("a tomcat cannot link to a dns (tomcat-1 -> dns-1); a tomcat links to tomcat, external");
    }

    @Test
    void linkToAClient_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "tomcat-1"), link("tomcat-1", "client"));

        assertThat(errors(s)).extracting(TopologyProblem::message)
                .containsExactly("a tomcat cannot link to a client (tomcat-1 -> client); nothing links to a client, it only opens connections");
    }

    @Test
    void cycle_namesItsNodesInOrder() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("nginx-1", NodeKind.NGINX), node("gw-1", NodeKind.GATEWAY),
                        node("nginx-2", NodeKind.NGINX), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "nginx-1"), link("nginx-1", "gw-1"), link("gw-1", "nginx-2"), link("nginx-2", "nginx-1"),
                link("gw-1", "tomcat-1"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("nginx-1", "$.links[1]", "links form a cycle: nginx-1 -> gw-1 -> nginx-2 -> nginx-1 (a request would go round for ever)"));
    }

    @Test
    void tomcatsCallingEachOtherInACircle_isACycle() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("a", NodeKind.TOMCAT), node("b", NodeKind.TOMCAT)),
                link("client", "a"), link("a", "b"), link("b", "a"));

        assertThat(errors(s)).extracting(TopologyProblem::message)
                .containsExactly("links form a cycle: a -> b -> a (a request would go round for ever)");
    }

    @Test
    void nodeNoClientReaches_isAWarning() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT), node("tomcat-2", NodeKind.TOMCAT)),
                link("client", "tomcat-1"));

        assertThat(TopologyValidator.validate(s)).extracting(TopologyProblem::severity, TopologyProblem::nodeId, TopologyProblem::path,
                TopologyProblem::message).containsExactly(
                tuple(Severity.WARNING, "tomcat-2", "$.nodes[2]", "tomcat-2 is not reachable from any client"));
    }

    @Test
    void reachabilityFollowsDnsRecords() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("dns-1", NodeKind.DNS), node("tomcat-1", NodeKind.TOMCAT)),
                link("client", "dns-1"), link("dns-1", "tomcat-1"));

        assertThat(TopologyValidator.validate(s)).isEmpty();
    }

    @Test
    void emptyScenario_hasNoProblems() {
        assertThat(TopologyValidator.validate(scenario(List.of()))).isEmpty();
    }

    @Test
    void noClient_isOneWarning() {
        Scenario s = scenario(List.of(node("tomcat-1", NodeKind.TOMCAT), node("tomcat-2", NodeKind.TOMCAT)));

        assertThat(TopologyValidator.validate(s)).extracting(TopologyProblem::severity, TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple(Severity.WARNING, "$.nodes", "no client node: the lab can serve, but `lab run` sends nothing"));
    }

    @Test
    void proxyWithoutUpstream_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("lvs-1", NodeKind.LVS), node("nginx-1", NodeKind.NGINX),
                        node("gw-1", NodeKind.GATEWAY)),
                link("client", "lvs-1"), link("client", "nginx-1"), link("client", "gw-1"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::path).containsExactly(
                tuple("lvs-1", "$.nodes[1]"), tuple("nginx-1", "$.nodes[2]"), tuple("gw-1", "$.nodes[3]"));
        assertThat(errors(s).get(1).message()).startsWith("nginx-1 has no upstream");
    }

    @Test
    void dnsWithoutRecords_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("dns-1", NodeKind.DNS)), link("client", "dns-1"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::message)
                .containsExactly(tuple("dns-1", "dns-1 has no A records (link it to the nodes its name should resolve to, "
                        + "or set config.addresses)"));
        Scenario configured = scenario(List.of(node("client", NodeKind.CLIENT), node("dns-1", NodeKind.DNS)
                .withConfig(DnsConfig.EMPTY.withAddresses(List.of("10.0.0.1")))), link("client", "dns-1"));
        assertThat(errors(configured)).as("A records from config.addresses").isEmpty();
    }

    @Test
    void sameFixedAddressTwice_isAnError_butPortZeroNeverClashes() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT),
                        node("tomcat-1", NodeKind.TOMCAT).withAddress("127.0.0.1:8080"),
                        node("tomcat-2", NodeKind.TOMCAT).withAddress("localhost:8080"),
                        node("tomcat-3", NodeKind.TOMCAT).withAddress("127.0.0.1:0"),
                        node("tomcat-4", NodeKind.TOMCAT).withAddress("127.0.0.1:0"),
                        node("tomcat-5", NodeKind.TOMCAT).withAddress("127.0.0.2:8080")),
                link("client", "tomcat-1"), link("client", "tomcat-2"), link("client", "tomcat-3"), link("client", "tomcat-4"),
                link("client", "tomcat-5"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("tomcat-2", "$.nodes[2].address", "address localhost:8080 of tomcat-2 is also fixed by tomcat-1"));
    }

    @Test
    void nonLoopbackOrMalformedAddress_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT),
                        node("t1", NodeKind.TOMCAT).withAddress("0.0.0.0:8080"),
                        node("t2", NodeKind.TOMCAT).withAddress("192.168.1.5:8080"),
                        node("t3", NodeKind.TOMCAT).withAddress("shop.example.com:80"),
                        node("t4", NodeKind.TOMCAT).withAddress("127.0.0.1"),
                        node("t5", NodeKind.TOMCAT).withAddress("127.0.0.1:70000"),
                        node("t6", NodeKind.TOMCAT).withAddress("[::1]:8081")),
                link("client", "t1"), link("client", "t2"), link("client", "t3"), link("client", "t4"), link("client", "t5"),
                link("client", "t6"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId).containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(errors(s)).allSatisfy(p -> assertThat(p.path()).endsWith(".address"));
        assertThat(errors(s).get(0).message()).contains("not a loopback address");
    }

    @Test
    void externalWithoutAddress_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("search", NodeKind.EXTERNAL),
                        new NodeSpec("pay", NodeKind.EXTERNAL, null, null, null, new ExternalConfig("pay-service"))),
                link("client", "search"), link("client", "pay"));

        assertThat(errors(s)).extracting(TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("search", "$.nodes[1].config.address", "external node search needs config.address (host:port of the real server)"),
                tuple("pay", "$.nodes[2].config.address", "external node pay: 'pay-service' is not host:port"));
    }

    @Test
    void scriptStepOnUnknownNode_isAnError() {
        Scenario s = scenario(List.of(node("client", NodeKind.CLIENT), node("tomcat-1", NodeKind.TOMCAT)), link("client", "tomcat-1"))
                .withScript(List.of(new ScriptStep(java.time.Duration.ofSeconds(5), "kill", "tomcat-9", null)));

        assertThat(errors(s)).extracting(TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple("$.script[0].node", "script step names unknown node 'tomcat-9'"));
    }
    private static Scenario withConfig(String id, NodeConfig config) {
        Scenario s = taobao();
        return s.withNodes(s.nodes().stream().map(n -> n.id().equals(id) ? n.withConfig(config) : n).toList());
    }

    @Test
    void nginxUpstreamsAndLocations_thatNameNothing_areErrorsOnTheNginx() {
        NginxConfig nginx = NginxConfig.EMPTY.withUpstreams(List.of(
                        new NginxConfig.Upstream("pool", "hash", null, null, null, null, null, List.of(
                                NginxConfig.Server.node("tomcat-2"), NginxConfig.Server.node("tomcat-9"),
                                new NginxConfig.Server(null, null, null, null, null, null, null, null),
                                NginxConfig.Server.address("no-port"))),
                        new NginxConfig.Upstream("pool", null, null, null, null, null, null, null)))
                .withLocations(List.of(NginxConfig.Location.proxy("/", "pool"), NginxConfig.Location.proxy("api", "nowhere"),
                        NginxConfig.Location.proxy("/search", "search")));

        assertThat(errors(withConfig("nginx-1", nginx))).extracting(TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message)
                .containsExactly(
                        tuple("nginx-1", "$.nodes[3].config.upstreams[0].hashKey", "upstream pool of nginx-1 balances by hash but sets no hashKey"),
                        tuple("nginx-1", "$.nodes[3].config.upstreams[0].servers[1].node", "upstream pool of nginx-1: server #2 names unknown node 'tomcat-9'"),
                        tuple("nginx-1", "$.nodes[3].config.upstreams[0].servers[2]",
                                "upstream pool of nginx-1: server #3 names neither a node nor an address; give one"),
                        tuple("nginx-1", "$.nodes[3].config.upstreams[0].servers[3].address", "upstream pool of nginx-1: server #4: 'no-port' is not host:port"),
                        tuple("nginx-1", "$.nodes[3].config.upstreams[1].name", "upstream pool of nginx-1 is defined twice"),
                        tuple("nginx-1", "$.nodes[3].config.upstreams[1].servers",
                                "upstream pool of nginx-1 has no servers (nginx -t: no servers are inside upstream)"),
                        tuple("nginx-1", "$.nodes[3].config.locations[1].proxyPass",
                                "location api of nginx-1 proxies to 'nowhere', which is neither an upstream of nginx-1 nor a node nor a host:port"));
    }

    @Test
    void nginxCacheOnARootLocation_isAWarningNamingNodeAndLocation_notAnError() {
        NginxConfig nginx = NginxConfig.EMPTY.withLocations(List.of(
                NginxConfig.Location.files("/static/", "", NginxConfig.Cache.DEFAULT),
                new NginxConfig.Location("/img/", "tomcat-2", null, NginxConfig.Cache.DEFAULT),
                NginxConfig.Location.proxy("/", "gw-1")));

        assertThat(TopologyValidator.validate(withConfig("nginx-1", nginx)))
                .extracting(TopologyProblem::severity, TopologyProblem::nodeId, TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple(Severity.WARNING, "nginx-1", "$.nodes[3].config.locations[0].cache",
                        "location /static/ of nginx-1: proxy_cache has no effect without proxy_pass: files from disk are not cached "
                                + "by nginx; the OS page cache keeps them in memory"));
    }

    @Test
    void nginxWeights_aboveNginxsOld1000Accepted_theLabsBoundsRefused() {
        NginxConfig ok = NginxConfig.EMPTY.withUpstreams(List.of(new NginxConfig.Upstream("app", null, null, null, null, null, null,
                List.of(NginxConfig.Server.address("127.0.0.1:8081").withWeight(5000), NginxConfig.Server.address("127.0.0.1:8082")))));
        assertThat(errors(withConfig("nginx-1", ok))).isEmpty();
        NginxConfig ring = NginxConfig.EMPTY.withUpstreams(List.of(new NginxConfig.Upstream("app", "hash", "$request_uri", true, null, null, null,
                List.of(NginxConfig.Server.address("127.0.0.1:8081").withWeight(10_000), NginxConfig.Server.address("127.0.0.1:8082")))));
        assertThat(errors(withConfig("nginx-1", ring))).extracting(TopologyProblem::path, TopologyProblem::message)
                .containsExactly(tuple("$.nodes[3].config.upstreams[0].servers", "upstream app of nginx-1: hash ... consistent with a total "
                        + "weight of 10001 would build 1600160 ring points (160 per weight unit, as nginx does); the lab takes a total of at most 10000"));
        // (a weight above 1,000,000 is the scenario reader's: @Param max, as every bound)
    }

    @Test
    void nginxErrorPagesAndIgnoredHeaders_asNginxTChecksThem() {
        NginxConfig nginx = NginxConfig.EMPTY.withErrorPages(List.of("502 503 /50x.html", "299 /x", "499 /x", "404", "404 =200 /empty",
                        "404 @", "404 @named", "404 http://elsewhere/x"))
                .withProxyIgnoreHeaders(List.of("Set-Cookie", "x-accel-redirect", "Location"));

        assertThat(errors(withConfig("nginx-1", nginx))).extracting(TopologyProblem::path, TopologyProblem::message)
                .containsExactly(
                        tuple("$.nodes[3].config.errorPages[1]", "nginx-1: errorPages \"299 /x\": value \"299\" must be between 300 and 599"),
                        tuple("$.nodes[3].config.errorPages[2]", "nginx-1: errorPages \"499 /x\": invalid value \"499\""),
                        tuple("$.nodes[3].config.errorPages[3]", "nginx-1: errorPages \"404\": invalid number of arguments in \"error_page\""),
                        tuple("$.nodes[3].config.errorPages[5]", "nginx-1: errorPages \"404 @\": a named location needs a name (@name)"),
                        tuple("$.nodes[3].config.proxyIgnoreHeaders[2]", "nginx-1: proxyIgnoreHeaders: invalid value \"Location\" (nginx "
                                + "takes X-Accel-Redirect, X-Accel-Expires, X-Accel-Limit-Rate, X-Accel-Buffering, X-Accel-Charset, Expires, "
                                + "Cache-Control, Set-Cookie, Vary)"));
    }

    @Test
    void withoutUpstreams_aLocationMayProxyToTheDefaultPoolNamedAfterTheNode() {
        NginxConfig nginx = NginxConfig.EMPTY.withLocations(List.of(NginxConfig.Location.proxy("/", "nginx-1")));

        assertThat(errors(withConfig("nginx-1", nginx))).isEmpty();
    }

    @Test
    void lvsRealServers_outsideTheLabOrWithAPort_needNat() {
        LvsConfig dr = LvsConfig.EMPTY.withRealServers(List.of(RealServerSpec.node("nginx-1", 1), RealServerSpec.node("search", 1),
                new RealServerSpec(null, "127.0.0.1:8080", 8080, null, null, null), RealServerSpec.node("ghost", 1)));

        assertThat(errors(withConfig("lvs-1", dr))).extracting(TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("$.nodes[2].config.realServers[1]",
                        "lvs-1: real server #2 is outside the lab: direct routing (mode dr) hands connections to lab servers only; use mode nat"),
                tuple("$.nodes[2].config.realServers[2]",
                        "lvs-1: real server #3 is outside the lab: direct routing (mode dr) hands connections to lab servers only; use mode nat"),
                tuple("$.nodes[2].config.realServers[2].port",
                        "lvs-1: real server #3: direct routing keeps the VIP's port; a real-server port needs mode nat"),
                tuple("$.nodes[2].config.realServers[3].node", "lvs-1: real server #4 names unknown node 'ghost'"));
        assertThat(errors(withConfig("lvs-1", dr.withMode("nat")))).extracting(TopologyProblem::path)
                .containsExactly("$.nodes[2].config.realServers[3].node");
    }

    @Test
    void gatewayRoutes_needAPathFromTheRoot_andServersThatAreNodes() {
        GatewayConfig gateway = new GatewayConfig(List.of(GatewayConfig.Route.of("api", "/api/", List.of("tomcat-1", "tomcat-7"), null),
                GatewayConfig.Route.of("web", "web", null, null), GatewayConfig.Route.of(null, "/none", List.of(), null)), null, null, null, null, null, null, null);

        assertThat(errors(withConfig("gw-1", gateway))).extracting(TopologyProblem::path, TopologyProblem::message).containsExactly(
                tuple("$.nodes[4].config.routes[0].servers[1]", "route api of gw-1 names unknown server node 'tomcat-7'"),
                tuple("$.nodes[4].config.routes[1].path", "route web of gw-1: the path must start with /"),
                tuple("$.nodes[4].config.routes[2].servers", "route /none of gw-1 has no servers (leave servers unset for every linked node)"));
    }

    @Test
    void canLink_answersAsTheLinkCheck() {
        assertThat(TopologyValidator.canLink(NodeKind.NGINX, NodeKind.TOMCAT)).isTrue();
        assertThat(TopologyValidator.canLink(NodeKind.NGINX, NodeKind.CLIENT)).isFalse();
        assertThat(TopologyValidator.canLink(NodeKind.LVS, NodeKind.EXTERNAL)).isTrue();
    }
}
