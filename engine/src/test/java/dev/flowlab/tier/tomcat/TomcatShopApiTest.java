package dev.flowlab.tier.tomcat;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo shop over real sockets, with Java's HttpClient. One lab for the class: these tests only read. */
class TomcatShopApiTest {
    private static TomcatLab tomcat;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        tomcat = TomcatLab.withDefaults();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        tomcat.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tomcat.url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void item_returnsJsonDetail_servedByTheNode() throws Exception {
        HttpResponse<String> r = get("/api/item/42");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        assertThat(r.body()).startsWith("{\"id\":42,").contains("\"title\":", "\"price\":", "\"servedBy\":\"tomcat-1\"");
    }

    @Test
    void search_isDeterministicAndMatchesTheQuery() throws Exception {
        HttpResponse<String> first = get("/api/search?q=phone");
        HttpResponse<String> second = get("/api/search?q=phone");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        assertThat(first.body()).isEqualTo(second.body()).contains("\"query\":\"phone\"", "\"match\":\"title\"", "Phone");
    }

    @Test
    void health_isUp() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
    }

    @Test
    void home_isADynamicHtmlPage() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(r.body()).contains("Taobao Lab", "/static/css/shop.css", "tomcat-1");
    }

    @Test
    void staticFiles_comeFromDiskWithTheirContentTypes() throws Exception {
        HttpResponse<String> css = get("/static/css/shop.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css");
        assertThat(css.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        assertThat(css.headers().firstValue("ETag")).isPresent();
        assertThat(css.body()).contains("body");
        assertThat(get("/static/js/shop.js").headers().firstValue("Content-Type")).hasValue("text/javascript");
        assertThat(get("/static/img/logo.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void staticFile_revalidatesWithIfNoneMatch() throws Exception {
        String etag = get("/static/css/shop.css").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/static/css/shop.css")))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void missingStaticFileAndUnknownPaths_are404_withServedBy() throws Exception {
        HttpResponse<String> missing = get("/static/css/nope.css");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        HttpResponse<String> api = get("/api/nowhere");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
    }

    @Test
    void unknownOrNonNumericItem_is404Json() throws Exception {
        for (String id : List.of("999999", "abc", "0", "-1")) {
            HttpResponse<String> r = get("/api/item/" + id);
            assertThat(r.statusCode()).as(id).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
            assertThat(r.body()).contains("\"status\":404");
        }
    }

    @Test
    void otherMethodsOnApiPaths_are405WithAllow() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/api/search?q=x")))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(r.headers().firstValue("X-Served-By")).hasValue("tomcat-1");
        HttpResponse<String> cart = get("/api/cart");
        assertThat(cart.statusCode()).isEqualTo(405);
        assertThat(cart.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void postCart_echoesTheBody_andOtherPostBodiesAreReadAndIgnored() throws Exception {
        String cart = "{\"items\":[{\"id\":7,\"qty\":2}]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/api/cart")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(cart)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(cart);
        HttpResponse<String> ignored = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/health")))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ignored.statusCode()).isEqualTo(405);
    }

    @Test
    void traceHeader_isEchoed_andEventsCarryIt() throws Exception {
        EventBus bus = tomcat.lab.events();
        try (EventBus.Subscription sub = bus.subscribe(1000, e -> "trace-123".equals(e.traceId()))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/api/item/1")))
                    .header("X-Lab-Trace", "trace-123").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Lab-Trace")).hasValue("trace-123");
            List<LabEvent> seen = new ArrayList<>();
            await("received and returned events").atMost(Duration.ofSeconds(5)).until(() -> {
                sub.drain(seen::add, 100);
                return seen.stream().anyMatch(e -> e.type() == EventType.RESPONSE_RETURNED);
            });
            assertThat(seen).extracting(LabEvent::type).containsSubsequence(EventType.REQUEST_RECEIVED, EventType.RESPONSE_RETURNED);
            assertThat(seen.get(0).detail()).isEqualTo("GET /api/item/1");
            LabEvent returned = seen.stream().filter(e -> e.type() == EventType.RESPONSE_RETURNED).findFirst().orElseThrow();
            assertThat(returned.status()).isEqualTo(200);
            assertThat(returned.node()).isEqualTo("tomcat-1");
        }
    }

    @Test
    void metricsCountRequestsAndStatuses() throws Exception {
        long before = tomcat.lab.metrics().node("tomcat-1").completed();
        get("/health");
        assertThat(tomcat.lab.metrics().node("tomcat-1").completed()).isGreaterThan(before);
    }
}
