package dev.flowlab.tier.nginx;

import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.Params;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lab {@link NginxConfig} written as the nginx.conf it stands for, for the real nginx of
 * {@link RealNginxDifferentialTest}: one {@code server} on 127.0.0.1:PORT, the upstream blocks,
 * the locations, and the directives with the lab's values. Servers must be written as addresses
 * (the real nginx knows no lab node ids). The X-Real-IP and X-Forwarded-For headers every lab
 * proxy sets are written out; server_tokens is nginx's default (on) unless the config says off.
 */
final class NginxConf {
    private NginxConf() {
    }

    static String render(NginxConfig raw, Path prefix, int port) {
        return render(raw, prefix, port, false);
    }

    /** With {@code stubStatus}: a {@code location = /status { stub_status; }} too, for a test to watch requests in progress. */
    static String render(NginxConfig raw, Path prefix, int port, boolean stubStatus) {
        NginxConfig c = Params.withDefaults(raw);
        StringBuilder b = new StringBuilder();
        b.append("daemon off;\nmaster_process off;\nworker_processes 1;\n");
        b.append("pid ").append(prefix.resolve("logs/nginx.pid")).append(";\n");
        b.append("error_log ").append(prefix.resolve("logs/error.log")).append(" info;\n");
        b.append("events { worker_connections ").append(c.workerConnections()).append("; }\n");
        b.append("http {\n    access_log off;\n");
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            b.append("    ").append(t).append("_temp_path ").append(prefix.resolve("temp/" + t)).append(";\n");
        }
        b.append("    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n");
        if (raw.serverTokens() != null) {
            b.append("    server_tokens ").append(raw.serverTokens()).append(";\n");
        }
        if (raw.proxyIgnoreHeaders() != null && !raw.proxyIgnoreHeaders().isEmpty()) {
            b.append("    proxy_ignore_headers ").append(String.join(" ", raw.proxyIgnoreHeaders())).append(";\n");
        }
        if (raw.limitConn() != null) {
            NginxConfig.LimitConn lc = raw.limitConn();
            b.append("    limit_conn_zone ").append(lc.key() == null ? "$binary_remote_addr" : lc.key()).append(" zone=lc:10m;\n");
        }
        List<NginxConfig.Location> locations = raw.locations() == null ? List.of() : raw.locations();
        for (int i = 0; i < locations.size(); i++) {
            if (locations.get(i).cache() != null) {
                b.append("    proxy_cache_path ").append(prefix.resolve("cache" + i)).append(" keys_zone=zone").append(i).append(":1m;\n");
            }
        }
        for (NginxConfig.Upstream u : raw.upstreams() == null ? List.<NginxConfig.Upstream>of() : raw.upstreams()) {
            NginxConfig.Upstream up = Params.withDefaults(u);
            b.append("    upstream ").append(up.name()).append(" {\n");
            switch (up.balance()) {
                case "least_conn" -> b.append("        least_conn;\n");
                case "ip_hash" -> b.append("        ip_hash;\n");
                case "hash" -> b.append("        hash ").append(up.hashKey()).append(Boolean.TRUE.equals(up.consistent()) ? " consistent" : "").append(";\n");
                default -> {
                }
            }
            for (NginxConfig.Server s : up.servers()) {
                NginxConfig.Server sv = Params.withDefaults(s);
                if (sv.address() == null) {
                    throw new IllegalArgumentException("the real nginx needs addresses, not node ids: " + sv.node());
                }
                b.append("        server ").append(sv.address()).append(" weight=").append(sv.weight())
                        .append(" max_fails=").append(sv.maxFails()).append(" fail_timeout=").append(seconds(sv.failTimeout()));
                if (sv.maxConns() > 0) {
                    b.append(" max_conns=").append(sv.maxConns());
                }
                b.append(Boolean.TRUE.equals(sv.backup()) ? " backup" : "").append(Boolean.TRUE.equals(sv.down()) ? " down" : "").append(";\n");
            }
            if (up.keepalive() > 0) {
                b.append("        keepalive ").append(up.keepalive()).append(";\n        keepalive_timeout ").append(seconds(up.keepaliveTimeout()))
                        .append(";\n        keepalive_requests ").append(up.keepaliveRequests()).append(";\n");
            }
            b.append("    }\n");
        }
        for (int i = 0; i < locations.size(); i++) {
            NginxConfig.LimitConn lc = locations.get(i).limitConn();
            if (lc != null) {
                b.append("    limit_conn_zone ").append(lc.key() == null ? "$binary_remote_addr" : lc.key()).append(" zone=lc").append(i).append(":10m;\n");
            }
        }
        for (int i = 0; i < locations.size(); i++) {
            NginxConfig.LimitReq lr = locations.get(i).limitReq();
            if (lr != null) {
                b.append("    limit_req_zone ").append(lr.key() == null ? "$binary_remote_addr" : lr.key()).append(" zone=lr").append(i)
                        .append(":10m rate=").append(lr.rate() == null ? "10r/s" : lr.rate()).append(";\n");
            }
        }
        if (raw.limitReq() != null) {
            NginxConfig.LimitReq lr = raw.limitReq();
            b.append("    limit_req_zone ").append(lr.key() == null ? "$binary_remote_addr" : lr.key()).append(" zone=lr:10m rate=")
                    .append(lr.rate() == null ? "10r/s" : lr.rate()).append(";\n");
        }
        b.append("    server {\n        listen 127.0.0.1:").append(port).append(";\n");
        if (raw.limitReq() != null) {
            NginxConfig.LimitReq lr = raw.limitReq();
            b.append("        limit_req zone=lr").append(lr.burst() == null || lr.burst() == 0 ? "" : " burst=" + lr.burst())
                    .append(Boolean.TRUE.equals(lr.nodelay()) ? " nodelay" : "").append(";\n");
            b.append("        limit_req_status ").append(lr.status() == null ? 503 : lr.status()).append(";\n");
        }
        if (raw.limitConn() != null) {
            NginxConfig.LimitConn lc = raw.limitConn();
            b.append("        limit_conn lc ").append(lc.conn() == null ? 1 : lc.conn()).append(";\n");
            b.append("        limit_conn_status ").append(lc.status() == null ? 503 : lc.status()).append(";\n");
        }
        for (String page : raw.errorPages() == null ? List.<String>of() : raw.errorPages()) {
            b.append("        error_page ").append(page).append(";\n");
        }
        b.append("        proxy_connect_timeout ").append(seconds(c.proxyConnectTimeout())).append(";\n");
        b.append("        proxy_read_timeout ").append(seconds(c.proxyReadTimeout())).append(";\n");
        b.append("        proxy_send_timeout ").append(seconds(c.proxySendTimeout())).append(";\n");
        b.append("        proxy_next_upstream ").append(String.join(" ", c.effectiveNextUpstream())).append(";\n");
        b.append("        proxy_next_upstream_tries ").append(c.proxyNextUpstreamTries()).append(";\n");
        b.append("        proxy_next_upstream_timeout ").append(seconds(c.proxyNextUpstreamTimeout())).append(";\n");
        b.append("        client_max_body_size ").append(c.clientMaxBodySize()).append(";\n");
        b.append("        large_client_header_buffers ").append(c.largeClientHeaderBuffers()).append(";\n");
        b.append("        keepalive_timeout ").append(seconds(c.keepaliveTimeout())).append(";\n");
        b.append("        keepalive_requests ").append(c.keepaliveRequests()).append(";\n");
        b.append("        client_header_timeout ").append(seconds(c.clientHeaderTimeout())).append(";\n");
        b.append("        client_body_timeout ").append(seconds(c.clientBodyTimeout())).append(";\n");
        b.append("        disable_symlinks ").append(c.disableSymlinks()).append(";\n");
        b.append("        underscores_in_headers ").append(Boolean.TRUE.equals(c.underscoresInHeaders()) ? "on" : "off").append(";\n");
        boolean defaultSite = raw.upstreams() == null;
        String version = raw.proxyHttpVersion() != null ? raw.proxyHttpVersion() : defaultSite ? "1.1" : "1.0";
        b.append("        proxy_http_version ").append(version).append(";\n");
        List<String> setHeaders = raw.proxySetHeaders() != null ? raw.proxySetHeaders()
                : defaultSite ? NginxSite.LAB_SET_HEADERS_DEFAULT_SITE : NginxSite.LAB_SET_HEADERS;
        for (String line : setHeaders) {
            int colon = line.indexOf(':');
            String value = line.substring(colon + 1).trim();
            b.append("        proxy_set_header ").append(line.substring(0, colon).trim()).append(' ')
                    .append(value.isEmpty() ? "\"\"" : value).append(";\n");
        }
        for (int i = 0; i < locations.size(); i++) {
            NginxConfig.Location l = locations.get(i);
            String match = l.prefix().matches(".*[{};\\s].*") && !l.prefix().matches("(=|\\^~|~\\*?) [^{};\\s]+")
                    ? "\"" + l.prefix() + "\"" : l.prefix();
            b.append("        location ").append(match).append(" {\n");
            if (l.proxyPass() != null) {
                b.append("            proxy_pass ").append(l.proxyPass().startsWith("http://") ? "" : "http://").append(l.proxyPass()).append(";\n");
            } else {
                b.append("            root ").append(l.root()).append(";\n");
            }
            if (l.limitReq() != null) {
                NginxConfig.LimitReq lr = l.limitReq();
                b.append("            limit_req zone=lr").append(i).append(lr.burst() == null || lr.burst() == 0 ? "" : " burst=" + lr.burst())
                        .append(Boolean.TRUE.equals(lr.nodelay()) ? " nodelay" : "").append(";\n");
                b.append("            limit_req_status ").append(lr.status() == null ? 503 : lr.status()).append(";\n");
            }
            if (l.limitConn() != null) {
                NginxConfig.LimitConn lc = l.limitConn();
                b.append("            limit_conn lc").append(i).append(' ').append(lc.conn() == null ? 1 : lc.conn()).append(";\n");
                b.append("            limit_conn_status ").append(lc.status() == null ? 503 : lc.status()).append(";\n");
            }
            if (l.cache() != null) {
                NginxConfig.Cache cache = Params.withDefaults(l.cache());
                b.append("            proxy_cache zone").append(i).append(";\n            proxy_cache_valid 200 ").append(seconds(cache.valid()))
                        .append(";\n            proxy_cache_bypass $http_cache_control $http_pragma;\n")
                        .append("            add_header X-Cache-Status $upstream_cache_status;\n");
                if (l.cache().noCache() != null && !l.cache().noCache().isEmpty()) {
                    b.append("            proxy_no_cache ").append(String.join(" ", l.cache().noCache())).append(";\n");
                }
                if (Boolean.TRUE.equals(cache.lock())) {
                    b.append("            proxy_cache_lock on;\n            proxy_cache_lock_timeout ").append(seconds(cache.lockTimeout()))
                            .append(";\n            proxy_cache_lock_age ").append(seconds(cache.lockAge())).append(";\n");
                }
            }
            b.append("        }\n");
        }
        if (stubStatus) {
            b.append("        location = /status {\n            stub_status;\n        }\n");
        }
        b.append("    }\n}\n");
        return b.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

}
