package dev.flowlab.tier.lvs;

import static org.awaitility.Awaitility.await;

import dev.flowlab.testing.TestLabs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.tier.lvs.sched.MaglevTable;
import dev.flowlab.tier.router.EcmpRouter;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.RouterConfig;
import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A router spreading flows by ECMP over three balancers on real sockets: client -> router ->
 * lvs-1..3 -> nginx-1..4 (the stub). Maglev balancers keep a moved connection alive; classic
 * wlc directors reset it.
 */
class MaglevFleetTest {
    private TestLabs stub;

    @BeforeEach
    void stubNginx() {
        stub = LvsScenarios.stubNginx();
    }


    static Scenario fleet(LvsConfig balancer, RouterConfig router, int balancers, int backends) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(NodeSpec.of("client", NodeKind.CLIENT));
        nodes.add(NodeSpec.of("router", NodeKind.ROUTER).withConfig(router));
        links.add(LinkSpec.of("client", "router"));
        for (int b = 1; b <= balancers; b++) {
            nodes.add(NodeSpec.of("lvs-" + b, NodeKind.LVS).withConfig(balancer));
            links.add(LinkSpec.of("router", "lvs-" + b));
            for (int i = 1; i <= backends; i++) {
                links.add(LinkSpec.of("lvs-" + b, "nginx-" + i));
            }
        }
        for (int i = 1; i <= backends; i++) {
            nodes.add(NodeSpec.of("nginx-" + i, NodeKind.NGINX));
        }
        return new Scenario(Scenario.FORMAT, "fleet test", null, nodes, links, null, null);
    }

    static LvsConfig maglev() {
        return LvsScenarios.config("dr", "mh").withMaglev(MaglevTable.IPVS_DEFAULT_SIZE);
    }

    static RouterConfig fastBfd() {
        return RouterConfig.EMPTY.withBfd(Duration.ofMillis(50), 3);
    }

    private static LvsDirector lvs(Lab lab, String id) {
        return (LvsDirector) lab.node(id).orElseThrow();
    }

    @Test
    void ecmp_spreadsFlowsOverTheBalancers_holdsNoSocket_andReHashesWhenOneGoesAway() throws Exception {
        try (Lab lab = stub.lab(fleet(maglev(), fastBfd(), 3, 4))) {
            lab.start();
            EcmpRouter router = (EcmpRouter) lab.node("router").orElseThrow();
            // The lab starts every node at once: a balancer joining later would re-hash flows already open.
            await("BFD up to every balancer").atMost(Duration.ofSeconds(5)).until(() -> router.liveNextHops().size() == 3);
            InetSocketAddress vip = lab.address("router");
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = Http.connect(vip);
                    open.add(s);
                    assertThat(Http.get(s).get(":status")).isEqualTo("200");
                }
                int total = 0;
                for (int b = 1; b <= 3; b++) {
                    int entries = lvs(lab, "lvs-" + b).connectionTable().size();
                    assertThat(entries).as("lvs-" + b + "'s share of 300 flows").isBetween(50, 150);
                    total += entries;
                }
                assertThat(total).isEqualTo(300);
                assertThat(router.openConnections()).as("the router holds no socket").isZero();
                assertThat(router.flowsHashed()).isEqualTo(300);

                lab.kill("lvs-2").get();
                await("BFD takes lvs-2 out").atMost(Duration.ofSeconds(5)).until(() -> router.liveNextHops().size() == 2);
                assertThat(router.liveNextHops()).containsExactly("lvs-1", "lvs-3");
                for (Socket s : open) {
                    InetSocketAddress client = (InetSocketAddress) s.getLocalSocketAddress();
                    assertThat(router.nextHopFor(client, vip)).isIn("lvs-1", "lvs-3");
                }
                // new flows spread over the two left
                for (int i = 0; i < 40; i++) {
                    assertThat(Http.servedBy(vip)).startsWith("nginx-");
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aNatDirectorCannotBeAnEcmpNextHop() {
        Scenario s = fleet(LvsScenarios.config("nat", "mh"), fastBfd(), 2, 2);
        assertThat(dev.flowlab.topology.TopologyValidator.validate(s))
                .filteredOn(dev.flowlab.topology.TopologyProblem::isError)
                .extracting(dev.flowlab.topology.TopologyProblem::message)
                .anyMatch(m -> m.contains("router router sends flows to lvs-1") && m.contains("mode nat"));
        // (the test fleet's Nginx have no upstreams: the stub serves them; only link errors matter here)
        assertThat(dev.flowlab.topology.TopologyValidator.validate(fleet(maglev(), fastBfd(), 2, 2)))
                .noneMatch(p -> p.isError() && p.path().startsWith("$.links"));
    }

    @Test
    void everyBalancerBuildsTheSameMaglevTable() throws Exception {
        try (Lab lab = stub.lab(fleet(maglev().withMaglev(MaglevTable.ENVOY_DEFAULT_SIZE), fastBfd(), 4, 5))) {
            lab.start();
            long first = lvs(lab, "lvs-1").maglevTable().fingerprint();
            for (int b = 1; b <= 4; b++) {
                MaglevTable t = lvs(lab, "lvs-" + b).maglevTable();
                assertThat(t.size()).isEqualTo(65537);
                assertThat(t.backends()).containsExactly("nginx-1", "nginx-2", "nginx-3", "nginx-4", "nginx-5");
                assertThat(t.fingerprint()).as("lvs-" + b).isEqualTo(first);
            }
        }
    }

    @Test
    void removingOrAddingOneBackendMovesAboutOneNthOfTheTable() {
        List<String> five = List.of("nginx-1", "nginx-2", "nginx-3", "nginx-4", "nginx-5");
        for (int size : new int[] {MaglevTable.IPVS_DEFAULT_SIZE, MaglevTable.ENVOY_DEFAULT_SIZE}) {
            MaglevTable all = new MaglevTable(five, size);
            MaglevTable less = new MaglevTable(five.subList(0, 4), size);
            double removed = (double) MaglevTable.slotsChanged(all, less) / size;
            assertThat(removed).as("remove 1 of 5, M=" + size).isBetween(0.2, 0.2 * 1.15);
            MaglevTable six = new MaglevTable(List.of("nginx-1", "nginx-2", "nginx-3", "nginx-4", "nginx-5", "nginx-6"), size);
            double added = (double) MaglevTable.slotsChanged(all, six) / size;
            assertThat(added).as("add a 6th, M=" + size).isBetween(1 / 6.0, 1 / 6.0 * 1.15);
        }
    }

    @Test
    void aBackendLeavingTheFleet_movesOnlyItsFlows_onEveryBalancerAlike() throws Exception {
        try (Lab lab = stub.lab(fleet(maglev(), fastBfd(), 3, 4))) {
            lab.start();
            MaglevTable before = lvs(lab, "lvs-1").maglevTable();
            for (int b = 1; b <= 3; b++) {
                lvs(lab, "lvs-" + b).realServers().get(3).inPool(false);
            }
            MaglevTable after = lvs(lab, "lvs-1").maglevTable();
            assertThat(after.backends()).containsExactly("nginx-1", "nginx-2", "nginx-3");
            for (int b = 2; b <= 3; b++) {
                assertThat(lvs(lab, "lvs-" + b).maglevTable().fingerprint()).isEqualTo(after.fingerprint());
            }
            double moved = (double) MaglevTable.slotsChanged(before, after) / before.size();
            assertThat(moved).as("1 of 4 backends gone").isBetween(0.25, 0.25 * 1.15);
        }
    }

    @Test
    void maglevFleet_keepAliveConnectionsSurviveABalancerKill() throws Exception {
        Outcome o = killOneBalancer(maglev());
        assertThat(o.moved).as("flows re-hashed to another balancer").isGreaterThanOrEqualTo(o.onKilled).isPositive();
        assertThat(o.broken).as("no connection breaks").isZero();
        assertThat(o.survived).isEqualTo(o.total);
        assertThat(o.sameBackend).isEqualTo(o.total);
        assertThat(o.balancerSurvivedCount).isEqualTo(o.moved);
    }

    @Test
    void classicWlcDirectors_resetEveryMovedConnection_andKeepTheRest() throws Exception {
        Outcome o = killOneBalancer(LvsScenarios.config("dr", "wlc"));
        assertThat(o.moved).isGreaterThanOrEqualTo(o.onKilled).isPositive();
        assertThat(o.broken).as("every moved connection breaks").isEqualTo(o.moved);
        assertThat(o.survived).as("the flows that stayed on their balancer live on").isEqualTo(o.total - o.moved);
        assertThat(o.balancerBrokenCount).isEqualTo(o.moved);
    }

    private record Outcome(int total, int onKilled, int moved, int survived, int broken, int sameBackend,
                           long balancerSurvivedCount, long balancerBrokenCount) {
    }

    private Outcome killOneBalancer(LvsConfig balancer) throws Exception {
        try (Lab lab = stub.lab(fleet(balancer, fastBfd(), 3, 4))) {
            lab.start();
            EcmpRouter router = (EcmpRouter) lab.node("router").orElseThrow();
            // The lab starts every node at once: a balancer joining later would re-hash flows already open.
            await("BFD up to every balancer").atMost(Duration.ofSeconds(5)).until(() -> router.liveNextHops().size() == 3);
            InetSocketAddress vip = lab.address("router");
            List<Socket> open = new ArrayList<>();
            Map<Socket, String> backendOf = new HashMap<>();
            Map<Socket, String> hopOf = new HashMap<>();
            try {
                for (int i = 0; i < 60; i++) {
                    Socket s = Http.connect(vip);
                    open.add(s);
                    backendOf.put(s, Http.get(s).get("x-served-by"));
                    hopOf.put(s, router.nextHopFor((InetSocketAddress) s.getLocalSocketAddress(), vip));
                }
                int onKilled = (int) hopOf.values().stream().filter("lvs-1"::equals).count();
                lab.kill("lvs-1").get();
                await("BFD takes lvs-1 out").atMost(Duration.ofSeconds(5)).until(() -> router.liveNextHops().size() == 2);
                int moved = 0;
                int survived = 0;
                int broken = 0;
                int same = 0;
                for (Socket s : open) {
                    String after = router.nextHopFor((InetSocketAddress) s.getLocalSocketAddress(), vip);
                    boolean wasMoved = !after.equals(hopOf.get(s));
                    moved += wasMoved ? 1 : 0;
                    try {
                        Map<String, String> r = Http.get(s);
                        survived++;
                        same += r.get("x-served-by").equals(backendOf.get(s)) ? 1 : 0;
                        assertThat(wasMoved && balancer.scheduler().equals("wlc")).as("a moved classic flow must not survive").isFalse();
                    } catch (IOException e) {
                        broken++;
                        assertThat(wasMoved).as("only moved flows break: " + e).isTrue();
                    }
                }
                long bs = 0;
                long bb = 0;
                for (int b = 2; b <= 3; b++) {
                    bs += lvs(lab, "lvs-" + b).flowsSurvived();
                    bb += lvs(lab, "lvs-" + b).flowsBroken();
                }
                // What the balancers' and the router's cards show (their gauges) is the same count.
                long survivedSeen = bs;
                long brokenSeen = bb;
                org.awaitility.Awaitility.await("the gauges in the next snapshot").atMost(Duration.ofSeconds(5)).until(() -> {
                    var snap = lab.metrics().latest();
                    long gs = 0;
                    long gb = 0;
                    for (int b = 2; b <= 3; b++) {
                        gs += Math.max(0, snap.node("lvs-" + b).gauge("moved_survived"));
                        gb += Math.max(0, snap.node("lvs-" + b).gauge("moved_broken"));
                    }
                    return gs == survivedSeen && gb == brokenSeen
                            && snap.node("router").gauge("flows_rehashed") == router.flowsRehashed();
                });
                return new Outcome(open.size(), onKilled, moved, survived, broken, same, bs, bb);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
