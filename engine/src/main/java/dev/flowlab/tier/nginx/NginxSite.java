package dev.flowlab.tier.nginx;

import dev.flowlab.balance.Algorithm;
import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.balance.PeerSpec;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.NginxLocationSpec;
import dev.flowlab.topology.Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An nginx node's effective configuration, resolved once at creation: nginx's defaults filled in,
 * the lab's default site when the file sets no upstreams or locations, upstream blocks built,
 * locations ordered for longest-prefix matching.
 */
final class NginxSite {
    /** A location block as the request router uses it. */
    /**
     * One location: its match (a prefix, {@code = exact}, {@code ^~ prefix}, {@code ~ regex},
     * {@code ~* regex}) in {@code spec}; {@code prefix} is its text; {@code uriPart} the proxy_pass
     * URI part that replaces the matched prefix, or null (the client's URI goes up as it came).
     */
    record Route(String prefix, Upstream upstream, Path root, ProxyCache cache, String cacheHost, NginxLocationSpec spec, String uriPart,
                 RequestLimiter limitReq, ConnectionLimiter limitConn) {
        /** The proxy_pass URL as written, for proxy_redirect default: http://NAME + the URI part. */
        String proxyPassUrl() {
            return "http://" + upstream.proxyHost() + (uriPart == null ? "" : uriPart);
        }
    }

    /** What the location search found: a location, or a 301 to the URI with its slash (a proxied prefix ending in /). */
    record Match(Route route, String redirect) {
    }

    /** The proxy_set_header lines the lab writes when proxySetHeaders is unset (the two lines of most nginx configs). */
    static final List<String> LAB_SET_HEADERS = NginxConfig.LAB_SET_HEADERS;
    static final List<String> LAB_SET_HEADERS_DEFAULT_SITE = NginxConfig.LAB_SET_HEADERS_DEFAULT_SITE;

    final NginxConfig config;
    final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    final List<Route> routes = new ArrayList<>();
    final Set<NextUpstream> nextUpstream;
    final long connectTimeoutNanos;
    final long readTimeoutNanos;
    final long sendTimeoutNanos;
    final int nextUpstreamTries;
    final long nextUpstreamTimeoutNanos;
    final long maxBodyBytes;
    final int headerBufferBytes;
    final int headerBufferCount;
    final long keepaliveTimeoutNanos;
    final int keepaliveRequests;
    final long clientHeaderTimeoutNanos;
    final long clientBodyTimeoutNanos;
    final int workerConnections;
    final String disableSymlinks;
    /** underscores_in_headers on: client header names with '_' are kept. */
    final boolean underscoresInHeaders;
    /** limit_req for every location, or null. */
    final RequestLimiter limitReq;
    /** The Server header and the error pages' signature (server_tokens). */
    final String serverHeader;
    /** limit_conn for every location, or null. */
    final ConnectionLimiter limitConn;
    /** error_page: status to its page (URI, and the status answered, or 0 for the error's own). */
    final Map<Integer, NginxConfig.ErrorPage> errorPages = new java.util.HashMap<>();
    /** proxy_ignore_headers, lowercased. */
    final java.util.Set<String> ignoreHeaders = new java.util.HashSet<>();

    /** proxy_http_version 1.1 (else 1.0). */
    final boolean upstreamHttp11;
    /** proxy_set_header lines in order, name to value template; an empty value sends no such header. */
    final Map<String, String> proxySetHeaders = new LinkedHashMap<>();

    NginxSite(NodeContext context) {
        NginxConfig raw = context.spec().configAs(NginxConfig.class);
        this.config = Params.withDefaults(raw == null ? NginxConfig.EMPTY : raw);
        this.nextUpstream = NextUpstream.parse(config.effectiveNextUpstream());
        this.connectTimeoutNanos = config.proxyConnectTimeout().toNanos();
        this.readTimeoutNanos = config.proxyReadTimeout().toNanos();
        this.sendTimeoutNanos = config.proxySendTimeout().toNanos();
        this.nextUpstreamTries = config.proxyNextUpstreamTries();
        this.nextUpstreamTimeoutNanos = config.proxyNextUpstreamTimeout().toNanos();
        this.maxBodyBytes = Sizes.parse(config.clientMaxBodySize());
        long[] buffers = Sizes.parseBuffers(config.largeClientHeaderBuffers());
        this.headerBufferCount = (int) buffers[0];
        this.headerBufferBytes = (int) buffers[1];
        this.keepaliveTimeoutNanos = config.keepaliveTimeout().toNanos();
        this.keepaliveRequests = config.keepaliveRequests();
        this.clientHeaderTimeoutNanos = config.clientHeaderTimeout().toNanos();
        this.clientBodyTimeoutNanos = config.clientBodyTimeout().toNanos();
        this.workerConnections = config.workerConnections();
        this.disableSymlinks = config.disableSymlinks();
        this.underscoresInHeaders = Boolean.TRUE.equals(config.underscoresInHeaders());
        this.serverHeader = config.serverHeader();
        this.limitConn = raw == null || raw.limitConn() == null ? null : new ConnectionLimiter(Params.withDefaults(raw.limitConn()));
        for (String line : raw == null || raw.errorPages() == null ? List.<String>of() : raw.errorPages()) {
            try {
                errorPages.putAll(NginxConfig.ErrorPage.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node " + context.id() + ": " + e.getMessage());
            }
        }
        for (String h : raw == null || raw.proxyIgnoreHeaders() == null ? List.<String>of() : raw.proxyIgnoreHeaders()) {
            String name = String.valueOf(h).toLowerCase(java.util.Locale.ROOT);
            if (!NginxConfig.IGNORABLE_HEADERS.contains(name)) {
                throw new IllegalArgumentException("node " + context.id() + ": proxyIgnoreHeaders: invalid value \"" + h + "\"");
            }
            ignoreHeaders.add(name);
        }
        try {
            this.limitReq = raw == null || raw.limitReq() == null ? null : new RequestLimiter(raw.limitReq());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + context.id() + ": " + e.getMessage());
        }
        // The lab's default site (no upstreams written) is nginx.conf with proxy_http_version 1.1 and
        // proxy_set_header Connection "": its keepalive 32 pool is used. Written upstreams get nginx's defaults.
        boolean defaultSite = raw == null || raw.upstreams() == null;
        String version = NginxConfig.effectiveProxyHttpVersion(raw);
        if (!version.equals("1.0") && !version.equals("1.1")) {
            throw new IllegalArgumentException("node " + context.id() + ": proxyHttpVersion must be 1.0 or 1.1, not " + version);
        }
        this.upstreamHttp11 = version.equals("1.1");
        proxySetHeaders.put("Host", "$proxy_host");
        proxySetHeaders.put("Connection", "close");
        List<String> lines = NginxConfig.effectiveProxySetHeaders(raw);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("node " + context.id() + ": proxySetHeaders entry '" + line + "' is not \"Name: value\"");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            proxySetHeaders.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            proxySetHeaders.put(name, value);
        }

        if (raw != null && raw.upstreams() != null) {
            for (NginxConfig.Upstream u : raw.upstreams()) {
                if (u.keepalive() != null && u.keepalive() == 0) {
                    throw new IllegalArgumentException("node " + context.id() + ": upstream " + u.name()
                            + ": keepalive 0 is an invalid value in nginx (leave keepalive unset for no idle connections)");
                }
            }
        }
        List<NginxConfig.Upstream> blocks = config.upstreams() != null ? config.upstreams()
                : NginxConfig.defaultUpstreams(context.id(), context.downstream().stream().map(NodeSpec::id).toList())
                        .stream().map(Params::withDefaults).toList();
        for (NginxConfig.Upstream u : blocks) {
            if (u.name() == null || u.name().isBlank()) {
                throw new IllegalArgumentException("node " + context.id() + ": an upstream has no name");
            }
            if (config.upstreams() != null && (u.servers() == null || u.servers().isEmpty())) {
                throw new IllegalArgumentException("node " + context.id() + ": upstream " + u.name() + " has no servers "
                        + "(nginx -t: no servers are inside upstream)");
            }
            upstreams.put(u.name(), build(u, context));
        }
        // From the file as written: Params.withDefaults would turn an absent cache into a default one.
        List<NginxConfig.Location> written = raw == null ? null : raw.locations();
        List<NginxConfig.Location> locations = written != null ? written : NginxConfig.defaultLocations(blocks.get(0).name());
        for (NginxConfig.Location l : locations) {
            Route r = route(l, context);
            for (Route other : routes) {
                if (r.spec().duplicates(other.spec())) {
                    throw new IllegalArgumentException("node " + context.id() + ": duplicate location \"" + r.prefix() + "\"");
                }
            }
            routes.add(r);
        }
    }

    private Upstream build(NginxConfig.Upstream u, NodeContext context) {
        Algorithm algorithm = Algorithm.of(u.balance(), Boolean.TRUE.equals(u.consistent()));
        if (algorithm.usesKey() && (u.hashKey() == null || u.hashKey().isBlank())) {
            throw new IllegalArgumentException("node " + context.id() + ": upstream " + u.name() + " uses hash but sets no hashKey");
        }
        List<NginxConfig.Server> servers = u.servers() == null ? List.of() : u.servers();
        List<PeerSpec> specs = new ArrayList<>();
        for (NginxConfig.Server s : servers) {
            if ((s.node() == null) == (s.address() == null)) {
                throw new IllegalArgumentException("node " + context.id() + ": each server of upstream " + u.name()
                        + " names either a node or an address");
            }
            specs.add(new PeerSpec(s.displayName(), s.weight(), s.maxFails(), s.failTimeout().toNanos(),
                    s.backup(), s.down(), s.maxConns()));
        }
        PeerGroup group = specs.isEmpty() ? null : new PeerGroup(u.name(), algorithm, specs, new HealthEvents(context, u.name()));
        KeepalivePool pool = new KeepalivePool(u.keepalive(), u.keepaliveTimeout().toNanos(), u.keepaliveRequests());
        return new Upstream(u.name(), group, pool, u.hashKey(), servers, context);
    }

    private Route route(NginxConfig.Location l, NodeContext context) {
        NginxLocationSpec spec;
        try {
            spec = NginxLocationSpec.parse(l.prefix());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + context.id() + ": " + e.getMessage());
        }
        RequestLimiter limiter;
        try {
            limiter = l.limitReq() == null ? null : new RequestLimiter(l.limitReq());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + context.id() + ": location " + l.prefix() + ": " + e.getMessage());
        }
        ConnectionLimiter connLimiter;
        try {
            connLimiter = l.limitConn() == null ? null : new ConnectionLimiter(Params.withDefaults(l.limitConn()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + context.id() + ": location " + l.prefix() + ": " + e.getMessage());
        }
        ProxyCache cache = null;
        if (l.cache() != null) {
            NginxConfig.Cache c = Params.withDefaults(l.cache());
            cache = new ProxyCache(c.valid().toNanos(), c.maxEntries(), Sizes.parse(c.maxSize()), Sizes.parse(c.maxEntrySize()),
                    c.useStale(), Boolean.TRUE.equals(c.backgroundUpdate()), Boolean.TRUE.equals(c.revalidate())).withNoCache(c.noCache())
                    .withLock(Boolean.TRUE.equals(c.lock()), c.lockTimeout().toNanos(), c.lockAge().toNanos());
        }
        if (l.proxyPass() != null) {
            NginxLocationSpec.ProxyTarget target = NginxLocationSpec.proxyTarget(l.proxyPass());
            if (target.uri() != null && (spec.modifier().isRegex() || spec.text().startsWith("@"))) {
                throw new IllegalArgumentException("node " + context.id() + ": location " + l.prefix()
                        + ": \"proxy_pass\" cannot have URI part in location given by regular expression, or inside named location");
            }
            Upstream up = upstreams.get(target.name());
            if (up == null) {
                // proxy_pass to a single host: nginx makes an implicit upstream of one server, and its
                // $proxy_host (the Host upstreams get, the cache key's host) is that host:port
                boolean node = context.scenario().node(target.name()).isPresent();
                if (!node && !hostPort(target.name())) {
                    throw new IllegalArgumentException("node " + context.id() + ": location " + l.prefix()
                            + " proxies to '" + target.name() + "', which is neither an upstream nor a node nor a host:port");
                }
                NginxConfig.Server one = node ? NginxConfig.Server.node(target.name()) : NginxConfig.Server.address(target.name());
                up = build(new NginxConfig.Upstream(target.name(), null, null, null, 0, Durations.parse("60s"), 1000,
                        List.of(Params.withDefaults(one))), context);
                java.net.InetSocketAddress at = node ? context.addressOf(target.name()) : null;
                up.withProxyHost(at == null ? target.name() : at.getAddress().getHostAddress() + ":" + at.getPort());
                upstreams.put(target.name(), up);
            }
            return new Route(spec.text(), up, null, cache, up.proxyHost(), spec, target.uri(), limiter, connLimiter);
        }
        Path root = l.root() == null || l.root().isBlank() ? context.siteRoot() : Path.of(l.root());
        // nginx -t takes proxy_cache in a location without proxy_pass, but the cache only ever stores what
        // is proxied: files from disk are never stored nor labelled X-Cache-Status (lab validate warns).
        return new Route(spec.text(), null, root.toAbsolutePath().normalize(), null, context.id(), spec, null, limiter, connLimiter);
    }

    /** host:port with a port 1-65535, as the validator takes it (TopologyValidator.looksLikeHostPort). */
    private static boolean hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || text.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The location for a normalized URI, or null (nginx: 404). */
    Route match(String path) {
        Match m = find(path);
        return m == null ? null : m.route();
    }

    /**
     * ngx_http_core_find_location: an exact location ({@code =}) equal to the URI wins; else the
     * longest matching prefix is remembered, and if it is {@code ^~} it wins; else the regexes are
     * tried in the order written and the first that matches wins; else the remembered prefix. A URI
     * that is a proxied prefix location's name without its final slash is answered with a 301 to it
     * (nginx's auto_redirect), whatever a shorter prefix or a regex would have said.
     */
    /** A named location ({@code location @name}): never matched by a URI, only by error_page and X-Accel-Redirect. Null: none. */
    Route named(String name) {
        for (Route r : routes) {
            if (r.prefix().equals(name)) {
                return r;
            }
        }
        return null;
    }

    Match find(String path) {
        Route longest = null;
        for (Route r : routes) {
            NginxLocationSpec.Modifier m = r.spec().modifier();
            if (m == NginxLocationSpec.Modifier.EXACT && path.equals(r.prefix())) {
                return new Match(r, null);
            }
        }
        for (Route r : routes) {
            NginxLocationSpec.Modifier m = r.spec().modifier();
            if (m.isRegex()) {
                continue;
            }
            if (r.upstream() != null && r.prefix().endsWith("/") && path.length() + 1 == r.prefix().length()
                    && r.prefix().startsWith(path)) {
                return new Match(r, r.prefix());
            }
            if (m != NginxLocationSpec.Modifier.EXACT && path.startsWith(r.prefix())
                    && (longest == null || r.prefix().length() > longest.prefix().length())) {
                longest = r;
            }
        }
        if (longest != null && longest.spec().modifier() == NginxLocationSpec.Modifier.PREFERENTIAL) {
            return new Match(longest, null);
        }
        for (Route r : routes) {
            if (r.spec().modifier().isRegex() && r.spec().regex().matcher(path).find()) {
                return new Match(r, null);
            }
        }
        return longest == null ? null : new Match(longest, null);
    }

    /** Passive health decisions become events (and a log line, as nginx's "upstream server temporarily disabled"). */
    private record HealthEvents(NodeContext context, String upstream) implements PeerGroup.HealthListener {
        @Override
        public void serverDown(Peer peer, int fails, long failTimeoutNanos) {
            context.emit(EventType.SERVER_DOWN, peer.name(), null, 0, 0, new Fact.ServerDown("upstream " + upstream, peer.name(),
                    fails, failTimeoutNanos, "upstream " + upstream + ": server " + peer.name()
                    + " temporarily disabled after " + fails + " failure(s), for fail_timeout "
                    + Durations.format(java.time.Duration.ofNanos(failTimeoutNanos))));
        }

        @Override
        public void serverUp(Peer peer) {
            context.emit(EventType.SERVER_UP, peer.name(), null, 0, 0, new Fact.ServerUp("upstream " + upstream, peer.name(),
                    "upstream " + upstream + ": server " + peer.name() + " answered again after fail_timeout: back in rotation"));
        }
    }

}
