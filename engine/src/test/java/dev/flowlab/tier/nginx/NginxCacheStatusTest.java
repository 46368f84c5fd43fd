package dev.flowlab.tier.nginx;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;
import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import static org.awaitility.Awaitility.await;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy cache's X-Cache-Status values beyond MISS/HIT/EXPIRED/BYPASS, over real sockets:
 * STALE (proxy_cache_use_stale), UPDATING (use_stale updating, with and without
 * proxy_cache_background_update) and REVALIDATED (proxy_cache_revalidate and a 304).
 * Entries are made to expire quickly (valid 50 ms); each test waits for the status it expects.
 */
class NginxCacheStatusTest {
    private static final Duration VALID = Duration.ofMillis(50);
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void useTestUpstream() {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
    }

    @AfterEach
    void restore() {
        upstream.openBodyGate();
    }

    private Lab lab(NginxConfig.Location... locations) {
        Lab lab = tier.lab(NginxProxyTest.scenario(1, NginxConfig.EMPTY.withLocations(List.of(locations))));
        lab.start();
        return lab;
    }

    private static NginxConfig.Location cached(String prefix, NginxConfig.Cache cache) {
        return new NginxConfig.Location(prefix, "tomcat-1", null, cache);
    }

    private static NginxConfig.Cache shortLived() {
        return new NginxConfig.Cache(VALID, null, null, null);
    }

    private HttpResponse<String> get(Lab lab, String path) {
        try {
            return http.send(HttpRequest.newBuilder(NginxProxyTest.uri(lab, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String cacheStatus(HttpResponse<String> r) {
        return r.headers().firstValue("X-Cache-Status").orElse("");
    }

    private HttpResponse<String> awaitStatus(Lab lab, String path, String status) {
        return await("X-Cache-Status " + status + " for " + path).atMost(Duration.ofSeconds(10)).until(
                () -> get(lab, path), r -> cacheStatus(r).equals(status));
    }

    @Test
    void useStale_upstreamFailsAfterExpiry_expiredEntryAnswersStale_withoutItA502Or500() {
        NginxConfig.Cache stale = shortLived().withUseStale(List.of("error", "timeout", "http_500"));
        try (Lab lab = lab(cached("/api/", stale), cached("/plain/", shortLived()))) {
            assertThat(cacheStatus(get(lab, "/api/item/1"))).isEqualTo("MISS");
            assertThat(cacheStatus(get(lab, "/plain/item/1"))).isEqualTo("MISS");

            upstream.mode("tomcat-1", TestUpstream.Mode.FAIL_500);
            HttpResponse<String> on500 = awaitStatus(lab, "/api/item/1", "STALE");
            assertThat(on500.statusCode()).isEqualTo(200);
            assertThat(on500.body()).isEqualTo("hello from tomcat-1");
            HttpResponse<String> plain500 = await("the uncached-stale location passes the 500 on").atMost(Duration.ofSeconds(10)).until(
                    () -> get(lab, "/plain/item/1"), r -> r.statusCode() == 500);
            assertThat(cacheStatus(plain500)).as("add_header X-Cache-Status without 'always': not on a 500 (nginx's rule)").isEmpty();

            upstream.mode("tomcat-1", TestUpstream.Mode.CLOSE);
            HttpResponse<String> onError = get(lab, "/api/item/1");
            assertThat(onError.statusCode()).isEqualTo(200);
            assertThat(cacheStatus(onError)).isEqualTo("STALE");
            assertThat(get(lab, "/plain/item/1").statusCode()).as("proxy_cache_use_stale off: 502").isEqualTo(502);

            upstream.mode("tomcat-1", TestUpstream.Mode.OK);
            assertThat(cacheStatus(get(lab, "/api/item/1"))).as("the upstream is back: refreshed").isEqualTo("EXPIRED");
            assertThat(cacheStatus(get(lab, "/api/item/1"))).isEqualTo("HIT");
        }
    }

    @Test
    void useStaleUpdating_whileOneRequestRefreshesTheEntry_othersGetUpdating() throws Exception {
        NginxConfig.Cache cache = shortLived().withUseStale(List.of("updating"));
        try (Lab lab = lab(cached("/api/", cache))) {
            assertThat(cacheStatus(get(lab, "/api/item/1"))).isEqualTo("MISS");
            long stored = System.nanoTime();
            upstream.mode("tomcat-1", TestUpstream.Mode.HANG);
            await("the entry's valid time passes").atMost(Duration.ofSeconds(5)).until(
                    () -> System.nanoTime() - stored > VALID.toNanos() * 2);
            // The first request after expiry goes to the upstream (which hangs) and owns the update.
            CompletableFuture<HttpResponse<String>> updater = http.sendAsync(
                    HttpRequest.newBuilder(NginxProxyTest.uri(lab, "/api/item/1")).GET().build(), HttpResponse.BodyHandlers.ofString());
            await("the updating request reached the upstream").atMost(Duration.ofSeconds(10)).until(
                    () -> upstream.seen("tomcat-1").size() == 2);
            HttpResponse<String> other = get(lab, "/api/item/1");
            assertThat(cacheStatus(other)).isEqualTo("UPDATING");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).isEqualTo("hello from tomcat-1");
            assertThat(updater).isNotDone();
        }
    }

    @Test
    void backgroundUpdate_expiredEntryAnswersStaleAtOnce_thenTheRefreshedEntryIsAHit() {
        NginxConfig.Cache cache = shortLived().withUseStale(List.of("updating")).withBackgroundUpdate(true);
        try (Lab lab = lab(cached("/api/", cache))) {
            assertThat(cacheStatus(get(lab, "/api/item/1"))).isEqualTo("MISS");
            HttpResponse<String> stale = awaitStatus(lab, "/api/item/1", "STALE");
            assertThat(stale.body()).isEqualTo("hello from tomcat-1");
            await("the background update reached the upstream").atMost(Duration.ofSeconds(10)).until(
                    () -> upstream.seen("tomcat-1").size() == 2);
            await("the background update stored the fresh copy").atMost(Duration.ofSeconds(10)).until(
                    () -> cacheStatus(get(lab, "/api/item/1")).equals("HIT"));
        }
    }

    @Test
    void backgroundUpdate_hangingUpstream_firstStaleThenUpdating() {
        NginxConfig.Cache cache = shortLived().withUseStale(List.of("updating")).withBackgroundUpdate(true);
        try (Lab lab = lab(cached("/api/", cache))) {
            assertThat(cacheStatus(get(lab, "/api/item/1"))).isEqualTo("MISS");
            upstream.mode("tomcat-1", TestUpstream.Mode.HANG);
            awaitStatus(lab, "/api/item/1", "STALE");
            HttpResponse<String> next = get(lab, "/api/item/1");
            assertThat(cacheStatus(next)).as("the background update still hangs").isEqualTo("UPDATING");
            assertThat(next.body()).isEqualTo("hello from tomcat-1");
        }
    }

    @Test
    void revalidate_conditionalRequestAnd304_answerRevalidatedFromTheCache() {
        upstream.etag("tomcat-1", "\"v1\"");
        try (Lab lab = lab(cached("/api/", shortLived().withRevalidate(true)), cached("/plain/", shortLived()))) {
            HttpResponse<String> first = get(lab, "/api/item/1");
            assertThat(cacheStatus(first)).isEqualTo("MISS");
            assertThat(first.headers().firstValue("ETag")).hasValue("\"v1\"");

            HttpResponse<String> revalidated = awaitStatus(lab, "/api/item/1", "REVALIDATED");
            assertThat(revalidated.statusCode()).isEqualTo(200);
            assertThat(revalidated.body()).isEqualTo("hello from tomcat-1");
            List<TestUpstream.Seen> seen = upstream.seen("tomcat-1");
            TestUpstream.Seen conditional = seen.get(seen.size() - 1);
            assertThat(conditional.headers().get("If-None-Match")).isEqualTo("\"v1\"");
            assertThat(conditional.headers().get("If-Modified-Since")).isEqualTo(TestUpstream.LAST_MODIFIED);
            assertThat(cacheStatus(get(lab, "/api/item/1"))).as("fresh again after the 304").isEqualTo("HIT");

            // Without proxy_cache_revalidate the expired entry is fetched again in full.
            assertThat(cacheStatus(get(lab, "/plain/item/1"))).isEqualTo("MISS");
            awaitStatus(lab, "/plain/item/1", "EXPIRED");
            TestUpstream.Seen full = seen.get(seen.size() - 1);
            assertThat(full.uri()).isEqualTo("/plain/item/1");
            assertThat(full.headers().contains("If-None-Match")).isFalse();
        }
    }

    @Test
    void unknownUseStaleWord_isAClearError() {
        NginxConfig.Cache bad = shortLived().withUseStale(List.of("error", "sometimes"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab(cached("/api/", bad)).close())
                .hasMessageContaining("useStale").hasMessageContaining("sometimes");
    }
}
