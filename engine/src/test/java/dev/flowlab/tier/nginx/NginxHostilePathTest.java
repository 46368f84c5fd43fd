package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.testing.TestLabs;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile request targets over a raw socket: the URI is normalized as nginx does it before the
 * location is chosen and before the file is looked up, so nothing outside a location's root is
 * served from it. Every expectation is what the real nginx 1.22 answers (RealNginxDifferentialTest
 * compares the two directly).
 */
class NginxHostilePathTest {
    @TempDir
    Path dir;
    private final TestUpstream upstream = new TestUpstream();
    private TestLabs tier;

    @BeforeEach
    void setUp() throws Exception {
        tier = TestLabs.with(NodeKind.TOMCAT, upstream);
        Files.createDirectories(dir.resolve("site/static"));
        Files.writeString(dir.resolve("site/static/a.txt"), "public\n");
        Files.writeString(dir.resolve("site/secret.txt"), "not for you\n");
        Files.writeString(dir.resolve("outside.txt"), "outside the root\n");
        Files.createSymbolicLink(dir.resolve("site/static/link.txt"), dir.resolve("outside.txt"));
    }

    @AfterEach
    void restore() {
        upstream.openBodyGate();
    }

    private Lab lab(String disableSymlinks) {
        NginxConfig cfg = NginxConfig.EMPTY.withLocations(List.of(
                NginxConfig.Location.files("/static/", dir.resolve("site").toString(), null),
                NginxConfig.Location.proxy("/", "tomcat-1"))).withDisableSymlinks(disableSymlinks);
        Lab lab = tier.lab(NginxProxyTest.scenario(1, cfg));
        lab.start();
        return lab;
    }

    @Test
    void dotSegments_areResolvedBeforeTheLocationIsChosen() throws Exception {
        try (Lab lab = lab(null)) {
            // /static/../secret.txt is /secret.txt: location /, proxied, never the file beside the static root
            for (String path : List.of("/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/.%2E/secret.txt",
                    "/static%2f..%2fsecret.txt")) {
                String answer = get(lab, path);
                assertThat(answer).as(path).startsWith("HTTP/1.1 200").contains("hello from tomcat-1").doesNotContain("not for you");
            }
            // without a URI part, proxy_pass sends the URI as the client wrote it ($request_uri)
            assertThat(upstream.seen("tomcat-1").get(0).uri()).isEqualTo("/static/../secret.txt");
        }
    }

    @Test
    void climbingAboveTheRoot_nul_andBadEscapes_are400() throws Exception {
        try (Lab lab = lab(null)) {
            for (String path : List.of("/static/../../secret.txt", "/static/%2e%2e/%2e%2e/secret.txt", "/static/..%2f..%2fsecret.txt",
                    "/%2e%2e", "/static/%00a.txt", "/static/a.txt%00", "/static/%zz", "/static/a.txt%2")) {
                assertThat(get(lab, path)).as(path).startsWith("HTTP/1.1 400").doesNotContain("not for you");
            }
            assertThat(upstream.seen("tomcat-1")).as("no hostile request reaches the upstream").isEmpty();
        }
    }

    @Test
    void doubleEncodingAndBackslash_areLiteralNames() throws Exception {
        try (Lab lab = lab(null)) {
            // %25 decodes to a plain '%': the file named "%2e%2e" is looked for, not the parent
            assertThat(get(lab, "/static/%252e%252e/secret.txt")).startsWith("HTTP/1.1 404");
            // a backslash is a character of the name on Unix (a separator on Windows only)
            assertThat(get(lab, "/static/..\\secret.txt")).startsWith("HTTP/1.1 404");
            assertThat(get(lab, "/static/..%5c..%5csecret.txt")).startsWith("HTTP/1.1 404");
            // merged slashes, "." and an absolute URI reach the file
            for (String path : List.of("/static//a.txt", "/static/./a.txt", "//static/a.txt", "/static/x/../a.txt", "http://shop/static/a.txt")) {
                assertThat(get(lab, path)).as(path).startsWith("HTTP/1.1 200").contains("public");
            }
        }
    }

    @Test
    void symlinkOutOfTheRoot_followedByDefault_refusedWithDisableSymlinks() throws Exception {
        try (Lab lab = lab(null)) {
            assertThat(get(lab, "/static/link.txt")).as("disable_symlinks off: nginx follows").startsWith("HTTP/1.1 200").contains("outside");
        }
        try (Lab lab = lab("on")) {
            assertThat(get(lab, "/static/link.txt")).startsWith("HTTP/1.1 403").doesNotContain("outside");
            assertThat(get(lab, "/static/%6cink.txt")).as("encoded").startsWith("HTTP/1.1 403");
            assertThat(get(lab, "/static/a.txt")).startsWith("HTTP/1.1 200");
        }
    }

    private static String get(Lab lab, String target) throws Exception {
        InetSocketAddress a = lab.address("nginx-1");
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";
        }
    }
}
