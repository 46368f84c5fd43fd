package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pipelined requests are answered in order at every HTTP tier, however many, and a bad one after good ones is answered last. */
@Tag("reliability")
class PipeliningTest {
    private static byte[] pipeline(int n, String host, String tail) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("GET /api/item/").append(1 + i % 5).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n\r\n");
        }
        b.append(tail);
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void threeHundredPipelinedRequests_everyTier_allAnsweredInOrder() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            for (String tier : List.of("gateway-1", "nginx-1")) {
                InetSocketAddress a = lab.address(tier);
                String got = Raw.exchange(a, pipeline(300, Raw.hostPort(a), "GET /api/item/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 10_000);
                assertThat(Raw.statuses(got)).as(tier).hasSize(301).containsOnly(200);
            }
            // Tomcat answers maxKeepAliveRequests (100) on one connection, the last with Connection: close, and closes
            InetSocketAddress t = lab.address("tomcat-1");
            String got = Raw.exchange(t, pipeline(300, Raw.hostPort(t), ""), 10_000);
            assertThat(Raw.statuses(got)).hasSize(100).containsOnly(200);
            assertThat(got.substring(got.lastIndexOf("HTTP/1.1 200")).toLowerCase()).contains("connection: close");
        }
    }

    @Test
    void aMalformedRequestAfterGoodOnes_isAnsweredAfterThem_atNginxAndTheGateway() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            for (String tier : List.of("nginx-1", "gateway-1", "tomcat-1")) {
                InetSocketAddress a = lab.address(tier);
                String got = Raw.exchange(a, pipeline(3, Raw.hostPort(a), "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 10_000);
                List<Integer> s = Raw.statuses(got);
                assertThat(s).as(tier + ": " + got.substring(0, Math.min(200, got.length()))).hasSize(4);
                assertThat(s.subList(0, 3)).as(tier).isEqualTo(Collections.nCopies(3, 200));
                assertThat(s.get(3)).as(tier).isEqualTo(400);
            }
        }
    }
}
