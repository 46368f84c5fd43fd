package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.gateway.GatewayServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The attack that took the dynamic site down for 13 s: requests the gateway forwarded but the
 * Tomcats' RPC decoder refused (a lowercase or odd method, more than 1,024 headers) closed the RPC
 * connection, counted as backend failures, marked every Tomcat down and opened the breaker. A bad
 * request is the client's fault: it is refused at the first tier that can tell, and no backend's
 * health, no breaker, counts it.
 */
@Tag("reliability")
class ClientCannotHurtBackendsTest {
    /** {@code n} distinct two-character header names: more than the RPC frame carries, small enough for the codecs. */
    private static String manyHeaders(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(i / 36, 36)).append(Character.forDigit(i % 36, 36)).append(": v\r\n");
        }
        return b.toString();
    }

    private static List<String> attacks(String host) {
        return List.of(
                "get /api/search?q=tea HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "M-SEARCH /api/search?q=tea HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "1GET /api/search?q=tea HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "GET /api/search?q=tea HTTP/1.1\r\nHost: " + host + "\r\n" + manyHeaders(1100) + "\r\n",
                "PoSt /api/cart HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 2\r\n\r\n{}");
    }

    @Test
    void craftedRequests_throughTheFrontDoorAndStraightAtTheGateway_neverCountAgainstATomcat() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            InetSocketAddress nginx = lab.address("nginx-1");
            InetSocketAddress gateway = lab.address("gateway-1");
            List<Integer> atNginx = new ArrayList<>();
            List<Integer> atGateway = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String a : attacks(Raw.hostPort(nginx))) {
                    atNginx.add(Raw.status(Raw.exchange(nginx, a.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"))));
                }
                for (String a : attacks(Raw.hostPort(gateway))) {
                    atGateway.add(Raw.status(Raw.exchange(gateway, a.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"))));
                }
            }
            // nginx refuses a method that is not upper-case letters, '_' and '-' (400), as nginx does;
            // what it passes on, the gateway answers without a backend (431 for the header flood) or the shop does:
            // 501 for M-SEARCH, which HttpServlet does not implement, as the real Tomcat 10.1 answers; the gateway
            // refuses the rest before any backend (lowercase and odd methods have no RPC form)
            assertThat(atNginx).allSatisfy(s -> assertThat(s).satisfiesAnyOf(x -> assertThat(x).isBetween(400, 499),
                    x -> assertThat(x).isEqualTo(501)));
            assertThat(atGateway).allSatisfy(s -> assertThat(s).satisfiesAnyOf(x -> assertThat(x).isBetween(400, 499),
                    x -> assertThat(x).isEqualTo(501)));
            assertThat(atNginx.subList(0, 5)).containsExactly(400, 501, 400, 431, 400);

            GatewayServer gw = (GatewayServer) lab.node("gateway-1").orElseThrow();
            assertThat(gw.circuitStates().values()).allMatch("CLOSED"::equals);
            Map<String, Long> errors = lab.metrics().node("gateway-1").errorsByCause();
            assertThat(errors.keySet()).noneMatch(k -> k.startsWith("backend") || k.startsWith("load_balancer"));
            for (String t : List.of("tomcat-1", "tomcat-2", "tomcat-3")) {
                assertThat(lab.metrics().node(t).errorsByCause()).as(t + " errors").doesNotContainKey("bad_rpc_frame");
            }
            // and the site answers at once
            for (int i = 0; i < 6; i++) {
                String ok = Raw.exchange(nginx, "GET /api/search?q=tea HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(Raw.status(ok)).as(ok).isEqualTo(200);
            }
        }
    }
}
