package dev.flowlab.export;

import dev.flowlab.net.http.NginxMimeTypes;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NginxLocationSpec;
import dev.flowlab.topology.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes an Nginx node's config as an nginx.conf that runs standalone with {@code nginx -c FILE}: pid, logs, temp and
 * cache paths are absolute under the export folder, it listens where the lab node listens, and upstream servers are the
 * addresses the lab's nodes use. The http-level directives are a table (one line each), so a new setting in
 * {@link NginxConfig} is one new row.
 */
public final class NginxExporter {
    /** An http-level directive: its nginx name and how to read it from the config (null: unset, nginx's default). */
    private record Directive(String name, Function<NginxConfig, String> value) {
    }

    private static final List<Directive> HTTP = List.of(
            new Directive("proxy_connect_timeout", c -> duration(c.proxyConnectTimeout())),
            new Directive("proxy_read_timeout", c -> duration(c.proxyReadTimeout())),
            new Directive("proxy_send_timeout", c -> duration(c.proxySendTimeout())),
            new Directive("proxy_next_upstream", c -> words(c.proxyNextUpstream())),
            new Directive("proxy_next_upstream_tries", c -> str(c.proxyNextUpstreamTries())),
            new Directive("proxy_next_upstream_timeout", c -> duration(c.proxyNextUpstreamTimeout())),
            new Directive("client_max_body_size", NginxConfig::clientMaxBodySize),
            new Directive("large_client_header_buffers", NginxConfig::largeClientHeaderBuffers),
            new Directive("keepalive_timeout", c -> duration(c.keepaliveTimeout())),
            new Directive("keepalive_requests", c -> str(c.keepaliveRequests())),
            new Directive("client_header_timeout", c -> duration(c.clientHeaderTimeout())),
            new Directive("client_body_timeout", c -> duration(c.clientBodyTimeout())),
            new Directive("disable_symlinks", NginxConfig::disableSymlinks),
            new Directive("underscores_in_headers", c -> c.underscoresInHeaders() == null ? null : c.underscoresInHeaders() ? "on" : "off"),
            // on (unset): the lab says nginx/1.22.1, the real nginx its own version
            new Directive("server_tokens", NginxConfig::serverTokens),
            new Directive("proxy_ignore_headers", c -> words(c.proxyIgnoreHeaders())),
            new Directive("proxy_http_version", NginxConfig::effectiveProxyHttpVersion));

    /** The access log's name for {@link Target#jsonAccessLog()}: one JSON object a line, nginx's own figures of each request. */
    public static final String JSON_LOG_FORMAT = "lab_json";

    /**
     * Where an exported nginx.conf runs: the address it listens on, each lab node's "host:port" (upstream servers that
     * name a node), the export folder (the demo site lives under it), the folder for pid, logs, temp and cache files,
     * and two options for a lab that runs this nginx as its node: the access log as JSON lines ({@link #JSON_LOG_FORMAT},
     * with the lab's trace header) and a second server on {@code statusListen} answering {@code /status} with
     * stub_status (null: none).
     */
    public record Target(String listen, Map<String, String> addresses, Path dir, Path run, boolean jsonAccessLog, String statusListen,
                         boolean masterProcess) {
        /** As {@code lab export} writes it: logs under dir/run/NODE, the combined access log, no status server, one process. */
        public static Target export(NodeSpec node, String listen, Map<String, String> addresses, Path dir) {
            return new Target(listen, addresses, dir, dir.toAbsolutePath().resolve("run").resolve(node.id()), false, null, false);
        }

        public Target withJsonAccessLog(String statusListen) {
            return new Target(listen, addresses, dir, run, true, statusListen, masterProcess);
        }

        /**
         * {@code master_process on} (one worker): a master that handles SIGQUIT (graceful shutdown) even when started by a
         * JVM, whose children inherit SIGQUIT blocked, which a single nginx process never unblocks.
         */
        public Target withMasterProcess() {
            return new Target(listen, addresses, dir, run, jsonAccessLog, statusListen, true);
        }
    }

    private NginxExporter() {
    }

    /**
     * The nginx.conf text.
     *
     * @param listen    "host:port" the lab node listens on
     * @param addresses each lab node's "host:port", for upstream servers that name a node
     * @param dir       the export folder (absolute): pid, logs, temp and cache live under dir/run/NODE
     * @param linked    the nodes the Nginx links to, in link order: the lab's default site (upstreams unset) pools them
     */
    public static String export(NodeSpec node, String listen, Map<String, String> addresses, Path dir, List<String> linked) {
        return export(node, Target.export(node, listen, addresses, dir), linked);
    }

    /** The nginx.conf text for {@code target}: its listen address, upstream addresses, run folder and log options. */
    public static String export(NodeSpec node, Target where) {
        return export(node, where, List.of());
    }

    /** As {@link #export(NodeSpec, Target)}; {@code linked}: the nodes the Nginx links to, pooled by the lab's default site. */
    public static String export(NodeSpec node, Target where, List<String> linked) {
        NginxConfig c = node.configAs(NginxConfig.class);
        String listen = where.listen();
        Map<String, String> addresses = where.addresses();
        Path dir = where.dir();
        Path run = where.run().toAbsolutePath();
        StringBuilder b = new StringBuilder();
        b.append("# nginx.conf for the lab node '").append(node.id()).append("', exported by Request Flow Lab.\n");
        b.append("# Run: nginx -c <this file> (logs and temp files under ").append(run).append(")\n");
        b.append("daemon off;\nmaster_process ").append(where.masterProcess() ? "on" : "off").append(";\nworker_processes 1;\n");
        b.append("pid ").append(run.resolve("nginx.pid")).append(";\n");
        b.append("error_log ").append(run.resolve("logs/error.log")).append(" notice;\n\n");
        b.append("events {\n");
        line(b, 1, "worker_connections", c.workerConnections() == null ? "1024" : c.workerConnections().toString());
        b.append("}\n\nhttp {\n");
        if (where.jsonAccessLog()) {
            // One JSON object a line, written as each request ends; the lab reads it back as its node's events.
            // $upstream_addr and $upstream_status list every server tried, comma-separated ("a, b"); the trace
            // header is the lab's x-lab-trace.
            line(b, 1, "log_format", JSON_LOG_FORMAT + " escape=json '{\"msec\":\"$msec\",\"method\":\"$request_method\","
                    + "\"uri\":\"$request_uri\",\"status\":\"$status\",\"request_time\":\"$request_time\","
                    + "\"upstream_addr\":\"$upstream_addr\",\"upstream_status\":\"$upstream_status\","
                    + "\"upstream_response_time\":\"$upstream_response_time\",\"upstream_cache_status\":\"$upstream_cache_status\","
                    + "\"trace\":\"$http_x_lab_trace\",\"connection\":\"$connection\",\"connection_requests\":\"$connection_requests\","
                    + "\"remote_addr\":\"$remote_addr\",\"body_bytes_sent\":\"$body_bytes_sent\",\"request_length\":\"$request_length\"}'");
            line(b, 1, "access_log", run.resolve("logs/access.log") + " " + JSON_LOG_FORMAT);
        } else {
            line(b, 1, "access_log", run.resolve("logs/access.log").toString());
        }
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            line(b, 1, t + "_temp_path", run.resolve("temp/" + t).toString());
        }
        // The lab's Nginx knows these entries of nginx's mime.types (include /etc/nginx/mime.types has them all).
        b.append("    types {\n");
        java.util.Map<String, List<String>> byType = new java.util.TreeMap<>();
        NginxMimeTypes.TYPES.forEach((ext, type) -> byType.computeIfAbsent(type, k -> new java.util.ArrayList<>()).add(ext));
        byType.forEach((type, exts) -> line(b, 2, type, String.join(" ", exts.stream().sorted().toList())));
        b.append("    }\n");
        line(b, 1, "default_type", NginxMimeTypes.DEFAULT_TYPE);
        for (Directive d : HTTP) {
            String v = d.value().apply(c);
            if (v != null && !v.isBlank()) {
                line(b, 1, d.name(), v);
            }
        }
        for (String h : NginxConfig.effectiveProxySetHeaders(c)) {
            int colon = h.indexOf(':');
            String value = colon < 0 ? "" : h.substring(colon + 1).trim();
            line(b, 1, "proxy_set_header", (colon < 0 ? h : h.substring(0, colon).trim()) + " " + (value.isEmpty() ? "\"\"" : value));
        }
        // The lab's default site when upstreams or locations are unset (NginxSite): written out, as the lab runs it.
        List<NginxConfig.Upstream> upstreams = c.upstreams() != null ? c.upstreams() : NginxConfig.defaultUpstreams(node.id(), linked);
        List<NginxConfig.Location> locations = c.locations() != null ? c.locations()
                : upstreams.isEmpty() ? List.of() : NginxConfig.defaultLocations(upstreams.get(0).name());
        if (c.upstreams() == null || c.locations() == null) {
            b.append("    # the lab's default site: ").append(c.upstreams() == null ? "one upstream named after the node, of every linked node"
                    + " (keepalive 32)" : "").append(c.upstreams() == null && c.locations() == null ? "; " : "")
                    .append(c.locations() == null ? "/static/ from the demo site on disk, / proxied" : "").append('\n');
        }
        int zone = 0;
        for (NginxConfig.Location l : locations) {
            if (l.cache() != null) {
                zone++;
                NginxConfig.Cache k = l.cache();
                int entries = k.maxEntries() == null ? 1000 : k.maxEntries();
                // keys_zone is sized in bytes; nginx keeps about 8000 keys per megabyte.
                int mb = Math.max(1, (entries + 7999) / 8000);
                b.append("    # the lab caches at most ").append(entries).append(" entries (keys_zone capacity); nginx sizes the zone in bytes\n");
                line(b, 1, "proxy_cache_path", run.resolve("cache/zone" + zone) + " levels=1:2 keys_zone=zone" + zone + ":" + mb + "m max_size="
                        + (k.maxSize() == null ? "16m" : k.maxSize()) + " inactive=" + (k.valid() == null ? "10m" : duration(k.valid())) + " use_temp_path=off");
            }
        }
        if (c.limitReq() != null) {
            NginxConfig.LimitReq lr = c.limitReq();
            line(b, 1, "limit_req_zone", (lr.key() == null ? "$binary_remote_addr" : lr.key()) + " zone=lab_limit_req:10m rate="
                    + (lr.rate() == null ? "10r/s" : lr.rate()));
        }
        for (int i = 0; i < locations.size(); i++) {
            NginxConfig.LimitReq lr = locations.get(i).limitReq();
            if (lr != null) {
                line(b, 1, "limit_req_zone", (lr.key() == null ? "$binary_remote_addr" : lr.key()) + " zone=lab_limit_req_" + (i + 1)
                        + ":10m rate=" + (lr.rate() == null ? "10r/s" : lr.rate()));
            }
        }
        if (c.limitConn() != null) {
            NginxConfig.LimitConn lc = c.limitConn();
            line(b, 1, "limit_conn_zone", (lc.key() == null ? "$binary_remote_addr" : lc.key()) + " zone=lab_limit_conn:10m");
        }
        for (int i = 0; i < locations.size(); i++) {
            NginxConfig.LimitConn lc = locations.get(i).limitConn();
            if (lc != null) {
                line(b, 1, "limit_conn_zone", (lc.key() == null ? "$binary_remote_addr" : lc.key()) + " zone=lab_limit_conn_" + (i + 1) + ":10m");
            }
        }
        b.append('\n');
        for (NginxConfig.Upstream u : upstreams) {
            b.append("    upstream ").append(u.name()).append(" {\n");
            String balance = u.balance() == null ? "round_robin" : u.balance();
            switch (balance) {
                case "least_conn" -> line(b, 2, "least_conn", "");
                case "ip_hash" -> line(b, 2, "ip_hash", "");
                case "hash" -> line(b, 2, "hash", (u.hashKey() == null ? "$request_uri" : u.hashKey())
                        + (Boolean.TRUE.equals(u.consistent()) ? " consistent" : ""));
                default -> b.append("        # round_robin: nginx's default (smooth weighted round robin)\n");
            }
            for (NginxConfig.Server s : u.servers() == null ? List.<NginxConfig.Server>of() : u.servers()) {
                String target = s.node() != null ? addresses.getOrDefault(s.node(), s.node()) : s.address();
                StringBuilder sv = new StringBuilder(target);
                if (s.weight() != null) {
                    sv.append(" weight=").append(s.weight());
                }
                if (s.maxFails() != null) {
                    sv.append(" max_fails=").append(s.maxFails());
                }
                if (s.failTimeout() != null) {
                    sv.append(" fail_timeout=").append(duration(s.failTimeout()));
                }
                if (s.maxConns() != null) {
                    sv.append(" max_conns=").append(s.maxConns());
                }
                if (Boolean.TRUE.equals(s.backup())) {
                    sv.append(" backup");
                }
                if (Boolean.TRUE.equals(s.down())) {
                    sv.append(" down");
                }
                if (s.node() != null) {
                    b.append("        # lab node ").append(s.node()).append('\n');
                }
                line(b, 2, "server", sv.toString());
            }
            if (u.keepalive() != null && u.keepalive() > 0) {
                line(b, 2, "keepalive", u.keepalive().toString());
                if (u.keepaliveTimeout() != null) {
                    line(b, 2, "keepalive_timeout", duration(u.keepaliveTimeout()));
                }
                if (u.keepaliveRequests() != null) {
                    line(b, 2, "keepalive_requests", u.keepaliveRequests().toString());
                }
            }
            b.append("    }\n\n");
        }
        b.append("    server {\n");
        line(b, 2, "listen", listen);
        if (c.limitReq() != null) {
            NginxConfig.LimitReq lr = c.limitReq();
            line(b, 2, "limit_req", "zone=lab_limit_req" + (lr.burst() == null || lr.burst() == 0 ? "" : " burst=" + lr.burst())
                    + (Boolean.TRUE.equals(lr.nodelay()) ? " nodelay" : ""));
            line(b, 2, "limit_req_status", String.valueOf(lr.status() == null ? 503 : lr.status()));
        }
        if (c.limitConn() != null) {
            NginxConfig.LimitConn lc = c.limitConn();
            line(b, 2, "limit_conn", "lab_limit_conn " + (lc.conn() == null ? 1 : lc.conn()));
            line(b, 2, "limit_conn_status", String.valueOf(lc.status() == null ? 503 : lc.status()));
        }
        for (String page : c.errorPages() == null ? List.<String>of() : c.errorPages()) {
            line(b, 2, "error_page", page.trim());
        }
        zone = 0;
        int index = 0;
        for (NginxConfig.Location l : locations) {
            index++;
            String match = l.prefix() == null ? "/" : l.prefix();
            if (match.matches(".*[{};\"'].*") || (match.matches(".*\\s.*") && !match.matches("(=|\\^~|~\\*?)\\s+\\S+"))) {
                // a match with a space, brace or semicolon in it is written quoted, as nginx reads it
                int space = match.indexOf(' ');
                boolean modifier = space > 0 && match.substring(0, space).matches("=|\\^~|~\\*?");
                String text = modifier ? match.substring(space + 1).strip() : match;
                match = (modifier ? match.substring(0, space) + " " : "") + "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
            b.append("        location ").append(match).append(" {\n");
            if (l.proxyPass() != null) {
                NginxLocationSpec.ProxyTarget pt = NginxLocationSpec.proxyTarget(l.proxyPass());
                boolean upstream = upstreams.stream().anyMatch(u -> u.name().equals(pt.name()));
                String target = upstream ? pt.name() : addresses.getOrDefault(pt.name(), pt.name());
                line(b, 3, "proxy_pass", "http://" + target + (pt.uri() == null ? "" : pt.uri()));
            }
            if (l.root() != null) {
                if (l.root().isEmpty()) {
                    b.append("            # the lab serves its built-in demo site here; point root at your files\n");
                    line(b, 3, "root", dir.toAbsolutePath().resolve("site").toString());
                } else {
                    line(b, 3, "root", l.root());
                }
            }
            if (l.limitReq() != null) {
                NginxConfig.LimitReq lr = l.limitReq();
                line(b, 3, "limit_req", "zone=lab_limit_req_" + index + (lr.burst() == null || lr.burst() == 0 ? "" : " burst=" + lr.burst())
                        + (Boolean.TRUE.equals(lr.nodelay()) ? " nodelay" : ""));
                line(b, 3, "limit_req_status", String.valueOf(lr.status() == null ? 503 : lr.status()));
            }
            if (l.limitConn() != null) {
                NginxConfig.LimitConn lc = l.limitConn();
                line(b, 3, "limit_conn", "lab_limit_conn_" + index + " " + (lc.conn() == null ? 1 : lc.conn()));
                line(b, 3, "limit_conn_status", String.valueOf(lc.status() == null ? 503 : lc.status()));
            }
            if (l.cache() != null) {
                zone++;
                NginxConfig.Cache k = l.cache();
                if (l.proxyPass() == null) {
                    b.append("            # proxy_cache has no effect without proxy_pass: files from disk are not cached by nginx "
                            + "(the OS page cache keeps them in memory)\n");
                }
                line(b, 3, "proxy_cache", "zone" + zone);
                line(b, 3, "proxy_cache_valid", "200 " + (k.valid() == null ? "10m" : duration(k.valid())));
                line(b, 3, "proxy_cache_bypass", "$http_cache_control $http_pragma");
                line(b, 3, "add_header", "X-Cache-Status $upstream_cache_status");
                if (k.useStale() != null && !k.useStale().isEmpty()) {
                    line(b, 3, "proxy_cache_use_stale", words(k.useStale()));
                }
                if (Boolean.TRUE.equals(k.backgroundUpdate())) {
                    line(b, 3, "proxy_cache_background_update", "on");
                }
                if (Boolean.TRUE.equals(k.revalidate())) {
                    line(b, 3, "proxy_cache_revalidate", "on");
                }
                if (k.noCache() != null && !k.noCache().isEmpty()) {
                    line(b, 3, "proxy_no_cache", words(k.noCache()));
                }
                if (Boolean.TRUE.equals(k.lock())) {
                    line(b, 3, "proxy_cache_lock", "on");
                }
                if (k.lockTimeout() != null) {
                    line(b, 3, "proxy_cache_lock_timeout", duration(k.lockTimeout()));
                }
                if (k.lockAge() != null) {
                    line(b, 3, "proxy_cache_lock_age", duration(k.lockAge()));
                }
                b.append("            # the lab does not cache responses larger than ")
                        .append(k.maxEntrySize() == null ? "1m" : k.maxEntrySize()).append("; nginx has no per-entry limit\n");
            }
            b.append("        }\n");
        }
        b.append("    }\n");
        if (where.statusListen() != null) {
            b.append("\n    # the lab's own window on this nginx: stub_status (connection counts), loopback only\n");
            b.append("    server {\n");
            line(b, 2, "listen", where.statusListen());
            line(b, 2, "access_log", "off");
            b.append("        location = /status {\n");
            line(b, 3, "stub_status", "");
            line(b, 3, "allow", "127.0.0.0/8");
            line(b, 3, "deny", "all");
            b.append("        }\n    }\n");
        }
        b.append("}\n");
        return b.toString();
    }

    private static void line(StringBuilder b, int depth, String name, String value) {
        b.append("    ".repeat(depth)).append(name);
        if (!value.isEmpty()) {
            b.append(' ').append(value);
        }
        b.append(";\n");
    }

    private static String str(Integer v) {
        return v == null ? null : v.toString();
    }

    private static String words(List<String> v) {
        return v == null || v.isEmpty() ? null : String.join(" ", v);
    }

    /** nginx's time syntax: whole seconds as "10s", otherwise milliseconds. */
    static String duration(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
