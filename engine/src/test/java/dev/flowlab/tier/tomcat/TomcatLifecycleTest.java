package dev.flowlab.tier.tomcat;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowlab.runtime.NodeState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kill, restart and graceful stop with requests in flight. */
class TomcatLifecycleTest {

    @Test
    void kill_resetsRequestsInService_andAfterStartTheNodeServesOnTheSameAddress() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(2, null, null, null, null, null, Duration.ofSeconds(2)))) {
            InetSocketAddress before = tomcat.address();
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(RawHttp.connect(before).send(RawHttp.get("/api/item/" + (i + 1))));
                }
                TomcatServer server = tomcat.server();
                await("two in service, one queued").atMost(Duration.ofSeconds(5)).until(
                        () -> server.busyWorkers() == 2 && server.queuedRequests() == 1);

                tomcat.lab.kill(TomcatLab.NODE).get(5, TimeUnit.SECONDS);

                assertThat(tomcat.lab.state(TomcatLab.NODE)).isEqualTo(NodeState.KILLED);
                for (RawHttp c : clients) {
                    assertThatThrownBy(c::read).isInstanceOf(IOException.class);
                }
                assertThat(server.busyWorkers()).as("a fresh connector after the kill").isZero();
                assertThat(server.queuedRequests()).isZero();
            } finally {
                for (RawHttp c : clients) {
                    c.close();
                }
            }

            tomcat.lab.startNode(TomcatLab.NODE).get(5, TimeUnit.SECONDS);

            assertThat(tomcat.address()).isEqualTo(before);
            try (RawHttp c = RawHttp.connect(before)) {
                c.send(RawHttp.get("/health"));
                RawHttp.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(tomcat.server().peakBusyWorkers()).isEqualTo(1);
            }
        }
    }

    @Test
    void gracefulStop_letsTheRequestInServiceFinish_thenRefusesConnections() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, null, null, Duration.ofMillis(300)));
             RawHttp idle = RawHttp.connect(tomcat.address());
             RawHttp busy = RawHttp.connect(tomcat.address())) {
            InetSocketAddress address = tomcat.address();
            busy.send(RawHttp.get("/api/item/5"));
            TomcatServer server = tomcat.server();
            await("request in service").atMost(Duration.ofSeconds(5)).until(() -> server.busyWorkers() == 1);

            CompletableFuture<Void> stopped = tomcat.lab.stop(TomcatLab.NODE);

            assertThat(idle.closedByServer()).as("idle connection closed at once").isTrue();
            RawHttp.Response r = busy.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(busy.closedByServer()).isTrue();
            stopped.get(5, TimeUnit.SECONDS);
            assertThat(tomcat.lab.state(TomcatLab.NODE)).isEqualTo(NodeState.STOPPED);
            assertThatThrownBy(() -> RawHttp.connect(address).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void restart_servesAgain() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults()) {
            tomcat.lab.restart(TomcatLab.NODE).get(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/health"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
