package dev.flowlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flowlab.runtime.Lab;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity figures the cards show, measured on a real lab: Tomcat's workers and queue, Nginx's upstream connections. */
class CapacityGaugesTest {

    @Test
    void gauges_areReadAtEachSnapshot_andUpstreamConnectionsAppearOnceOneOpened() {
        MetricsRegistry registry = new MetricsRegistry(100);
        NodeMetrics m = registry.register("t", "tomcat");
        int[] busy = {3};
        m.gauge("busy_workers", () -> busy[0]);
        assertThat(registry.snapshot(100).nodes().get(0).gauges()).containsExactlyEntriesOf(java.util.Map.of("busy_workers", 3));
        busy[0] = 7;
        NodeSnapshot s = registry.snapshot(200).nodes().get(0);
        assertThat(s.gauge("busy_workers")).isEqualTo(7);
        assertThat(s.gauge("upstream_connections")).as("never opened one: not reported").isEqualTo(-1);
        m.upstreamConnectionOpened();
        m.upstreamConnectionOpened();
        m.upstreamConnectionClosed();
        assertThat(registry.snapshot(300).nodes().get(0).gauge("upstream_connections")).isEqualTo(1);
        m.upstreamConnectionClosed();
        assertThat(registry.snapshot(400).nodes().get(0).gauge("upstream_connections")).isZero();
    }

    @Test
    void slowTomcatBehindNginx_showsBusyWorkersOfMaxThreads_theQueue_andNginxsUpstreamConnections() {
        TomcatConfig twoWorkers = new TomcatConfig(2, null, null, null, null, null, null,
                ServiceTime.fixed(Duration.ofSeconds(60)), null);
        Scenario scenario = new Scenario(Scenario.FORMAT, "capacity", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("nginx-1", NodeKind.NGINX),
                        new NodeSpec("tomcat-1", NodeKind.TOMCAT, null, null, null, twoWorkers)),
                List.of(LinkSpec.of("client", "nginx-1"), LinkSpec.of("nginx-1", "tomcat-1")), null, null);
        try (Lab lab = Stack.lab(scenario)) {
            lab.start();
            InetSocketAddress nginx = lab.address("nginx-1");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 5; i++) {
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://" + nginx.getAddress().getHostAddress() + ":"
                        + nginx.getPort() + "/api/item/" + (i + 1))).build(), HttpResponse.BodyHandlers.discarding());
            }
            await("two workers busy, three requests waiting, five upstream connections").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                NodeSnapshot tomcat = lab.metrics().latest().node("tomcat-1");
                NodeSnapshot proxy = lab.metrics().latest().node("nginx-1");
                assertThat(tomcat.gauge("max_threads")).isEqualTo(2);
                assertThat(tomcat.gauge("busy_workers")).isEqualTo(2);
                assertThat(tomcat.gauge("waiting_for_worker")).isEqualTo(3);
                assertThat(tomcat.gauge("connections")).isEqualTo(5);
                assertThat(proxy.gauge("upstream_connections")).isEqualTo(5);
            });
        }
    }
}
