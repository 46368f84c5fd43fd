package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * Layer-7 reverse proxy, with nginx's directive names in camelCase and nginx's defaults
 * (shared/FIDELITY.md). Every field is nullable: null means nginx's default, or for
 * {@code upstreams} and {@code locations} the lab's default site: one upstream named after the
 * node with every linked node as a server ({@code keepalive 32}), {@code location /} proxied to
 * it, and {@code location /static/} served from the demo site on disk (no proxy cache: nginx's
 * proxy_cache only stores what is proxied).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"upstreams", "locations", "proxyConnectTimeout", "proxyReadTimeout", "proxySendTimeout",
    "proxyNextUpstream", "proxyNextUpstreamTries", "proxyNextUpstreamTimeout", "clientMaxBodySize",
    "largeClientHeaderBuffers", "keepaliveTimeout", "keepaliveRequests", "clientHeaderTimeout", "clientBodyTimeout",
    "workerConnections", "disableSymlinks", "proxyHttpVersion", "proxySetHeaders", "underscoresInHeaders", "limitReq", "serverTokens", "limitConn", "errorPages",
    "proxyIgnoreHeaders", "engine"})
public record NginxConfig(
        @Param(doc = "upstream blocks: named server pools. Unset: one pool named after the node, of every linked node (keepalive 32)")
        List<Upstream> upstreams,
        @Param(doc = "location blocks, chosen as nginx chooses: an exact (= /x) match, else the longest prefix (^~ stops there), "
                + "else the first regex (~, ~*) that matches, else that prefix. Unset: / proxied to the default pool, /static/ from the "
                + "demo site on disk")
        List<Location> locations,
        @Param(def = "60s", unit = "duration", min = 0, doc = "proxy_connect_timeout: to establish a connection with an upstream server")
        Duration proxyConnectTimeout,
        @Param(def = "60s", unit = "duration", min = 0, doc = "proxy_read_timeout: between two successive reads from the upstream, not for the whole response")
        Duration proxyReadTimeout,
        @Param(def = "60s", unit = "duration", min = 0, doc = "proxy_send_timeout: between two successive writes to the upstream")
        Duration proxySendTimeout,
        @Param(def = "", doc = "proxy_next_upstream: when to pass a request to the next server: error, timeout, invalid_header, "
                + "http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent, off. nginx default: error timeout")
        List<String> proxyNextUpstream,
        @Param(def = "0", unit = "tries", min = 0, max = 1000, doc = "proxy_next_upstream_tries: the most servers tried for one request; 0 = no limit")
        Integer proxyNextUpstreamTries,
        @Param(def = "0s", unit = "duration", min = 0, doc = "proxy_next_upstream_timeout: no further server is tried after this; 0 = no limit")
        Duration proxyNextUpstreamTimeout,
        @Param(def = "1m", unit = "size", doc = "client_max_body_size: larger request bodies get 413; 0 = no limit")
        String clientMaxBodySize,
        @Param(def = "4 8k", unit = "number size", doc = "large_client_header_buffers: a request line longer than one buffer gets 414, "
                + "a header line longer than one buffer or headers beyond all of them get 400 (Request Header Or Cookie Too Large)")
        String largeClientHeaderBuffers,
        @Param(def = "75s", unit = "duration", min = 0, doc = "keepalive_timeout: an idle client keep-alive connection is closed after this; 0 disables keep-alive")
        Duration keepaliveTimeout,
        @Param(def = "1000", unit = "requests", min = 0, max = 10_000_000, doc = "keepalive_requests: requests on one client connection before nginx closes it")
        Integer keepaliveRequests,
        @Param(def = "60s", unit = "duration", min = 0, doc = "client_header_timeout: the whole request header must arrive within this, else the connection is closed (408)")
        Duration clientHeaderTimeout,
        @Param(def = "60s", unit = "duration", min = 0, doc = "client_body_timeout: between two reads of the request body; then 408")
        Duration clientBodyTimeout,
        @Param(def = "1024", unit = "connections", min = 2, max = 1_000_000,
                doc = "worker_connections: the most connections open at once, clients and upstreams together; a new client past it is "
                        + "closed at once (nginx: 'worker_connections are not enough'). nginx counts it per worker process (default 512); "
                        + "the lab's node is one process standing for worker_processes auto on two cores, so its default is 2 x 512")
        Integer workerConnections,
        @Param(def = "off", oneOf = {"off", "on", "if_not_owner"},
                doc = "disable_symlinks: off follows symbolic links under a static root (nginx's default); on refuses a path with a "
                        + "symbolic link in it (403); if_not_owner refuses a link whose target has another owner")
        String disableSymlinks,
        @Param(def = "1.0", oneOf = {"1.0", "1.1"},
                doc = "proxy_http_version: the HTTP version of requests to upstreams. nginx's default 1.0 sends Connection: close, "
                        + "so an upstream keepalive pool needs 1.1 and proxySetHeaders [\"Connection:\"]. Unset upstreams (the lab's default site): 1.1")
        String proxyHttpVersion,
        @Param(def = "", doc = "proxy_set_header lines as \"Name: value\" (nginx variables allowed: $host, $remote_addr, "
                + "$proxy_add_x_forwarded_for, $proxy_host...); an empty value (\"Connection:\") sends no such header. "
                + "nginx's defaults: Host $proxy_host, Connection close")
        List<String> proxySetHeaders,
        @Param(def = "false", doc = "underscores_in_headers: off (nginx's default) ignores a client header whose name has an underscore "
                + "(ignore_invalid_headers on: it is not passed on); on lets it through")
        Boolean underscoresInHeaders,
        @Param(doc = "limit_req for every location: nginx's request rate limit per key (limit_req_zone $binary_remote_addr "
                + "rate=...), answered 503 beyond rate and burst. Unset: no limit")
        LimitReq limitReq,
        @Param(def = "on", oneOf = {"on", "off"},
                doc = "server_tokens: on (nginx's default) names the version in the Server header and on nginx's error pages "
                        + "(the lab's Nginx models nginx/1.22.1, and says so); off says just nginx")
        String serverTokens,
        @Param(doc = "limit_conn for every location: the most requests in progress at once per key (limit_conn_zone "
                + "$binary_remote_addr), the one past it answered 503. Unset: no limit")
        LimitConn limitConn,
        @Param(def = "", doc = "error_page lines as nginx writes them: \"502 503 /50x.html\" or \"404 =200 /empty.html\": an error "
                + "nginx itself answers (not an upstream's own error status) is answered by an internal redirect to that URI instead, "
                + "with the error's status (or the one after =)")
        List<String> errorPages,
        @Param(def = "", doc = "proxy_ignore_headers: upstream response headers nginx does not act on: X-Accel-Redirect, "
                + "X-Accel-Expires, Expires, Cache-Control, Set-Cookie, Vary (the cache then decides without them)")
        List<String> proxyIgnoreHeaders,
        @Param(def = "lab", oneOf = {"lab", "nginx"},
                doc = "what runs this node: lab (the lab's own Nginx tier) or nginx (the real nginx binary, started with this node's "
                        + "exported nginx.conf on the node's address and animated from its JSON access log; needs nginx installed)")
        String engine) implements NodeConfig {

    public static final NginxConfig EMPTY = new NginxConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null);

    /** The proxy_set_header lines the lab writes when proxySetHeaders is unset (the two lines of most nginx configs). */
    public static final List<String> LAB_SET_HEADERS = List.of("X-Real-IP: $remote_addr", "X-Forwarded-For: $proxy_add_x_forwarded_for");
    /** The same for the lab's default site (no upstreams written), whose keepalive 32 pool needs Connection "". */
    public static final List<String> LAB_SET_HEADERS_DEFAULT_SITE = List.of("X-Real-IP: $remote_addr",
            "X-Forwarded-For: $proxy_add_x_forwarded_for", "Connection: \"\"");

    /** proxy_http_version as the lab runs it: as written, else 1.1 for the default site (no upstreams written), else nginx's 1.0. */
    public static String effectiveProxyHttpVersion(NginxConfig raw) {
        if (raw != null && raw.proxyHttpVersion() != null) {
            return raw.proxyHttpVersion();
        }
        return raw == null || raw.upstreams() == null ? "1.1" : "1.0";
    }

    /** proxy_set_header lines as the lab runs them: as written, else {@link #LAB_SET_HEADERS} (or the default site's). */
    public static List<String> effectiveProxySetHeaders(NginxConfig raw) {
        if (raw != null && raw.proxySetHeaders() != null) {
            return raw.proxySetHeaders();
        }
        return raw == null || raw.upstreams() == null ? LAB_SET_HEADERS_DEFAULT_SITE : LAB_SET_HEADERS;
    }

    @Override
    public NodeKind kind() {
        return NodeKind.NGINX;
    }

    public NginxConfig withUpstreams(List<Upstream> value) {
        return new NginxConfig(value, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withLocations(List<Location> value) {
        return new NginxConfig(upstreams, value, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withTimeouts(Duration connect, Duration read, Duration send) {
        return new NginxConfig(upstreams, locations, connect, read, send, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withProxyNextUpstream(List<String> value, Integer tries, Duration timeout) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, value,
                tries, timeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withClientLimits(String maxBodySize, String headerBuffers) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, maxBodySize, headerBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withWorkerConnections(Integer value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, value, disableSymlinks, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withDisableSymlinks(String value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, value, proxyHttpVersion, proxySetHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withProxyHttpVersion(String version, List<String> setHeaders) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, version, setHeaders, underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withUnderscoresInHeaders(Boolean value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                value, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withEngine(String value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, value);
    }

    public NginxConfig withServerTokens(String value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, limitReq, value, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withLimitConn(LimitConn value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, limitReq, serverTokens, value, errorPages, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withErrorPages(List<String> value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, limitReq, serverTokens, limitConn, value, proxyIgnoreHeaders, engine);
    }

    public NginxConfig withProxyIgnoreHeaders(List<String> value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, limitReq, serverTokens, limitConn, errorPages, value, engine);
    }

    /** The Server header (and error page signature) as the lab sends it: nginx/1.22.1, or nginx with server_tokens off. */
    public String serverHeader() {
        return "off".equals(serverTokens) ? "nginx" : "nginx/" + NGINX_VERSION;
    }

    /** What proxy_ignore_headers takes, lowercased (nginx compares them ignoring case). */
    /**
     * The largest server weight the lab takes. nginx takes any positive weight (its weights are 64-bit):
     * the lab's smooth weighted round-robin counts in 32 bits, so a weight and an upstream's total stay below 2^31.
     */
    public static final int MAX_WEIGHT = 1_000_000;
    /** An upstream's largest total weight (the sum over its servers); see {@link #MAX_WEIGHT}. */
    public static final long MAX_TOTAL_WEIGHT = 1_000_000_000L;
    /**
     * The largest total weight of a {@code hash ... consistent} upstream. nginx builds 160 ring points per weight unit
     * (16 bytes each) at every configuration load: weight 5000 is 800,000 points, 0.25 s and 25 MB for nginx -t; at a
     * total of 2^31 nginx -t fails. The lab builds the same ring and stops at 10,000 (1.6 million points).
     */
    public static final int MAX_CONSISTENT_TOTAL_WEIGHT = 10_000;
    public static final java.util.Set<String> IGNORABLE_HEADERS = java.util.Set.of("x-accel-redirect", "x-accel-expires",
            "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset", "expires", "cache-control", "set-cookie", "vary");

    /** The nginx version the lab's Nginx tier models (and names with server_tokens on). */
    public static final String NGINX_VERSION = "1.22.1";

    /** Whether the real nginx binary runs this node ({@code "engine": "nginx"}) instead of the lab's own tier. */
    public boolean runsRealNginx() {
        return "nginx".equals(engine);
    }

    public NginxConfig withLimitReq(LimitReq value) {
        return new NginxConfig(upstreams, locations, proxyConnectTimeout, proxyReadTimeout, proxySendTimeout, proxyNextUpstream,
                proxyNextUpstreamTries, proxyNextUpstreamTimeout, clientMaxBodySize, largeClientHeaderBuffers, keepaliveTimeout,
                keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks, proxyHttpVersion, proxySetHeaders,
                underscoresInHeaders, value, serverTokens, limitConn, errorPages, proxyIgnoreHeaders, engine);
    }

    /** nginx's limit_req_zone and limit_req: a leaky bucket per key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"key", "rate", "burst", "nodelay", "status"})
    public record LimitReq(
            @Param(def = "$binary_remote_addr", doc = "the key requests are counted by (nginx variables: $binary_remote_addr, $uri, $http_NAME...)")
            String key,
            @Param(def = "10r/s", doc = "rate: requests per second (r/s) or per minute (r/m) the bucket leaks") String rate,
            @Param(def = "0", unit = "requests", min = 0, max = 1_000_000, doc = "burst: requests beyond the rate that may wait (or, "
                    + "with nodelay, pass at once); more are refused") Integer burst,
            @Param(def = "false", doc = "nodelay: requests within the burst are not delayed to the rate") Boolean nodelay,
            @Param(def = "503", min = 400, max = 599, doc = "limit_req_status: the status of a refused request") Integer status) {
    }

    /** One status of an error_page line: the URI it redirects to and the status answered (0: the error's own, -1: the page's own). */
    public record ErrorPage(String uri, int status) {
        /**
         * One error_page line: codes (300-599), an optional {@code =CODE} (the status answered instead;
         * a bare {@code =}: the redirected request's own status, -1 here), then the URI. As {@code nginx -t}: a code out of range is "value must be
         * between 300 and 599", a line without a URI or code is "invalid number of arguments".
         */
        public static java.util.Map<Integer, ErrorPage> parse(String line) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2) {
                throw new IllegalArgumentException("errorPages \"" + line + "\": invalid number of arguments in \"error_page\"");
            }
            String uri = words[words.length - 1];
            int answer = 0;
            int codesEnd = words.length - 1;
            if (words[codesEnd - 1].startsWith("=")) {
                codesEnd--;
                String eq = words[codesEnd].substring(1);
                try {
                    answer = eq.isEmpty() ? -1 : Integer.parseInt(eq);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("errorPages \"" + line + "\": invalid value \"" + words[codesEnd] + "\"");
                }
            }
            if (codesEnd == 0) {
                throw new IllegalArgumentException("errorPages \"" + line + "\": invalid number of arguments in \"error_page\"");
            }
            java.util.Map<Integer, ErrorPage> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < codesEnd; i++) {
                int code;
                try {
                    code = Integer.parseInt(words[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("errorPages \"" + line + "\": invalid value \"" + words[i] + "\"");
                }
                if (code == 499) {
                    throw new IllegalArgumentException("errorPages \"" + line + "\": invalid value \"499\"");
                }
                if (code < 300 || code > 599) {
                    throw new IllegalArgumentException("errorPages \"" + line + "\": value \"" + words[i] + "\" must be between 300 and 599");
                }
                out.put(code, new ErrorPage(uri, answer));
            }
            if (uri.equals("@")) {
                throw new IllegalArgumentException("errorPages \"" + line + "\": a named location needs a name (@name)");
            }
            return out;
        }
    }

    /** nginx's limit_conn_zone and limit_conn: requests in progress at once per key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"key", "conn", "status"})
    public record LimitConn(
            @Param(def = "$binary_remote_addr", doc = "the key requests are counted by (nginx variables: $binary_remote_addr, $uri, $http_NAME...)")
            String key,
            @Param(def = "1", unit = "requests", min = 1, max = 65_535, doc = "limit_conn's number: the most requests in progress at once "
                    + "per key (nginx counts a connection while a request of it is being answered)") Integer conn,
            @Param(def = "503", min = 400, max = 599, doc = "limit_conn_status: the status of a refused request") Integer status) {
    }

    /** The lab's upstreams when {@code upstreams} is unset: one named after the node, every linked node a server, keepalive 32. */
    public static List<Upstream> defaultUpstreams(String nodeId, List<String> linkedNodes) {
        return List.of(new Upstream(nodeId, null, null, null, 32, null, null, linkedNodes.stream().map(Server::node).toList()));
    }

    /** The lab's locations when {@code locations} is unset: /static/ from the demo site on disk, / proxied to {@code upstream}. */
    public static List<Location> defaultLocations(String upstream) {
        return List.of(Location.files("/static/", "", null), Location.proxy("/", upstream));
    }

    /** nginx's default when unset: {@code error timeout}. */
    public List<String> effectiveNextUpstream() {
        return proxyNextUpstream == null ? List.of("error", "timeout") : proxyNextUpstream;
    }

    /** An {@code upstream} block. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "balance", "hashKey", "consistent", "keepalive", "keepaliveTimeout", "keepaliveRequests", "servers"})
    public record Upstream(
            @Param(doc = "The upstream's name, which proxyPass refers to (and the Host header upstreams see: $proxy_host)")
            String name,
            @Param(def = "round_robin", oneOf = {"round_robin", "least_conn", "ip_hash", "hash"},
                    doc = "Balancing method: round_robin (nginx's default: smooth weighted), least_conn, ip_hash, hash")
            String balance,
            @Param(def = "", doc = "hash's key, with nginx variables: $request_uri, $uri, $args, $remote_addr, $host, $http_NAME, $arg_NAME, $cookie_NAME")
            String hashKey,
            @Param(def = "false", doc = "hash ... consistent: ketama consistent hashing (160 points per weight unit)")
            Boolean consistent,
            @Param(def = "0", unit = "connections", min = 0, max = 100_000,
                    doc = "keepalive: idle connections to the upstream's servers cached per worker (event loop), least recently used closed first. "
                            + "nginx default: off; the lab's default config sets 32")
            Integer keepalive,
            @Param(def = "60s", unit = "duration", min = 0, doc = "keepalive_timeout: an idle cached upstream connection is closed after this")
            Duration keepaliveTimeout,
            @Param(def = "1000", unit = "requests", min = 1, max = 10_000_000, doc = "keepalive_requests: requests over one cached upstream connection before it is closed")
            Integer keepaliveRequests,
            @Param(doc = "The servers: each a lab node id (node) or a host:port (address)")
            List<Server> servers) {
    }

    /** A {@code server} line of an upstream block. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"node", "address", "weight", "maxFails", "failTimeout", "backup", "down", "maxConns"})
    public record Server(
            @Param(doc = "A lab node (tomcat, gateway, external...) by id", refersTo = Param.NODE) String node,
            @Param(doc = "Or a host:port") String address,
            @Param(def = "1", min = 1, max = MAX_WEIGHT, doc = "weight (nginx takes any positive weight; the lab bounds it at 1,000,000, and a hash ... consistent "
                    + "upstream at a total of 10,000: 160 ring points per weight unit)") Integer weight,
            @Param(def = "1", min = 0, max = 1000, doc = "max_fails: failures within fail_timeout that make the server unavailable for fail_timeout; 0 = never")
            Integer maxFails,
            @Param(def = "10s", unit = "duration", min = 0, doc = "fail_timeout: the window for max_fails, and how long the server then stays unavailable")
            Duration failTimeout,
            @Param(def = "false", doc = "backup: used only when every primary server is unavailable (round_robin and least_conn only)") Boolean backup,
            @Param(def = "false", doc = "down: permanently unavailable") Boolean down,
            @Param(def = "0", unit = "connections", min = 0, max = 1_000_000, doc = "max_conns: the most active connections to this server; 0 = no limit")
            Integer maxConns) {

        public static Server node(String id) {
            return new Server(id, null, null, null, null, null, null, null);
        }

        public static Server address(String hostPort) {
            return new Server(null, hostPort, null, null, null, null, null, null);
        }

        public Server withWeight(Integer value) {
            return new Server(node, address, value, maxFails, failTimeout, backup, down, maxConns);
        }

        public Server withMaxFails(Integer value, Duration timeout) {
            return new Server(node, address, weight, value, timeout, backup, down, maxConns);
        }

        public Server withBackup(Boolean value) {
            return new Server(node, address, weight, maxFails, failTimeout, value, down, maxConns);
        }

        /** The name nginx shows for this server (and hashes, for consistent hashing). */
        public String displayName() {
            return node != null ? node : address;
        }
    }

    /** A {@code location} block: a prefix served from disk ({@code root}) or proxied ({@code proxyPass}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"prefix", "proxyPass", "root", "cache", "limitReq", "limitConn"})
    public record Location(
            @Param(doc = "The location's match as nginx writes it: a URI prefix (/static/), = /exact, ^~ /prefix/ (no regex search when it "
                    + "is the longest), ~ regex or ~* regex (case-insensitive)") String prefix,
            @Param(doc = "proxy_pass: the upstream's name (or a node id) requests go to, optionally with a URI part (tomcats/app/) that "
                    + "replaces the matched prefix", refersTo = {Param.UPSTREAM, Param.NODE}) String proxyPass,
            @Param(doc = "root: a directory the files are served from (the URI is appended). Empty string: the demo site") String root,
            @Param(doc = "proxy_cache for this location; unset: no cache. Only proxied responses are cached: with root (no proxyPass) "
                    + "nginx accepts it and does nothing") Cache cache,
            @Param(doc = "limit_req for this location (a zone of its own), in place of the node's limitReq, as a location's limit_req "
                    + "replaces the server's in nginx. Unset: the node's") LimitReq limitReq,
            @Param(doc = "limit_conn for this location (a zone of its own), in place of the node's limitConn, as a location's limit_conn "
                    + "replaces the server's in nginx. Unset: the node's") LimitConn limitConn) {

        public Location(String prefix, String proxyPass, String root, Cache cache) {
            this(prefix, proxyPass, root, cache, null, null);
        }

        public Location(String prefix, String proxyPass, String root, Cache cache, LimitReq limitReq) {
            this(prefix, proxyPass, root, cache, limitReq, null);
        }

        public Location withLimitReq(LimitReq value) {
            return new Location(prefix, proxyPass, root, cache, value, limitConn);
        }

        public Location withLimitConn(LimitConn value) {
            return new Location(prefix, proxyPass, root, cache, limitReq, value);
        }

        public static Location proxy(String prefix, String upstream) {
            return new Location(prefix, upstream, null, null);
        }

        public static Location files(String prefix, String root, Cache cache) {
            return new Location(prefix, null, root, cache);
        }
    }

    /** proxy_cache settings of one location (a zone of its own, bounded in entries and bytes). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"valid", "maxEntries", "maxSize", "maxEntrySize", "useStale", "backgroundUpdate", "revalidate", "noCache",
            "lock", "lockTimeout", "lockAge"})
    public record Cache(
            @Param(def = "10m", unit = "duration", min = 0, doc = "proxy_cache_valid 200 ...: how long a 200 response stays fresh") Duration valid,
            @Param(def = "1000", unit = "entries", min = 1, max = 1_000_000, doc = "keys_zone capacity: the most cached responses") Integer maxEntries,
            @Param(def = "16m", unit = "size", doc = "max_size: the most bytes the cache holds; least recently used entries leave first") String maxSize,
            @Param(def = "1m", unit = "size", doc = "responses larger than this are not cached") String maxEntrySize,
            @Param(def = "", doc = "proxy_cache_use_stale: when an expired entry may answer instead: error, timeout, invalid_header, "
                    + "updating, http_500, http_502, http_503, http_504, http_403, http_404, http_429, off. nginx default: off")
            List<String> useStale,
            @Param(def = "false", doc = "proxy_cache_background_update: with useStale updating, an expired entry is answered at once "
                    + "(STALE) while a background request refreshes it")
            Boolean backgroundUpdate,
            @Param(def = "false", doc = "proxy_cache_revalidate: refresh an expired entry with a conditional request "
                    + "(If-Modified-Since, If-None-Match); a 304 from the upstream answers REVALIDATED")
            Boolean revalidate,
            @Param(def = "", doc = "proxy_no_cache: nginx variables ($arg_nocache, $cookie_session, $http_authorization...); when any "
                    + "is not empty and not \"0\" the answer is not stored (the lookup still happens: proxy_cache_bypass decides that)")
            List<String> noCache,
            @Param(def = "false", doc = "proxy_cache_lock: of the requests for the same new entry only the first goes upstream; "
                    + "the others wait for it (looking again every 500 ms at most) and are answered from the cache (HIT)")
            Boolean lock,
            @Param(def = "5s", unit = "duration", min = 0, doc = "proxy_cache_lock_timeout: a waiter that waited this long goes upstream "
                    + "itself, and its answer is not stored")
            Duration lockTimeout,
            @Param(def = "5s", unit = "duration", min = 0, doc = "proxy_cache_lock_age: a fetch that has not completed in this time lets "
                    + "one more request go upstream (and take the lock)")
            Duration lockAge) {

        public static final Cache DEFAULT = new Cache(null, null, null, null);

        public Cache(Duration valid, Integer maxEntries, String maxSize, String maxEntrySize) {
            this(valid, maxEntries, maxSize, maxEntrySize, null, null, null, null, null, null, null);
        }

        public Cache(Duration valid, Integer maxEntries, String maxSize, String maxEntrySize, List<String> useStale,
                     Boolean backgroundUpdate, Boolean revalidate, List<String> noCache) {
            this(valid, maxEntries, maxSize, maxEntrySize, useStale, backgroundUpdate, revalidate, noCache, null, null, null);
        }

        public Cache withLock(Boolean value, Duration timeout, Duration age) {
            return new Cache(valid, maxEntries, maxSize, maxEntrySize, useStale, backgroundUpdate, revalidate, noCache, value, timeout, age);
        }

        public Cache withUseStale(List<String> value) {
            return new Cache(valid, maxEntries, maxSize, maxEntrySize, value, backgroundUpdate, revalidate, noCache, lock, lockTimeout, lockAge);
        }

        public Cache withBackgroundUpdate(Boolean value) {
            return new Cache(valid, maxEntries, maxSize, maxEntrySize, useStale, value, revalidate, noCache, lock, lockTimeout, lockAge);
        }

        public Cache withRevalidate(Boolean value) {
            return new Cache(valid, maxEntries, maxSize, maxEntrySize, useStale, backgroundUpdate, value, noCache, lock, lockTimeout, lockAge);
        }

        public Cache withNoCache(List<String> value) {
            return new Cache(valid, maxEntries, maxSize, maxEntrySize, useStale, backgroundUpdate, revalidate, value, lock, lockTimeout, lockAge);
        }
    }
}
