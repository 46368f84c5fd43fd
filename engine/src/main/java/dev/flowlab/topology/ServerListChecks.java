package dev.flowlab.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link TopologyValidator}'s checks of the lists in node configs that name other nodes:
 * nginx's upstreams and locations, LVS's real servers, the gateway's routes. Each finding is what
 * the node would refuse at start, so the editor can mark it before Start is pressed.
 */
final class ServerListChecks {
    /** Receives an error (or a warning) about a node's config at a JSON path. */
    interface Sink {
        void error(String nodeId, String path, String message);

        /** What nginx -t accepts but does not do what it reads like; warnings are dropped unless a sink wants them. */
        default void warning(String nodeId, String path, String message) {
        }
    }

    private final Map<String, NodeSpec> byId;
    private final Sink sink;

    ServerListChecks(Map<String, NodeSpec> byId, Sink sink) {
        this.byId = byId;
        this.sink = sink;
    }

    void check(NodeSpec node, String configPath) {
        if (node.config() instanceof NginxConfig c) {
            checkNginx(node.id(), c, configPath);
        } else if (node.config() instanceof LvsConfig c) {
            checkLvs(node.id(), c, configPath);
        } else if (node.config() instanceof GatewayConfig c) {
            checkGateway(node.id(), c, configPath);
        }
    }

    private void checkNginx(String id, NginxConfig c, String path) {
        Set<String> names = new HashSet<>();
        List<NginxConfig.Upstream> upstreams = c.upstreams() == null ? List.of() : c.upstreams();
        for (int i = 0; i < upstreams.size(); i++) {
            NginxConfig.Upstream u = upstreams.get(i);
            String at = path + ".upstreams[" + i + "]";
            String name = u.name() == null || u.name().isBlank() ? "#" + (i + 1) : u.name();
            if (u.name() == null || u.name().isBlank()) {
                sink.error(id, at + ".name", "upstream #" + (i + 1) + " of " + id + " has no name (locations' proxyPass refers to it by name)");
            } else if (!names.add(u.name())) {
                sink.error(id, at + ".name", "upstream " + u.name() + " of " + id + " is defined twice");
            }
            if ("hash".equals(u.balance()) && (u.hashKey() == null || u.hashKey().isBlank())) {
                sink.error(id, at + ".hashKey", "upstream " + name + " of " + id + " balances by hash but sets no hashKey");
            }
            List<NginxConfig.Server> servers = u.servers() == null ? List.of() : u.servers();
            if (servers.isEmpty()) {
                sink.error(id, at + ".servers", "upstream " + name + " of " + id + " has no servers (nginx -t: no servers are inside upstream)");
            }
            if (u.keepalive() != null && u.keepalive() == 0) {
                sink.error(id, at + ".keepalive", "upstream " + name + " of " + id + ": keepalive 0 is an invalid value in nginx "
                        + "(leave keepalive unset for no idle connections)");
            }
            long total = 0;
            for (NginxConfig.Server s : servers) {
                total += s.weight() == null ? 1 : Math.max(1, s.weight());
            }
            if (total > NginxConfig.MAX_TOTAL_WEIGHT) {
                sink.error(id, at + ".servers", "upstream " + name + " of " + id + ": the servers' weights add up to " + total
                        + "; the lab takes at most " + NginxConfig.MAX_TOTAL_WEIGHT + " (nginx takes more)");
            } else if ("hash".equals(u.balance()) && Boolean.TRUE.equals(u.consistent()) && total > NginxConfig.MAX_CONSISTENT_TOTAL_WEIGHT) {
                sink.error(id, at + ".servers", "upstream " + name + " of " + id + ": hash ... consistent with a total weight of " + total
                        + " would build " + total * 160 + " ring points (160 per weight unit, as nginx does); the lab takes a total of at most "
                        + NginxConfig.MAX_CONSISTENT_TOTAL_WEIGHT);
            }
            for (int j = 0; j < servers.size(); j++) {
                NginxConfig.Server s = servers.get(j);
                String where = "upstream " + name + " of " + id + ": server #" + (j + 1);
                checkServer(id, at + ".servers[" + j + "]", where, s.node(), s.address());
            }
        }
        if (c.limitReq() != null && c.limitReq().rate() != null && !c.limitReq().rate().trim().toLowerCase(java.util.Locale.ROOT)
                .matches("0*[1-9][0-9]{0,8}r/[sm]")) {
            sink.error(id, path + ".limitReq.rate", id + ": limitReq: invalid rate \"" + c.limitReq().rate()
                    + "\" (nginx writes it as 10r/s or 30r/m)");
        }
        List<String> pages = c.errorPages() == null ? List.of() : c.errorPages();
        for (int i = 0; i < pages.size(); i++) {
            try {
                NginxConfig.ErrorPage.parse(pages.get(i) == null ? "" : pages.get(i));
            } catch (IllegalArgumentException e) {
                sink.error(id, path + ".errorPages[" + i + "]", id + ": " + e.getMessage());
            }
        }
        List<String> ignored = c.proxyIgnoreHeaders() == null ? List.of() : c.proxyIgnoreHeaders();
        for (int i = 0; i < ignored.size(); i++) {
            if (!NginxConfig.IGNORABLE_HEADERS.contains(String.valueOf(ignored.get(i)).toLowerCase(java.util.Locale.ROOT))) {
                sink.error(id, path + ".proxyIgnoreHeaders[" + i + "]", id + ": proxyIgnoreHeaders: invalid value \"" + ignored.get(i)
                        + "\" (nginx takes X-Accel-Redirect, X-Accel-Expires, X-Accel-Limit-Rate, X-Accel-Buffering, X-Accel-Charset, "
                        + "Expires, Cache-Control, Set-Cookie, Vary)");
            }
        }
        if (c.locations() == null) {
            return;
        }
        Set<String> upstreamNames = c.upstreams() == null ? Set.of(id) : names;
        List<NginxLocationSpec> seen = new java.util.ArrayList<>();
        for (int i = 0; i < c.locations().size(); i++) {
            NginxConfig.Location l = c.locations().get(i);
            String at = path + ".locations[" + i + "]";
            String label = l.prefix() == null ? "#" + (i + 1) : l.prefix();
            NginxLocationSpec spec = null;
            try {
                // a prefix without a leading slash is what nginx makes of it: accepted, it never matches
                spec = NginxLocationSpec.parse(l.prefix());
            } catch (IllegalArgumentException e) {
                sink.error(id, at + ".prefix", "location #" + (i + 1) + " of " + id + ": " + e.getMessage());
            }
            if (spec != null) {
                for (NginxLocationSpec other : seen) {
                    if (spec.duplicates(other)) {
                        sink.error(id, at + ".prefix", "duplicate location \"" + spec.text() + "\" in " + id + " (nginx -t refuses it)");
                        break;
                    }
                }
                seen.add(spec);
            }
            if (l.limitReq() != null && l.limitReq().rate() != null && !l.limitReq().rate().trim().toLowerCase(java.util.Locale.ROOT)
                    .matches("0*[1-9][0-9]{0,8}r/[sm]")) {
                sink.error(id, at + ".limitReq.rate", "location " + label + " of " + id + ": limitReq: invalid rate \"" + l.limitReq().rate()
                        + "\" (nginx writes it as 10r/s or 30r/m)");
            }
            if (l.proxyPass() == null) {
                if (l.cache() != null) {
                    sink.warning(id, at + ".cache", "location " + label + " of " + id + ": proxy_cache has no effect without proxy_pass: "
                            + "files from disk are not cached by nginx; the OS page cache keeps them in memory");
                }
                continue;
            }
            NginxLocationSpec.ProxyTarget target = NginxLocationSpec.proxyTarget(l.proxyPass());
            if (!upstreamNames.contains(target.name()) && !byId.containsKey(target.name()) && !TopologyValidator.looksLikeHostPort(target.name())) {
                sink.error(id, at + ".proxyPass", "location " + label + " of " + id
                        + " proxies to '" + target.name() + "', which is neither an upstream of " + id + " nor a node nor a host:port");
            } else if (target.uri() != null && spec != null && (spec.modifier().isRegex() || spec.text().startsWith("@"))) {
                sink.error(id, at + ".proxyPass", "location " + label + " of " + id + ": \"proxy_pass\" cannot have URI part in "
                        + "location given by regular expression, or inside named location");
            }
        }
    }

    private void checkServer(String id, String at, String where, String node, String address) {
        if ((node == null) == (address == null)) {
            sink.error(id, at, where + " names " + (node == null ? "neither a node nor an address" : "both a node and an address") + "; give one");
        } else if (node != null && !byId.containsKey(node)) {
            sink.error(id, at + ".node", where + " names unknown node '" + node + "'");
        } else if (address != null && !TopologyValidator.looksLikeHostPort(address)) {
            sink.error(id, at + ".address", where + ": '" + address + "' is not host:port");
        }
    }

    private void checkLvs(String id, LvsConfig c, String path) {
        List<RealServerSpec> servers = c.realServers() == null ? List.of() : c.realServers();
        boolean directRouting = c.mode() == null || "dr".equals(c.mode());
        for (int i = 0; i < servers.size(); i++) {
            RealServerSpec s = servers.get(i);
            String at = path + ".realServers[" + i + "]";
            String where = id + ": real server #" + (i + 1);
            checkServer(id, at, where, s.node(), s.address());
            if (!directRouting) {
                continue;
            }
            NodeSpec target = s.node() == null ? null : byId.get(s.node());
            if (s.address() != null || (target != null && !target.kind().isLabServer())) {
                sink.error(id, at, where + " is outside the lab: direct routing (mode dr) hands connections to lab servers only; use mode nat");
            }
            if (s.port() != null) {
                sink.error(id, at + ".port", where + ": direct routing keeps the VIP's port; a real-server port needs mode nat");
            }
        }
    }

    private void checkGateway(String id, GatewayConfig c, String path) {
        List<GatewayConfig.Route> routes = c.routes() == null ? List.of() : c.routes();
        for (int i = 0; i < routes.size(); i++) {
            GatewayConfig.Route r = routes.get(i);
            String at = path + ".routes[" + i + "]";
            String name = r.id() != null && !r.id().isBlank() ? r.id() : r.path() != null ? r.path() : "#" + (i + 1);
            if (r.path() == null || !r.path().startsWith("/")) {
                sink.error(id, at + ".path", "route " + name + " of " + id + ": the path must start with /");
            }
            if (r.servers() == null) {
                continue;
            }
            if (r.servers().isEmpty()) {
                sink.error(id, at + ".servers", "route " + name + " of " + id + " has no servers (leave servers unset for every linked node)");
            }
            for (int j = 0; j < r.servers().size(); j++) {
                if (!byId.containsKey(r.servers().get(j))) {
                    sink.error(id, at + ".servers[" + j + "]", "route " + name + " of " + id + " names unknown server node '" + r.servers().get(j) + "'");
                }
            }
        }
    }
}
