package dev.flowlab.tier.nginx;

import dev.flowlab.stack.Stack;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files from disk (a proxy cache on their location does nothing, as in nginx), and malformed input over raw sockets: nginx's answers, never a crash. */
class NginxStaticAndInputTest {
    @TempDir
    Path site;
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void setUp() throws Exception {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
        Files.createDirectories(site.resolve("static/css"));
        Files.writeString(site.resolve("static/css/shop.css"), "body { color: #ff5000; }\n");
        Files.writeString(site.resolve("static/index.html"), "<h1>shop</h1>\n");
        Files.writeString(site.resolve("secret.txt"), "not for you\n");
    }

    @AfterEach
    void restore() {
        upstream.openBodyGate();
    }

    private Lab lab(NginxConfig cfg) {
        Lab lab = tier.lab(NginxProxyTest.scenario(1, cfg));
        lab.start();
        return lab;
    }

    private NginxConfig staticSite() {
        return NginxConfig.EMPTY.withLocations(List.of(
                NginxConfig.Location.files("/static/", site.toString(), NginxConfig.Cache.DEFAULT),
                NginxConfig.Location.proxy("/", "tomcat-1")));
    }

    private HttpResponse<String> get(Lab lab, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(NginxProxyTest.uri(lab, path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void staticFile_fromDisk_noXCacheStatus_evenWithAProxyCacheOnTheLocation() throws Exception {
        try (Lab lab = lab(staticSite())) {
            HttpResponse<String> first = get(lab, "/static/css/shop.css");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("X-Cache-Status")).as("nginx's proxy_cache only stores what is proxied").isEmpty();
            assertThat(first.headers().firstValue("X-Served-By")).as("a file is answered by the Nginx itself").hasValue("nginx-1");
            assertThat(first.headers().firstValue("Content-Type")).hasValue("text/css");
            assertThat(first.headers().firstValue("ETag")).isPresent();
            assertThat(first.body()).isEqualTo("body { color: #ff5000; }\n");
            HttpResponse<String> second = get(lab, "/static/css/shop.css");
            assertThat(second.headers().firstValue("X-Cache-Status")).isEmpty();
            assertThat(second.body()).isEqualTo(first.body());
            HttpResponse<String> noCache = get(lab, "/static/css/shop.css", "Cache-Control", "no-cache");
            assertThat(noCache.headers().firstValue("X-Cache-Status")).as("no BYPASS either: there is no cache here").isEmpty();
            assertThat(noCache.body()).isEqualTo(first.body());
        }
    }

    @Test
    void staticFile_changedOnDisk_isServedChanged_atOnce_aProxyCacheOnTheLocationKeepsNothing() throws Exception {
        Path file = site.resolve("static/fresh.txt");
        Files.writeString(file, "one\n");
        try (Lab lab = lab(staticSite())) {
            assertThat(get(lab, "/static/fresh.txt").body()).isEqualTo("one\n");
            Files.writeString(file, "two, longer\n");
            HttpResponse<String> after = get(lab, "/static/fresh.txt");
            assertThat(after.body()).as("read from disk again, not from a cache").isEqualTo("two, longer\n");
            assertThat(after.headers().firstValue("X-Cache-Status")).isEmpty();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void staticDirectory_indexAndRedirect_andMissing404() throws Exception {
        try (Lab lab = lab(staticSite())) {
            assertThat(get(lab, "/static/").body()).isEqualTo("<h1>shop</h1>\n");
            assertThat(get(lab, "/static/nope.js").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void pathTraversal_refused() throws Exception {
        try (Lab lab = lab(staticSite())) {
            for (String path : List.of("/static/../../secret.txt", "/static/%2e%2e/%2e%2e/secret.txt", "/static/..%2f..%2fsecret.txt")) {
                String answer = raw(lab, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("not for you");
            }
        }
    }

    @Test
    void proxiedLocationWithCache_secondGetIsHit() throws Exception {
        NginxConfig cfg = NginxConfig.EMPTY.withLocations(List.of(
                new NginxConfig.Location("/api/", "tomcat-1", null, NginxConfig.Cache.DEFAULT)));
        try (Lab lab = lab(cfg)) {
            assertThat(get(lab, "/api/item/1").headers().firstValue("X-Cache-Status")).hasValue("MISS");
            HttpResponse<String> hit = get(lab, "/api/item/1");
            assertThat(hit.headers().firstValue("X-Cache-Status")).hasValue("HIT");
            assertThat(hit.body()).isEqualTo("hello from tomcat-1");
            assertThat(upstream.seen("tomcat-1")).hasSize(1);
        }
    }

    @Test
    void badRequestLine_400() throws Exception {
        try (Lab lab = lab(staticSite())) {
            assertThat(raw(lab, "THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(raw(lab, "GET /x HTTP/1.1\r\n\r\n")).as("HTTP/1.1 without Host").startsWith("HTTP/1.1 400");
            assertThat(get(lab, "/api/ok").statusCode()).as("still serving").isEqualTo(200);
        }
    }

    @Test
    void hugeHeader_400RequestHeaderTooLarge_andLongUri_414() throws Exception {
        try (Lab lab = lab(staticSite())) {
            String big = "a".repeat(40_000);
            assertThat(raw(lab, "GET /x HTTP/1.1\r\nHost: x\r\nCookie: " + big + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 400").contains("Request Header Or Cookie Too Large");
            assertThat(raw(lab, "GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
            assertThat(get(lab, "/api/ok").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bodyOverClientMaxBodySize_413() throws Exception {
        NginxConfig cfg = staticSite().withClientLimits("1k", null);
        try (Lab lab = lab(cfg)) {
            String answer = raw(lab, "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "b".repeat(5000));
            assertThat(answer).startsWith("HTTP/1.1 413 Request Entity Too Large");
            assertThat(upstream.seen("tomcat-1")).isEmpty();
        }
    }

    @Test
    void truncatedBody_thenClose_neverReachesUpstream_andServerStaysUp() throws Exception {
        try (Lab lab = lab(staticSite())) {
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                OutputStream out = s.getOutputStream();
                out.write("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten..".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            assertThat(get(lab, "/api/ok").statusCode()).isEqualTo(200);
            assertThat(upstream.seen("tomcat-1")).extracting(TestUpstream.Seen::uri).containsExactly("/api/ok");
        }
    }

    @Test
    void truncatedBody_clientTimesOut_connectionClosed() throws Exception {
        NginxConfig cfg = new NginxConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                Duration.ofMillis(200), Duration.ofMillis(200), null, null, null, null, null, null, null, null, null, null, null);
        try (Lab lab = lab(cfg)) {
            InetSocketAddress a = lab.address("nginx-1");
            try (Socket s = new Socket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes!".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
        }
    }

    private static String raw(Lab lab, String request) throws Exception {
        InetSocketAddress a = lab.address("nginx-1");
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            StringBuilder b = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                    b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (b.indexOf("</html>") >= 0 || (b.indexOf("\r\n\r\n") >= 0 && b.indexOf("Content-Length: 0") >= 0)) {
                        break;
                    }
                }
            } catch (java.net.SocketException e) {
                // a reset after the answer is fine: the server closed
            }
            return b.toString();
        }
    }
}
