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
import dev.flowlab.topology.Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
    record Route(String prefix, Upstream upstream, Path root, ProxyCache cache, String cacheHost) {
    }

    /** The proxy_set_header lines the lab writes when proxySetHeaders is unset (the two lines of most nginx configs). */
    static final List<String> LAB_SET_HEADERS = List.of("X-Real-IP: $remote_addr", "X-Forwarded-For: $proxy_add_x_forwarded_for");
    static final List<String> LAB_SET_HEADERS_DEFAULT_SITE = List.of("X-Real-IP: $remote_addr",
            "X-Forwarded-For: $proxy_add_x_forwarded_for", "Connection: \"\"");

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
        // The lab's default site (no upstreams written) is nginx.conf with proxy_http_version 1.1 and
        // proxy_set_header Connection "": its keepalive 32 pool is used. Written upstreams get nginx's defaults.
        boolean defaultSite = raw == null || raw.upstreams() == null;
        String version = raw == null || raw.proxyHttpVersion() == null ? (defaultSite ? "1.1" : "1.0") : raw.proxyHttpVersion();
        if (!version.equals("1.0") && !version.equals("1.1")) {
            throw new IllegalArgumentException("node " + context.id() + ": proxyHttpVersion must be 1.0 or 1.1, not " + version);
        }
        this.upstreamHttp11 = version.equals("1.1");
        proxySetHeaders.put("Host", "$proxy_host");
        proxySetHeaders.put("Connection", "close");
        List<String> lines = raw == null || raw.proxySetHeaders() == null
                ? (defaultSite ? LAB_SET_HEADERS_DEFAULT_SITE : LAB_SET_HEADERS) : raw.proxySetHeaders();
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

        List<NginxConfig.Upstream> blocks = config.upstreams() != null ? config.upstreams()
                : NginxConfig.defaultUpstreams(context.id(), context.downstream().stream().map(NodeSpec::id).toList())
                        .stream().map(Params::withDefaults).toList();
        for (NginxConfig.Upstream u : blocks) {
            if (u.name() == null || u.name().isBlank()) {
                throw new IllegalArgumentException("node " + context.id() + ": an upstream has no name");
            }
            upstreams.put(u.name(), build(u, context));
        }
        // From the file as written: Params.withDefaults would turn an absent cache into a default one.
        List<NginxConfig.Location> written = raw == null ? null : raw.locations();
        List<NginxConfig.Location> locations = written != null ? written : NginxConfig.defaultLocations(blocks.get(0).name());
        for (NginxConfig.Location l : locations) {
            routes.add(route(l, context));
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
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
        if (l.prefix() == null || !l.prefix().startsWith("/")) {
            throw new IllegalArgumentException("node " + context.id() + ": a location's prefix must start with /");
        }
        ProxyCache cache = null;
        if (l.cache() != null) {
            NginxConfig.Cache c = Params.withDefaults(l.cache());
            cache = new ProxyCache(c.valid().toNanos(), c.maxEntries(), Sizes.parse(c.maxSize()), Sizes.parse(c.maxEntrySize()),
                    c.useStale(), Boolean.TRUE.equals(c.backgroundUpdate()), Boolean.TRUE.equals(c.revalidate()));
        }
        if (l.proxyPass() != null) {
            Upstream up = upstreams.get(l.proxyPass());
            if (up == null) {
                // proxy_pass to a single host: nginx makes an implicit upstream of one server.
                if (context.scenario().node(l.proxyPass()).isEmpty()) {
                    throw new IllegalArgumentException("node " + context.id() + ": location " + l.prefix()
                            + " proxies to '" + l.proxyPass() + "', which is neither an upstream nor a node");
                }
                up = build(new NginxConfig.Upstream(l.proxyPass(), null, null, null, 0, Durations.parse("60s"), 1000,
                        List.of(Params.withDefaults(NginxConfig.Server.node(l.proxyPass())))), context);
                upstreams.put(l.proxyPass(), up);
            }
            return new Route(l.prefix(), up, null, cache, up.name());
        }
        Path root = l.root() == null || l.root().isBlank() ? context.siteRoot() : Path.of(l.root());
        return new Route(l.prefix(), null, root.toAbsolutePath().normalize(), cache, context.id());
    }

    /** The longest prefix that matches, or null (nginx: 404). */
    Route match(String path) {
        for (Route r : routes) {
            if (path.startsWith(r.prefix())) {
                return r;
            }
        }
        return null;
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
