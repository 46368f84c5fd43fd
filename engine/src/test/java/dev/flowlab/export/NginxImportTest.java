package dev.flowlab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab import}: every library scenario's exported nginx.conf imports back to the same Nginx settings; a
 * hand-written nginx.conf with includes and directives the lab does not model imports with a report line for each.
 */
class NginxImportTest {
    @TempDir
    Path dir;

    @Test
    void everyLibraryNginxExportsAndImportsBackToTheSameSettings() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Scenario> e : ExportLibrary.scenarios().entrySet()) {
            Scenario s = e.getValue();
            Path out = dir.resolve(e.getKey());
            ScenarioExporter.export(s, out);
            for (NodeSpec n : s.nodesOfKind(NodeKind.NGINX)) {
                String where = e.getKey() + " / " + n.id();
                Path conf = out.resolve("nginx").resolve(n.id() + ".conf");
                NginxImporter.Result r = NginxImporter.importFile(conf, NginxImporter.Upstreams.TOMCAT);
                // the import is a topology the lab runs, written canonically
                assertThat(ScenarioIO.check(ScenarioIO.toJson(r.scenario()), where).errors()).as(where).isEmpty();
                assertEquals(r.scenario(), ScenarioIO.read(ScenarioIO.toJson(r.scenario()), where), where);
                assertThat(r.report()).as(where).noneMatch(l -> l.contains("not imported") || l.contains("does not validate"));
                List<NodeSpec> nginx = r.scenario().nodesOfKind(NodeKind.NGINX);
                assertEquals(1, nginx.size(), where);
                NginxConfig want = expected(s, n);
                NginxConfig got = nginx.get(0).configAs(NginxConfig.class);
                assertEquals(want.upstreams(), normalised(got.upstreams()), where + ": upstreams");
                assertEquals(want.locations(), got.locations(), where + ": locations");
                assertEquals(want.withUpstreams(null).withLocations(null), got.withUpstreams(null).withLocations(null), where + ": settings");
                assertEquals(ScenarioExporter.addresses(s).get(n.id()), nginx.get(0).address(), where + ": listen");
                // every upstream server is a Tomcat of the original's name, linked from the Nginx
                for (NginxConfig.Upstream u : got.upstreams()) {
                    for (NginxConfig.Server sv : u.servers()) {
                        assertThat(r.scenario().node(sv.node())).as(where).hasValueSatisfying(t -> assertEquals(NodeKind.TOMCAT, t.kind()));
                        assertThat(r.scenario().links()).as(where).anyMatch(l -> l.from().equals(nginx.get(0).id()) && l.to().equals(sv.node()));
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    /** The original's Nginx settings as the export writes them: the lab's defaults spelled out. */
    private static NginxConfig expected(Scenario s, NodeSpec n) {
        NginxConfig c = n.configAs(NginxConfig.class);
        List<NginxConfig.Upstream> ups = c.upstreams() != null ? c.upstreams()
                : NginxConfig.defaultUpstreams(n.id(), s.downstreamOf(n.id()).stream().map(NodeSpec::id).toList());
        List<NginxConfig.Location> locs = c.locations() != null ? c.locations() : NginxConfig.defaultLocations(ups.get(0).name());
        List<NginxConfig.Location> want = locs.stream().map(l -> new NginxConfig.Location(l.prefix() == null ? "/" : l.prefix(), l.proxyPass(),
                l.root(), l.cache() == null ? null : cache(l.cache()))).toList();
        NginxConfig.LimitReq lr = c.limitReq() == null ? null : new NginxConfig.LimitReq(
                c.limitReq().key() == null ? "$binary_remote_addr" : c.limitReq().key(), c.limitReq().rate() == null ? "10r/s" : c.limitReq().rate(),
                c.limitReq().burst() == null || c.limitReq().burst() == 0 ? null : c.limitReq().burst(),
                Boolean.TRUE.equals(c.limitReq().nodelay()) ? true : null, c.limitReq().status() == null ? 503 : c.limitReq().status());
        return c.withUpstreams(normalised(ups)).withLocations(want)
                .withWorkerConnections(c.workerConnections() == null ? 1024 : c.workerConnections())
                .withProxyHttpVersion(NginxConfig.effectiveProxyHttpVersion(c), NginxConfig.effectiveProxySetHeaders(c))
                .withLimitReq(lr);
    }

    /** The cache as the export spells it; the per-entry limit has no directive. */
    private static NginxConfig.Cache cache(NginxConfig.Cache k) {
        return new NginxConfig.Cache(k.valid() == null ? Duration.ofMinutes(10) : k.valid(), k.maxEntries() == null ? 1000 : k.maxEntries(),
                k.maxSize() == null ? "16m" : k.maxSize(), null)
                .withUseStale(k.useStale() == null || k.useStale().isEmpty() ? null : k.useStale())
                .withBackgroundUpdate(Boolean.TRUE.equals(k.backgroundUpdate()) ? true : null)
                .withRevalidate(Boolean.TRUE.equals(k.revalidate()) ? true : null)
                .withNoCache(k.noCache() == null || k.noCache().isEmpty() ? null : k.noCache());
    }

    /** nginx's defaults as unset: round_robin, consistent off, backup and down off; keepalive's settings only with keepalive. */
    private static List<NginxConfig.Upstream> normalised(List<NginxConfig.Upstream> ups) {
        return ups.stream().map(u -> {
            boolean keep = u.keepalive() != null && u.keepalive() > 0;
            return new NginxConfig.Upstream(u.name(), "round_robin".equals(u.balance()) ? null : u.balance(),
                    "hash".equals(u.balance()) ? (u.hashKey() == null ? "$request_uri" : u.hashKey()) : null,
                    "hash".equals(u.balance()) && Boolean.TRUE.equals(u.consistent()) ? true : null, keep ? u.keepalive() : null,
                    keep ? u.keepaliveTimeout() : null, keep ? u.keepaliveRequests() : null,
                    u.servers().stream().map(v -> new NginxConfig.Server(v.node(), null, v.weight(), v.maxFails(), v.failTimeout(),
                            Boolean.TRUE.equals(v.backup()) ? true : null, Boolean.TRUE.equals(v.down()) ? true : null, v.maxConns())).toList());
        }).toList();
    }

    private Path handWritten() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                user www-data;
                worker_processes auto;
                pid /run/nginx.pid;

                events {
                    worker_connections 768;
                    multi_accept on;
                }

                http {
                    sendfile on;
                    include mime.types;
                    gzip on;   # compress text
                    proxy_connect_timeout 5s;
                    proxy_read_timeout 30s;
                    proxy_next_upstream error timeout http_502;
                    proxy_next_upstream_tries 2;
                    proxy_cache_path /var/cache/nginx levels=1:2 keys_zone=static:2m max_size=64m inactive=10m;
                    limit_req_zone $binary_remote_addr zone=perip:10m rate=20r/s;
                    include conf.d/*.conf;
                }
                """);
        Files.writeString(dir.resolve("mime.types"), "types {\n    text/html html;\n    image/png png;\n}\n");
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/10-upstreams.conf"), """
                upstream app {
                    hash $request_uri consistent;
                    server 10.0.0.11:8080 weight=3 max_fails=2 fail_timeout=5s;
                    server 10.0.0.12:8080 max_conns=100;
                    server 10.0.0.13:8080 backup slow_start=30s;
                    keepalive 16;
                }
                """);
        Files.writeString(dir.resolve("conf.d/20-site.conf"), """
                server {
                    listen 80 default_server;
                    server_name "shop.example.com";
                    limit_req zone=perip burst=40 nodelay;

                    location = /health {
                        proxy_pass http://10.0.0.20:9000/status;
                    }
                    location ^~ /static/ {
                        root /srv/www;
                        proxy_cache static;
                        proxy_cache_valid 200 10m;
                        proxy_cache_use_stale error timeout updating;
                    }
                    location ~* \\.(png|jpg)$ {
                        alias /srv/img/;
                    }
                    location / {
                        proxy_pass http://app;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        rewrite ^/old/(.*)$ /new/$1 break;
                    }
                }
                """);
        return dir.resolve("nginx.conf");
    }

    @Test
    void aHandWrittenConfigWithIncludesImportsItsSettingsAndReportsWhatItCannotMap() throws Exception {
        NginxImporter.Result r = NginxImporter.importFile(handWritten(), NginxImporter.Upstreams.EXTERNAL);
        Scenario s = r.scenario();
        assertThat(ScenarioIO.check(ScenarioIO.toJson(s), "import").errors()).isEmpty();
        NodeSpec nginx = s.nodesOfKind(NodeKind.NGINX).get(0);
        NginxConfig c = nginx.configAs(NginxConfig.class);
        assertEquals(Duration.ofSeconds(5), c.proxyConnectTimeout());
        assertEquals(Duration.ofSeconds(30), c.proxyReadTimeout());
        assertEquals(List.of("error", "timeout", "http_502"), c.proxyNextUpstream());
        assertEquals(2, c.proxyNextUpstreamTries());
        assertEquals(1536, c.workerConnections(), "worker_processes auto: two cores of 768");
        assertEquals("1.1", c.proxyHttpVersion());
        assertEquals(List.of("Connection: \"\""), c.proxySetHeaders());
        assertEquals(new NginxConfig.LimitReq("$binary_remote_addr", "20r/s", 40, true, null), c.limitReq());
        NginxConfig.Upstream app = c.upstreams().get(0);
        assertEquals("app", app.name());
        assertEquals("hash", app.balance());
        assertEquals("$request_uri", app.hashKey());
        assertEquals(true, app.consistent());
        assertEquals(16, app.keepalive());
        assertEquals(List.of(
                new NginxConfig.Server("external-1", null, 3, 2, Duration.ofSeconds(5), null, null, null),
                new NginxConfig.Server("external-2", null, null, null, null, null, null, 100),
                new NginxConfig.Server("external-3", null, null, null, null, true, null, null)), app.servers());
        assertEquals("10.0.0.11:8080", s.node("external-1").orElseThrow().configAs(ExternalConfig.class).address());
        assertEquals(List.of(
                new NginxConfig.Location("= /health", "external-4/status", null, null),
                new NginxConfig.Location("^~ /static/", null, "/srv/www",
                        new NginxConfig.Cache(Duration.ofMinutes(10), 16000, "64m", null).withUseStale(List.of("error", "timeout", "updating"))),
                new NginxConfig.Location("/", "app", null, null)), c.locations());
        assertEquals("10.0.0.20:9000", s.node("external-4").orElseThrow().configAs(ExternalConfig.class).address());
        assertThat(s.links()).extracting(l -> l.from() + "->" + l.to()).containsExactly("client->nginx-1",
                "nginx-1->external-4", "nginx-1->external-1", "nginx-1->external-2", "nginx-1->external-3");
        assertThat(r.report()).contains(
                "nginx.conf:1: `user www-data` is not modelled by the lab (a process or log setting: the lab runs the node inside its own process)",
                "nginx.conf:2: `worker_processes auto` is one process in the lab standing for two cores: workerConnections = 2 x 768",
                "nginx.conf:7: `multi_accept on` is not modelled by the lab",
                "nginx.conf:11: `sendfile on` is not modelled by the lab",
                "mime.types:1: `types` { ... } is not modelled by the lab (the block and everything in it)",
                "nginx.conf:13: `gzip on` is not modelled by the lab",
                "conf.d/10-upstreams.conf:5: `server 10.0.0.13:8080 backup slow_start=30s` has the parameter slow_start=30s, which is not modelled by the lab",
                "conf.d/20-site.conf:2: `listen 80 default_server` has the parameter default_server, which is not modelled by the lab",
                "conf.d/20-site.conf:3: `server_name shop.example.com` is not modelled by the lab: the lab's Nginx node answers every Host "
                        + "(each server block is a node of its own)",
                "conf.d/20-site.conf:16: `alias /srv/img/` is not modelled by the lab here: the lab serves files by root (the URI appended), "
                        + "and this alias is not the location's prefix under a root; not imported",
                "conf.d/20-site.conf:20: `proxy_http_version 1.1` is set in one location in nginx; the lab's Nginx has one value for the node, "
                        + "so it applies to every location",
                "conf.d/20-site.conf:22: `rewrite ^/old/(.*)$ /new/$1 break` is not modelled by the lab");
        assertThat(r.report()).anyMatch(l -> l.startsWith("conf.d/20-site.conf:15: `location ~* \\.(png|jpg)$` has neither proxy_pass nor root"));
        assertThat(r.report()).anyMatch(l -> l.startsWith("conf.d/20-site.conf:2: `listen 80 default_server` cannot be bound by the lab without privileges"));
        // nothing silently dropped: the directives of the files the lab did not take each have a line
        assertThat(r.report()).noneMatch(l -> l.contains("does not validate"));
    }

    @Test
    void serverTokensErrorPagesLimitConnAndIgnoredHeadersImportAndExportBack() throws Exception {
        Path conf = dir.resolve("n.conf");
        Files.writeString(conf, """
                events {}
                http {
                    server_tokens off;
                    proxy_ignore_headers Cache-Control Set-Cookie;
                    limit_conn_zone $binary_remote_addr zone=perip:10m;
                    limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;
                    upstream app { server 10.0.0.11:8080; }
                    server {
                        listen 8080;
                        limit_conn perip 2;
                        limit_conn_status 429;
                        error_page 502 503 /50x.html;
                        error_page 404 =200 /empty.html;
                        location /api/ { proxy_pass http://app; limit_req zone=api burst=10 nodelay; limit_req_status 429; }
                        location / { proxy_pass http://app; }
                    }
                }
                """);
        NginxImporter.Result r = NginxImporter.importFile(conf, NginxImporter.Upstreams.EXTERNAL);
        assertThat(r.report()).noneMatch(l -> l.contains("server_tokens") || l.contains("limit_conn") || l.contains("error_page")
                || l.contains("proxy_ignore_headers") || l.contains("limit_req"));
        NodeSpec node = r.scenario().nodesOfKind(NodeKind.NGINX).get(0);
        NginxConfig c = node.configAs(NginxConfig.class);
        assertEquals("off", c.serverTokens());
        assertEquals(List.of("Cache-Control", "Set-Cookie"), c.proxyIgnoreHeaders());
        assertEquals(new NginxConfig.LimitConn("$binary_remote_addr", 2, 429), c.limitConn());
        assertEquals(List.of("502 503 /50x.html", "404 =200 /empty.html"), c.errorPages());
        assertEquals(null, c.limitReq());
        assertEquals(new NginxConfig.LimitReq("$binary_remote_addr", "5r/s", 10, true, 429), c.locations().get(0).limitReq());
        assertEquals(null, c.locations().get(1).limitReq());
        String out = NginxExporter.export(node, "127.0.0.1:8080", Map.of("external-1", "10.0.0.11:8080"), dir, List.of());
        assertThat(out).contains("    server_tokens off;\n", "    proxy_ignore_headers Cache-Control Set-Cookie;\n",
                "    limit_conn_zone $binary_remote_addr zone=lab_limit_conn:10m;\n", "        limit_conn lab_limit_conn 2;\n",
                "        limit_conn_status 429;\n", "        error_page 502 503 /50x.html;\n", "        error_page 404 =200 /empty.html;\n");
        // nginx -t takes the export, when nginx is here
        Path exported = dir.resolve("exported.conf");
        Files.writeString(exported, out); // nginx -t binds nothing
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            Files.createDirectories(dir.resolve("run/nginx-1/logs"));
            Files.createDirectories(dir.resolve("run/nginx-1/temp"));
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-t", "-q", "-c", exported.toString(), "-e",
                    dir.resolve("run/nginx-1/logs/error.log").toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), said);
        }
        // and the export imports back to the same settings
        NginxImporter.Result again = NginxImporter.importFile(exported, NginxImporter.Upstreams.EXTERNAL);
        NginxConfig back = again.scenario().nodesOfKind(NodeKind.NGINX).get(0).configAs(NginxConfig.class);
        assertEquals(c.serverTokens(), back.serverTokens());
        assertEquals(c.proxyIgnoreHeaders(), back.proxyIgnoreHeaders());
        assertEquals(c.limitConn(), back.limitConn());
        assertEquals(c.errorPages(), back.errorPages());
        assertEquals(c.locations(), back.locations());
    }

    @Test
    void cacheLockLocationLimitConnNamedLocationsAndLargeWeightsImportAndExportBack() throws Exception {
        Path conf = dir.resolve("lock.conf");
        Files.writeString(conf, """
                events {}
                http {
                    proxy_cache_path /tmp/c keys_zone=z:1m;
                    limit_conn_zone $binary_remote_addr zone=api:10m;
                    upstream app { server 10.0.0.11:8080 weight=5000; server 10.0.0.12:8080; }
                    server {
                        listen 8080;
                        error_page 404 = @fallback;
                        location /api/ {
                            proxy_pass http://app;
                            proxy_cache z;
                            proxy_cache_valid 200 10m;
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 2s;
                            proxy_cache_lock_age 3s;
                            limit_conn api 4;
                            limit_conn_status 429;
                        }
                        location @fallback { proxy_pass http://app; }
                        location / { proxy_pass http://app; }
                    }
                }
                """);
        NginxImporter.Result r = NginxImporter.importFile(conf, NginxImporter.Upstreams.EXTERNAL);
        assertThat(r.report()).noneMatch(l -> l.contains("proxy_cache_lock") || l.contains("limit_conn") || l.contains("@fallback")
                || l.contains("error_page") || l.contains("weight"));
        NodeSpec node = r.scenario().nodesOfKind(NodeKind.NGINX).get(0);
        NginxConfig c = node.configAs(NginxConfig.class);
        NginxConfig.Location api = c.locations().get(0);
        assertEquals(Boolean.TRUE, api.cache().lock());
        assertEquals(Duration.ofSeconds(2), api.cache().lockTimeout());
        assertEquals(Duration.ofSeconds(3), api.cache().lockAge());
        assertEquals(new NginxConfig.LimitConn("$binary_remote_addr", 4, 429), api.limitConn());
        assertEquals(null, c.limitConn());
        assertEquals("@fallback", c.locations().get(1).prefix());
        assertEquals(List.of("404 = @fallback"), c.errorPages());
        assertEquals(5000, c.upstreams().get(0).servers().get(0).weight());
        assertThat(ScenarioIO.check(ScenarioIO.toJson(r.scenario()), "import").errors()).isEmpty();
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        for (NodeSpec n : r.scenario().nodes()) {
            if (n.kind() == NodeKind.EXTERNAL) {
                addresses.put(n.id(), n.id().equals("external-1") ? "10.0.0.11:8080" : "10.0.0.12:8080");
            }
        }
        String out = NginxExporter.export(node, "127.0.0.1:8080", addresses, dir, List.of());
        assertThat(out).contains("proxy_cache_lock on;\n", "proxy_cache_lock_timeout 2s;\n", "proxy_cache_lock_age 3s;\n",
                "limit_conn lab_limit_conn_1 4;\n", "location @fallback {", "error_page 404 = @fallback;\n", "weight=5000");
        Path exported = dir.resolve("lock-exported.conf");
        Files.writeString(exported, out);
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            Files.createDirectories(dir.resolve("run/nginx-1/cache"));
            Files.createDirectories(dir.resolve("run/nginx-1/logs"));
            Files.createDirectories(dir.resolve("run/nginx-1/temp"));
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-t", "-q", "-c", exported.toString(), "-e",
                    dir.resolve("run/nginx-1/logs/error.log").toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), said);
        }
        NginxConfig back = NginxImporter.importFile(exported, NginxImporter.Upstreams.EXTERNAL).scenario().nodesOfKind(NodeKind.NGINX).get(0)
                .configAs(NginxConfig.class);
        // (the export writes the zone's max_size, the lab's default 16m, which the first import left unset)
        assertEquals(c.locations().stream().map(NginxConfig.Location::prefix).toList(), back.locations().stream().map(NginxConfig.Location::prefix).toList());
        NginxConfig.Cache k = back.locations().get(0).cache();
        assertEquals(List.of(true, Duration.ofSeconds(2), Duration.ofSeconds(3)), List.of(k.lock(), k.lockTimeout(), k.lockAge()));
        assertEquals(api.limitConn(), back.locations().get(0).limitConn());
        assertEquals(c.errorPages(), back.errorPages());
        assertEquals(c.upstreams().get(0).servers().get(0).weight(), back.upstreams().get(0).servers().get(0).weight());
    }

    @Test
    void upstreamServersBecomeTomcatsWhenAsked() throws Exception {
        NginxImporter.Result r = NginxImporter.importFile(handWritten(), NginxImporter.Upstreams.TOMCAT);
        assertThat(r.scenario().nodes()).extracting(NodeSpec::id, NodeSpec::kind).contains(
                org.assertj.core.groups.Tuple.tuple("client", NodeKind.CLIENT), org.assertj.core.groups.Tuple.tuple("nginx-1", NodeKind.NGINX),
                org.assertj.core.groups.Tuple.tuple("tomcat-1", NodeKind.TOMCAT), org.assertj.core.groups.Tuple.tuple("tomcat-4", NodeKind.TOMCAT));
        assertEquals("Tomcat 10.0.0.11:8080", r.scenario().node("tomcat-1").orElseThrow().label());
        assertThat(ScenarioIO.check(ScenarioIO.toJson(r.scenario()), "import").errors()).isEmpty();
    }

    @Test
    void aSyntaxErrorSaysFileLineAndColumn() throws Exception {
        Files.writeString(dir.resolve("missing-semicolon.conf"), "http {\n    server {\n        listen 8080\n    }\n}\n");
        var e = assertThrows(NginxConfParser.SyntaxError.class, () -> NginxImporter.importFile(dir.resolve("missing-semicolon.conf"),
                NginxImporter.Upstreams.TOMCAT));
        assertEquals("missing-semicolon.conf:4:5: unexpected \"}\": the directive \"listen\" has no \";\"", e.getMessage());
        Files.writeString(dir.resolve("unclosed.conf"), "http {\n    server {\n        listen 8080;\n}\n");
        e = assertThrows(NginxConfParser.SyntaxError.class, () -> NginxImporter.importFile(dir.resolve("unclosed.conf"), NginxImporter.Upstreams.TOMCAT));
        assertThat(e.getMessage()).startsWith("unclosed.conf:5:1: unexpected end of file, expecting \"}\"");
        Files.createDirectories(dir.resolve("inc"));
        Files.writeString(dir.resolve("inc/bad.conf"), "upstream a {\n  server \"10.0.0.1:80;\n}\n");
        Files.writeString(dir.resolve("main.conf"), "http {\n    include inc/bad.conf;\n}\n");
        e = assertThrows(NginxConfParser.SyntaxError.class, () -> NginxImporter.importFile(dir.resolve("main.conf"), NginxImporter.Upstreams.TOMCAT));
        assertThat(e.getMessage()).startsWith("inc/bad.conf:2:10: unexpected end of file: the quoted string");
        Files.writeString(dir.resolve("missing-include.conf"), "http {\n    include nope.conf;\n}\n");
        e = assertThrows(NginxConfParser.SyntaxError.class, () -> NginxImporter.importFile(dir.resolve("missing-include.conf"),
                NginxImporter.Upstreams.TOMCAT));
        assertThat(e.getMessage()).startsWith("missing-include.conf:2:5: include nope.conf: no such file");
    }

    @Test
    void commentsQuotesAndVariablesReadAsNginxReadsThem() throws Exception {
        List<NginxConfParser.Directive> d = NginxConfParser.parse("""
                # a comment; with { braces }
                set $x "a;b{c}";  # trailing
                map ${host}x $y { default 'q\\'s'; }
                """, "t.conf", dir);
        assertEquals(List.of("$x", "a;b{c}"), d.get(0).args());
        assertEquals(List.of("${host}x", "$y"), d.get(1).args());
        assertEquals("default", d.get(1).block().get(0).name());
        assertEquals(List.of("q's"), d.get(1).block().get(0).args());
        assertEquals(3, d.get(1).line());
    }

    @Test
    void anIncludeLoopIsRefusedNotFollowedForever() throws Exception {
        Files.writeString(dir.resolve("loop.conf"), "include loop.conf;\ninclude loop.conf;\n");
        Files.writeString(dir.resolve("main.conf"), "http {\n    include loop.conf;\n}\n");
        var e = assertThrows(NginxConfParser.SyntaxError.class, () -> NginxImporter.importFile(dir.resolve("main.conf"), NginxImporter.Upstreams.TOMCAT));
        assertThat(e.getMessage()).contains("an include loop?");
    }

    @Test
    void anUnusedUpstreamAndSeveralServerBlocksAreReportedAndImported() throws Exception {
        Files.writeString(dir.resolve("two.conf"), """
                http {
                    upstream unused { server 10.0.0.9:80; }
                    upstream app { server 127.0.0.5:18080; }
                    server { listen 18081; location / { proxy_pass http://app; } }
                    server { listen 18081; server_name b; location /b/ { proxy_pass http://app/x/; } }
                }
                """);
        NginxImporter.Result r = NginxImporter.importFile(dir.resolve("two.conf"), NginxImporter.Upstreams.TOMCAT);
        assertThat(r.report()).contains("two.conf:2: `upstream unused` is not used by any proxy_pass, so it was not imported");
        assertThat(r.report()).anyMatch(l -> l.startsWith("two.conf:5: `listen 18081` is the address of an earlier server block"));
        List<NodeSpec> nginx = r.scenario().nodesOfKind(NodeKind.NGINX);
        assertThat(nginx).extracting(NodeSpec::id).containsExactly("nginx-1", "nginx-2");
        assertEquals("127.0.0.1:18081", nginx.get(0).address());
        assertEquals(null, nginx.get(1).address());
        assertEquals("app/x/", nginx.get(1).configAs(NginxConfig.class).locations().get(0).proxyPass());
        assertEquals("127.0.0.5:18080", r.scenario().node("tomcat-1").orElseThrow().address(), "a loopback server keeps its address");
        assertThat(ScenarioIO.check(ScenarioIO.toJson(r.scenario()), "two").errors()).isEmpty();
    }

    @Test
    void valuesTheLabCannotReadAreReportedNotThrown() throws Exception {
        Files.writeString(dir.resolve("odd.conf"), """
                http {
                    server;
                    proxy_read_timeout soon;
                    server {
                        listen 127.0.0.1:port;
                        location / { proxy_pass http://host:abc/; }
                        location /v/ { proxy_pass http://$backend; }
                        location @named { return 404; }
                        location /s/ { root /srv; if ($x) { return 403; } }
                    }
                }
                """);
        NginxImporter.Result r = NginxImporter.importFile(dir.resolve("odd.conf"), NginxImporter.Upstreams.TOMCAT);
        assertThat(r.report()).anyMatch(l -> l.startsWith("odd.conf:2: `server` is not a block"))
                .anyMatch(l -> l.startsWith("odd.conf:3: `proxy_read_timeout soon` cannot be taken"))
                .anyMatch(l -> l.startsWith("odd.conf:5: `listen 127.0.0.1:port` is not an address the lab reads"))
                .anyMatch(l -> l.startsWith("odd.conf:6: `proxy_pass http://host:abc/` is not an address the lab reads"))
                .anyMatch(l -> l.startsWith("odd.conf:7: `proxy_pass http://$backend` uses variables"))
                .anyMatch(l -> l.startsWith("odd.conf:8: `location @named` has neither proxy_pass nor root"))
                .anyMatch(l -> l.startsWith("odd.conf:9: `if ($x)` { ... } is not modelled by the lab"));
        assertEquals(List.of(new NginxConfig.Location("/s/", null, "/srv", null)),
                r.scenario().nodesOfKind(NodeKind.NGINX).get(0).configAs(NginxConfig.class).locations());
    }
}
