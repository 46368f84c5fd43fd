package dev.flowlab.tier.tomcat;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
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

/** The NIO connector's model on the wire: keep-alive, timeouts, worker and connection limits, pipelining. */
class TomcatConnectorTest {

    @Test
    void keepAlive_servesSeveralRequestsOnOneConnection() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response first = c.exchange(RawHttp.get("/health"));
            RawHttp.Response second = c.exchange(RawHttp.get("/api/item/3"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isNull();
            assertThat(second.status()).isEqualTo(200);
            assertThat(tomcat.lab.metrics().node(TomcatLab.NODE).connectionsOpenedTotal()).isEqualTo(1);
        }
    }

    @Test
    void maxKeepAliveRequests_theHundredthResponseSaysCloseAndTheConnectionCloses() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            for (int i = 1; i < 100; i++) {
                RawHttp.Response r = c.exchange(RawHttp.get("/health"));
                assertThat(r.header("Connection")).as("response %d", i).isNull();
            }
            RawHttp.Response last = c.exchange(RawHttp.get("/health"));
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void maxKeepAliveRequestsOfOne_disablesKeepAlive() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, null, 1, null));
             RawHttp c = RawHttp.connect(tomcat.address())) {
            assertThat(c.exchange(RawHttp.get("/health")).header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionCloseAndHttp10_areHonoured() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults()) {
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange("GET /health HTTP/1.0\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(r.header("Connection")).isEqualTo("keep-alive");
                assertThat(c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void idleKeepAliveConnection_isClosedAfterKeepAliveTimeout() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, Duration.ofMillis(200), null, null));
             RawHttp c = RawHttp.connect(tomcat.address())) {
            long start = System.nanoTime();
            assertThat(c.exchange(RawHttp.get("/health")).status()).isEqualTo(200);
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void silentConnection_isClosedAfterConnectionTimeout() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, Duration.ofMillis(200), null, null, null))) {
            try (RawHttp silent = RawHttp.connect(tomcat.address())) {
                assertThat(silent.closedByServer()).isTrue();
            }
            try (RawHttp partial = RawHttp.connect(tomcat.address())) {
                partial.send("GET /health HTTP/1.1\r\nHost: x\r\n");
                assertThat(partial.closedByServer()).as("closed without a response").isTrue();
            }
            assertThat(tomcat.lab.metrics().node(TomcatLab.NODE).errorsByCause()).containsKey("connection_timeout");
        }
    }

    @Test
    void maxThreads_boundsRequestsInService_andTheRestQueue() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(2, null, null, null, null, null, Duration.ofMillis(50)))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            EventBus.Subscription queuedEvents = tomcat.lab.events().subscribe(1000, e -> e.type() == EventType.REQUEST_QUEUED);
            List<CompletableFuture<Long>> latencies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long sent = System.nanoTime();
                latencies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(tomcat.url("/api/item/" + (i + 1)))).build(),
                        HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                            assertThat(r.statusCode()).isEqualTo(200);
                            return System.nanoTime() - sent;
                        }));
            }
            List<Long> nanos = new ArrayList<>();
            for (CompletableFuture<Long> f : latencies) {
                nanos.add(f.get(20, TimeUnit.SECONDS));
            }
            nanos.sort(null);
            TomcatServer server = tomcat.server();
            assertThat(server.peakBusyWorkers()).isEqualTo(2);
            assertThat(server.peakQueuedRequests()).isGreaterThan(0);
            assertThat(server.busyWorkers()).isZero();
            assertThat(server.queuedRequests()).isZero();
            assertThat(queuedEvents.poll()).isNotNull();
            queuedEvents.close();
            // Ten 50 ms requests on two workers: the last cannot finish before five rounds.
            assertThat(Duration.ofNanos(nanos.get(9))).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(nanos.get(9)).isGreaterThan(nanos.get(0));
        }
    }

    @Test
    void maxConnections_theThirdConnectionWaitsUntilOneCloses() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, 5, 2, null, null, null, null));
             RawHttp a = RawHttp.connect(tomcat.address());
             RawHttp b = RawHttp.connect(tomcat.address())) {
            assertThat(a.exchange(RawHttp.get("/health")).status()).isEqualTo(200);
            assertThat(b.exchange(RawHttp.get("/health")).status()).isEqualTo(200);
            TomcatServer server = tomcat.server();
            await("acceptor paused").atMost(Duration.ofSeconds(5)).until(server::acceptorPaused);
            // The kernel completes the handshake into the backlog (acceptCount), but Tomcat does not accept it.
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                c.send(RawHttp.get("/health"));
                assertThat(c.silentFor(300)).as("not served while two connections are open").isTrue();
                assertThat(server.connectorConnections()).isEqualTo(2);
                a.close();
                RawHttp.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("X-Served-By")).isEqualTo(TomcatLab.NODE);
            }
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, null, null, Duration.ofMillis(20)));
             RawHttp c = RawHttp.connect(tomcat.address())) {
            c.send(RawHttp.get("/api/item/1") + RawHttp.get("/health") + RawHttp.get("/api/item/2"));
            assertThat(c.read().body()).startsWith("{\"id\":1,");
            assertThat(c.read().body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(c.read().body()).startsWith("{\"id\":2,");
        }
    }

    @Test
    void manyPipelinedRequestsInOnePacket_areAllAnswered() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            String keepAliveUnlimited = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            c.send(keepAliveUnlimited.repeat(99));
            for (int i = 0; i < 99; i++) {
                assertThat(c.read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void responseHead_isTomcats_noReasonPhraseAndItsHeaderNames() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response r = c.exchange(RawHttp.get("/health"));
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(r.names()).containsExactly("x-served-by", "Content-Type", "Content-Length", "Date");
            assertThat(r.header("Content-Type")).isEqualTo("application/json;charset=UTF-8");
            RawHttp.Response css = c.exchange(RawHttp.get("/static/css/shop.css"));
            assertThat(css.names()).containsExactly("Accept-Ranges", "ETag", "Last-Modified", "x-served-by", "Content-Type",
                    "Content-Length", "Date");
            RawHttp.Response missing = c.exchange(RawHttp.get("/nowhere"));
            assertThat(missing.statusLine()).isEqualTo("HTTP/1.1 404 ");
            assertThat(missing.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
            assertThat(missing.header("Content-Language")).isEqualTo("en");
        }
    }

    @Test
    void http11WithoutHost_orWithTwo_is400AndTheConnectionCloses() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults()) {
            for (String request : List.of("GET /health HTTP/1.1\r\n\r\n",
                    "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                    "GET /health HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n")) {
                try (RawHttp c = RawHttp.connect(tomcat.address())) {
                    RawHttp.Response r = c.exchange(request);
                    assertThat(r.statusLine()).as(request).isEqualTo("HTTP/1.1 400 ");
                    assertThat(r.header("Connection")).as(request).isEqualTo("close");
                    assertThat(c.closedByServer()).as(request).isTrue();
                }
            }
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                assertThat(c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status()).as("1.0 needs no Host").isEqualTo(200);
                assertThat(c.exchange("GET /health HTTP/1.1\r\nHost:\r\n\r\n").status()).as("an empty Host is a Host").isEqualTo(200);
            }
            assertThat(tomcat.lab.metrics().node(TomcatLab.NODE).errorsByCause()).containsEntry("bad_request", 3L);
        }
    }

    @Test
    void keepAliveHeader_whenTheRequestAskedForKeepAlive() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response ka10 = c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(ka10.names()).endsWith("Connection", "Keep-Alive");
            assertThat(ka10.header("Connection")).isEqualTo("keep-alive");
            assertThat(ka10.header("Keep-Alive")).isEqualTo("timeout=60");
            RawHttp.Response ka11 = c.exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
            assertThat(ka11.names()).endsWith("Keep-Alive", "Connection");
            assertThat(ka11.header("Keep-Alive")).isEqualTo("timeout=60");
            RawHttp.Response plain = c.exchange(RawHttp.get("/health"));
            assertThat(plain.header("Keep-Alive")).isNull();
            assertThat(plain.header("Connection")).isNull();
        }
        // keepAliveTimeout in whole seconds, rounded down; none when there is no timeout
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, Duration.ofMillis(15_900), null, null));
             RawHttp c = RawHttp.connect(tomcat.address())) {
            assertThat(c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").header("Keep-Alive")).isEqualTo("timeout=15");
        }
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(null, null, null, null, Duration.ZERO, null, null));
             RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response r = c.exchange("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(r.header("Keep-Alive")).isNull();
        }
    }

    @Test
    void statusesThatDropTheConnection_closeItEvenOnKeepAlive() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults()) {
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange("GET /api/search HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(r.header("Keep-Alive")).isNull();
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange("get /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 501 ");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                RawHttp.Response r = c.exchange(RawHttp.get("/api/item/999999"));
                assertThat(r.status()).as("a 404 keeps the connection").isEqualTo(404);
                assertThat(c.exchange(RawHttp.get("/health")).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void malformedRequestLine_is400AndTheConnectionCloses() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response r = c.exchange("this is not http\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("X-Served-By")).isEqualTo(TomcatLab.NODE);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headersOverEightKilobytes_are400AndTheConnectionCloses() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response r = c.exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("X-Served-By")).isEqualTo(TomcatLab.NODE);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyOverTheLimit_is413() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            RawHttp.Response r = c.exchange("POST /api/cart HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n{");
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("X-Served-By")).isEqualTo(TomcatLab.NODE);
            assertThat(c.closedByServer()).isTrue();
        }
        try (TomcatLab tomcat = TomcatLab.withDefaults(); RawHttp c = RawHttp.connect(tomcat.address())) {
            String chunk = Integer.toHexString(1 << 20) + "\r\n" + "x".repeat(1 << 20) + "\r\n";
            c.send("POST /api/cart HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk);
            assertThat(c.read().status()).isEqualTo(413);
        }
    }

    @Test
    void pathTraversal_isRefused() throws Exception {
        try (TomcatLab tomcat = TomcatLab.withDefaults()) {
            for (String path : List.of("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                    "/static/..%2f..%2f..%2f..%2fetc/passwd", "/static/css/..%5c..%5c..%5cetc/passwd")) {
                try (RawHttp c = RawHttp.connect(tomcat.address())) {
                    RawHttp.Response r = c.exchange(RawHttp.get(path));
                    assertThat(r.status()).as(path).isIn(400, 404);
                    assertThat(r.body()).doesNotContain("root:");
                    assertThat(r.header("X-Served-By")).isEqualTo(TomcatLab.NODE);
                }
            }
        }
    }

    @Test
    void aClosedConnection_neverGetsAResponse() throws Exception {
        // 1 s of service: long enough that a loaded machine's polling still sees one in service and one queued
        try (TomcatLab tomcat = new TomcatLab(TomcatLab.config(1, null, null, null, null, null, Duration.ofSeconds(1)))) {
            RawHttp busy = RawHttp.connect(tomcat.address());
            busy.send(RawHttp.get("/health"));
            RawHttp waiting = RawHttp.connect(tomcat.address());
            waiting.send(RawHttp.get("/health"));
            TomcatServer server = tomcat.server();
            await("one in service, one queued").atMost(Duration.ofSeconds(5)).until(
                    () -> server.busyWorkers() == 1 && server.queuedRequests() == 1);
            waiting.close();
            busy.close();
            await("permits and queue released").atMost(Duration.ofSeconds(15)).until(
                    () -> server.busyWorkers() == 0 && server.queuedRequests() == 0);
            try (RawHttp c = RawHttp.connect(tomcat.address())) {
                assertThat(c.exchange(RawHttp.get("/health")).status()).isEqualTo(200);
            }
        }
    }
}
