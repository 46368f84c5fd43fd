package dev.flowlab.topology;

import dev.flowlab.topology.TopologyProblem.Severity;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.BreadthFirstIterator;

/**
 * Checks a topology for what the lab cannot run (errors) and what is probably a mistake
 * (warnings). Pure: no sockets, no name resolution; the same checks serve file reads, `lab
 * validate` and the editor's live markers.
 */
public final class TopologyValidator {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Which kinds a kind may open connections to. Nothing links to a client; an external node links nowhere. */
    private static final Map<NodeKind, Set<NodeKind>> ALLOWED = new EnumMap<>(NodeKind.class);

    static {
        ALLOWED.put(NodeKind.CLIENT, EnumSet.of(NodeKind.DNS, NodeKind.ROUTER, NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        // A DNS "link" is an A record pointing at the target's address.
        ALLOWED.put(NodeKind.DNS, EnumSet.of(NodeKind.ROUTER, NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT));
        // A router's links are its ECMP next hops: the layer-4 balancers behind its address.
        ALLOWED.put(NodeKind.ROUTER, EnumSet.of(NodeKind.LVS));
        ALLOWED.put(NodeKind.LVS, EnumSet.of(NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.NGINX, EnumSet.of(NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.GATEWAY, EnumSet.of(NodeKind.TOMCAT, NodeKind.EXTERNAL, NodeKind.NGINX));
        // A service calling another service.
        ALLOWED.put(NodeKind.TOMCAT, EnumSet.of(NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.EXTERNAL, EnumSet.noneOf(NodeKind.class));
    }

    private static final Set<NodeKind> PROXIES = EnumSet.of(NodeKind.ROUTER, NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY);
    /**
     * Errors (and warnings) listed at most; the rest are counted. A file of a million unknown
     * server names would otherwise build a million messages nobody reads, and run out of memory.
     */
    public static final int MAX_LISTED = 1_000;

    private final Scenario scenario;
    private final List<TopologyProblem> problems = new ArrayList<>();
    /** First node with each id; later duplicates are reported and otherwise ignored. */
    private final Map<String, NodeSpec> byId = new LinkedHashMap<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Graph<String, DefaultEdge> graph = new SimpleDirectedGraph<>(DefaultEdge.class);
    private final Map<DefaultEdge, Integer> linkOfEdge = new HashMap<>();
    private int listedErrors;
    private int listedWarnings;
    private int unlistedErrors;
    private int unlistedWarnings;
    private String firstUnlistedError;
    private String firstUnlistedWarning;

    private TopologyValidator(Scenario scenario) {
        this.scenario = scenario;
    }

    public static List<TopologyProblem> validate(Scenario scenario) {
        TopologyValidator v = new TopologyValidator(scenario);
        v.checkNodes();
        v.checkLinks();
        v.checkCycles();
        v.checkReachability();
        v.checkOutgoing();
        v.checkAddresses();
        v.checkEcmpNextHops();
        v.checkServerLists();
        v.checkHaGroups();
        v.checkScript();
        v.summarizeUnlisted(Severity.ERROR, v.unlistedErrors, v.firstUnlistedError);
        v.summarizeUnlisted(Severity.WARNING, v.unlistedWarnings, v.firstUnlistedWarning);
        return List.copyOf(v.problems);
    }

    /** One more problem, where the first one not listed is, that says how many were not. */
    private void summarizeUnlisted(Severity severity, int count, String at) {
        if (count > 0) {
            String what = severity == Severity.ERROR ? "error" : "warning";
            problems.add(new TopologyProblem(severity, null, null, at, "and " + String.format(java.util.Locale.ROOT, "%,d", count)
                    + " more topology " + what + (count == 1 ? "" : "s") + " from here on (the first "
                    + String.format(java.util.Locale.ROOT, "%,d", MAX_LISTED) + " are listed)"));
        }
    }

    private void checkNodes() {
        List<NodeSpec> nodes = scenario.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            String path = nodePath(i);
            if (n.id().isEmpty()) {
                error(null, null, path + ".id", "node id is empty");
                continue;
            }
            if (!ID.matcher(n.id()).matches()) {
                error(n.id(), null, path + ".id", "node id '" + n.id() + "' may only contain letters, digits, '-', '_' and '.'");
            }
            if (byId.containsKey(n.id())) {
                error(n.id(), null, path + ".id", "duplicate node id '" + n.id() + "' (first used at " + nodePath(indexOf.get(n.id())) + ")");
                continue;
            }
            byId.put(n.id(), n);
            indexOf.put(n.id(), i);
            graph.addVertex(n.id());
        }
    }

    private void checkLinks() {
        List<LinkSpec> links = scenario.links();
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = links.get(i);
            String path = linkPath(i);
            if (l.from() == null || l.to() == null) {
                error(null, i, path, "a link needs both 'from' and 'to'");
                continue;
            }
            NodeSpec from = byId.get(l.from());
            NodeSpec to = byId.get(l.to());
            if (from == null) {
                error(null, i, path + ".from", "link from unknown node '" + l.from() + "'");
            }
            if (to == null) {
                error(null, i, path + ".to", "link to unknown node '" + l.to() + "'");
            }
            if (from == null || to == null) {
                continue;
            }
            if (l.from().equals(l.to())) {
                error(l.from(), i, path, "link from " + l.from() + " to itself");
                continue;
            }
            Integer first = seen.putIfAbsent(List.of(l.from(), l.to()), i);
            if (first != null) {
                error(l.from(), i, path, "duplicate link " + l.from() + " -> " + l.to() + " (first at " + linkPath(first) + ")");
                continue;
            }
            if (!ALLOWED.get(from.kind()).contains(to.kind())) {
                error(l.from(), i, path, kindMismatch(from, to));
                continue;
            }
            linkOfEdge.put(graph.addEdge(l.from(), l.to()), i);
        }
    }

    private static String kindMismatch(NodeSpec from, NodeSpec to) {
        String link = from.id() + " -> " + to.id();
        if (to.kind() == NodeKind.CLIENT) {
            return "a " + from.kind().id() + " cannot link to a client (" + link + "); nothing links to a client, it only opens connections";
        }
        Set<NodeKind> allowed = ALLOWED.get(from.kind());
        String targets = allowed.isEmpty() ? "nothing: it is a server outside the lab"
                : allowed.stream().map(NodeKind::id).collect(Collectors.joining(", "));
        return "a " + from.kind().id() + " cannot link to a " + to.kind().id() + " (" + link + "); a "
                + from.kind().id() + " links to " + targets;
    }

    /** One problem per strongly connected component: every such group holds at least one cycle. */
    private void checkCycles() {
        for (Set<String> component : new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
            if (component.size() < 2) {
                continue;
            }
            String start = component.stream().min((a, b) -> Integer.compare(indexOf.get(a), indexOf.get(b))).orElseThrow();
            List<String> cycle = shortestCycleThrough(start, component);
            DefaultEdge firstEdge = graph.getEdge(cycle.get(0), cycle.get(1));
            int link = linkOfEdge.get(firstEdge);
            error(start, link, linkPath(link), "links form a cycle: " + String.join(" -> ", cycle)
                    + " (a request would go round for ever)");
        }
    }

    private List<String> shortestCycleThrough(String start, Set<String> within) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (DefaultEdge e : graph.outgoingEdgesOf(at)) {
                String next = graph.getEdgeTarget(e);
                if (next.equals(start)) {
                    List<String> cycle = new ArrayList<>(List.of(start));
                    for (String n = at; !n.equals(start); n = cameFrom.get(n)) {
                        cycle.add(1, n);
                    }
                    cycle.add(start);
                    return cycle;
                }
                if (within.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start + " in its strongly connected component");
    }

    private void checkReachability() {
        List<NodeSpec> clients = byId.values().stream().filter(n -> n.kind() == NodeKind.CLIENT).toList();
        // An empty scenario (File > New) lacks nothing yet: no warning until there is a node.
        if (clients.isEmpty() && !byId.isEmpty()) {
            warning(null, null, "$.nodes", "no client node: the lab can serve, but `lab run` sends nothing");
            return;
        }
        if (clients.isEmpty()) {
            return;
        }
        Set<String> reached = new HashSet<>();
        for (NodeSpec c : clients) {
            new BreadthFirstIterator<>(graph, c.id()).forEachRemaining(reached::add);
        }
        // A link to one member of an HA group reaches the group's VIP, so the standby is reached too.
        for (HaGroup g : scenario.haGroups()) {
            if (g.members().stream().anyMatch(m -> reached.contains(m.node()))) {
                for (HaMember m : g.members()) {
                    if (m.node() != null && byId.containsKey(m.node())) {
                        new BreadthFirstIterator<>(graph, m.node()).forEachRemaining(reached::add);
                    }
                }
            }
        }
        for (NodeSpec n : byId.values()) {
            if (!reached.contains(n.id())) {
                warning(n.id(), null, nodePath(indexOf.get(n.id())), n.id() + " is not reachable from any client");
            }
        }
    }

    /** Counts every link out of a node, even ones reported above, so a typo is not reported twice. */
    private void checkOutgoing() {
        Set<String> withLinks = scenario.links().stream().map(LinkSpec::from).filter(f -> f != null).collect(Collectors.toSet());
        for (NodeSpec n : byId.values()) {
            if (withLinks.contains(n.id())) {
                continue;
            }
            String path = nodePath(indexOf.get(n.id()));
            if (PROXIES.contains(n.kind())) {
                error(n.id(), null, path, n.id() + " has no upstream (a " + n.kind().id() + " needs a link to the servers it forwards to)");
            } else if (n.kind() == NodeKind.DNS && !hasConfiguredAddresses(n)) {
                error(n.id(), null, path, n.id() + " has no A records (link it to the nodes its name should resolve to, "
                        + "or set config.addresses)");
            }
        }
    }

    private static boolean hasConfiguredAddresses(NodeSpec dns) {
        List<String> a = dns.configAs(DnsConfig.class).addresses();
        return a != null && !a.isEmpty();
    }

    /** A router's next hops take the connection over as in direct routing: an LVS in NAT cannot be one. */
    private void checkEcmpNextHops() {
        List<LinkSpec> links = scenario.links();
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = links.get(i);
            NodeSpec from = l.from() == null ? null : byId.get(l.from());
            NodeSpec to = l.to() == null ? null : byId.get(l.to());
            if (from == null || to == null || from.kind() != NodeKind.ROUTER || to.kind() != NodeKind.LVS) {
                continue;
            }
            String mode = to.configAs(LvsConfig.class).mode();
            if (mode != null && !"dr".equals(mode)) {
                error(to.id(), i, "$.links[" + i + "]", "router " + from.id() + " sends flows to " + to.id()
                        + ", which forwards in mode " + mode + "; an ECMP next hop must use direct routing (mode dr), as Maglev does");
            }
        }
    }

    private void checkAddresses() {
        Map<InetSocketAddress, String> fixed = new HashMap<>();
        for (NodeSpec n : byId.values()) {
            String path = nodePath(indexOf.get(n.id()));
            if (n.kind() == NodeKind.EXTERNAL) {
                String target = n.configAs(ExternalConfig.class).address();
                if (target == null || target.isBlank()) {
                    error(n.id(), null, path + ".config.address", "external node " + n.id() + " needs config.address (host:port of the real server)");
                } else if (!looksLikeHostPort(target)) {
                    error(n.id(), null, path + ".config.address", "external node " + n.id() + ": '" + target + "' is not host:port");
                }
            }
            if (n.address() == null || n.address().isBlank()) {
                continue;
            }
            if (!isLiteralHost(n.address())) {
                error(n.id(), null, path + ".address", "node " + n.id() + ": '" + n.address()
                        + "' is not a loopback address (127.x.x.x:port); the lab binds loopback only");
                continue;
            }
            InetSocketAddress address;
            try {
                address = Addresses.parseLoopback(n.id(), n.address());
            } catch (IllegalArgumentException e) {
                error(n.id(), null, path + ".address", e.getMessage());
                continue;
            }
            if (address.getPort() == 0) {
                continue;
            }
            String owner = fixed.putIfAbsent(address, n.id());
            if (owner != null) {
                error(n.id(), null, path + ".address", "address " + n.address() + " of " + n.id() + " is also fixed by " + owner);
            }
        }
    }

    /** An IP literal or localhost: anything else would need a name lookup, which a validator must not do. */
    private static boolean isLiteralHost(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        return host.equals("localhost") || IPV4.matcher(host).matches() || host.startsWith("[") || host.contains(":");
    }

    /** Upstreams, locations, real servers and routes that name nodes: what the node would refuse at start. */
    private void checkServerLists() {
        ServerListChecks checks = new ServerListChecks(byId, new ServerListChecks.Sink() {
            @Override
            public void error(String nodeId, String path, String message) {
                TopologyValidator.this.error(nodeId, null, path, message);
            }

            @Override
            public void warning(String nodeId, String path, String message) {
                TopologyValidator.this.warning(nodeId, null, path, message);
            }
        });
        for (NodeSpec n : byId.values()) {
            checks.check(n, nodePath(indexOf.get(n.id())) + ".config");
        }
    }

    /** Whether a node of kind {@code from} may open connections to one of kind {@code to} (link to it, name it as a server). */
    public static boolean canLink(NodeKind from, NodeKind to) {
        return ALLOWED.get(from).contains(to);
    }

    /** host:port with a port 1-65535 (no name lookup): what an external node, a server address or a proxy_pass may name. */
    public static boolean looksLikeHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void checkScript() {
        List<ScriptStep> steps = scenario.scriptSteps();
        for (int i = 0; i < steps.size(); i++) {
            String node = steps.get(i).node();
            if (node != null && !byId.containsKey(node)) {
                error(null, null, "$.script[" + i + "].node", "script step names unknown node '" + node + "'");
                continue;
            }
            String action = steps.get(i).action();
            if (node != null && ("partition".equals(action) || "heal".equals(action))) {
                checkPartitionStep(i, steps.get(i));
            } else if (node != null && ("kill-keepalived".equals(action) || "start-keepalived".equals(action))
                    && scenario.haGroupOf(node).isEmpty()) {
                error(node, null, "$.script[" + i + "].node", action + ": " + node
                        + " is not a member of an HA group, so it runs no keepalived");
            }
        }
    }

    /** A partition cuts the VRRP adverts between two members of one HA group. */
    private void checkPartitionStep(int index, ScriptStep step) {
        String path = "$.script[" + index + "]";
        String peer = step.params().get("peer");
        Optional<HaGroup> group = scenario.haGroupOf(step.node());
        if (group.isEmpty()) {
            error(step.node(), null, path + ".node", step.action() + ": " + step.node() + " is not a member of an HA group");
        } else if (peer == null && "partition".equals(step.action())) {
            error(step.node(), null, path + ".params", "partition needs params.peer: the other member whose adverts are cut");
        } else if (peer != null && group.get().member(peer).isEmpty()) {
            error(step.node(), null, path + ".params.peer", step.action() + ": " + peer + " is not a member of HA group "
                    + group.get().id() + " with " + step.node());
        }
    }

    /** Node kinds keepalived can front: the TCP tiers whose listener the VIP stands for. */
    private static final Set<NodeKind> HA_KINDS = EnumSet.of(NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT);

    private void checkHaGroups() {
        List<HaGroup> groups = scenario.haGroups();
        Map<String, String> groupOfNode = new HashMap<>();
        Map<String, Integer> groupIds = new HashMap<>();
        Map<Integer, String> routerIds = new HashMap<>();
        Map<InetSocketAddress, String> vips = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            HaGroup g = groups.get(i);
            String path = "$.haGroups[" + i + "]";
            if (g.id() == null || g.id().isBlank()) {
                error(null, null, path, "missing required field 'id' (a name for the HA group, e.g. \"nginx-ha\")");
            } else if (groupIds.putIfAbsent(g.id(), i) != null) {
                error(null, null, path + ".id", "duplicate HA group id '" + g.id() + "' (first used at $.haGroups[" + groupIds.get(g.id()) + "])");
            } else if (byId.containsKey(g.id())) {
                error(null, null, path + ".id", "HA group id '" + g.id() + "' is also a node id; give the group a name of its own");
            }
            String name = g.id() == null ? path : g.id();
            int routerId = g.virtualRouterId() == null ? 51 : g.virtualRouterId();
            String otherRouter = routerIds.putIfAbsent(routerId, name);
            if (otherRouter != null) {
                error(null, null, path + ".virtual_router_id", "virtual_router_id " + routerId + " of " + name
                        + " is also used by " + otherRouter + "; each VRRP instance needs its own");
            }
            checkVip(g, path, name, vips);
            checkAdvertInt(g, path, name);
            checkMembers(g, path, name, groupOfNode);
        }
    }

    private void checkVip(HaGroup g, String path, String name, Map<InetSocketAddress, String> vips) {
        if (g.vip() == null || g.vip().isBlank()) {
            return;
        }
        String hostPort = g.vip().contains(":") ? g.vip() : g.vip() + ":0";
        if (!isLiteralHost(hostPort)) {
            error(null, null, path + ".vip", "HA group " + name + ": vip '" + g.vip() + "' is not a loopback address (127.x.x.x or 127.x.x.x:port)");
            return;
        }
        try {
            InetSocketAddress vip = Addresses.parseLoopback(name, hostPort);
            if (vip.getPort() != 0) {
                String other = vips.putIfAbsent(vip, name);
                if (other != null) {
                    error(null, null, path + ".vip", "vip " + g.vip() + " of " + name + " is also the vip of " + other);
                }
                for (NodeSpec n : byId.values()) {
                    if (n.address() != null && n.address().equals(g.vip())) {
                        error(null, null, path + ".vip", "vip " + g.vip() + " of " + name + " is also the address of node " + n.id()
                                + "; a member keeps its own address and the VIP is an extra one");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            error(null, null, path + ".vip", e.getMessage().replace("node " + name + ": ", "HA group " + name + ": vip "));
        }
    }

    private void checkAdvertInt(HaGroup g, String path, String name) {
        if (g.advertInt() == null) {
            return;
        }
        if (g.advertInt().isZero() || g.advertInt().isNegative()) {
            error(null, null, path + ".advert_int", "HA group " + name + ": advert_int must be positive");
            return;
        }
        int version = g.vrrpVersion() == null ? 2 : g.vrrpVersion();
        if (version == 2 && g.advertInt().toNanos() % 1_000_000_000L != 0) {
            error(null, null, path + ".advert_int", "HA group " + name + ": VRRPv2 carries advert_int in whole seconds; "
                    + "set \"vrrp_version\": 3 for sub-second adverts such as " + Durations.format(g.advertInt()));
        } else if (version == 3 && g.advertInt().toMillis() % 10 != 0) {
            error(null, null, path + ".advert_int", "HA group " + name + ": VRRPv3 carries advert_int in centiseconds (10ms steps)");
        } else if (g.advertInt().compareTo(java.time.Duration.ofSeconds(40)) > 0) {
            error(null, null, path + ".advert_int", "HA group " + name + ": advert_int is at most 40s (VRRPv3's 12-bit field)");
        }
    }

    private void checkMembers(HaGroup g, String path, String name, Map<String, String> groupOfNode) {
        if (g.members().isEmpty()) {
            error(null, null, path + ".members", "HA group " + name + " has no members");
            return;
        }
        if (g.members().size() == 1) {
            warning(null, null, path + ".members", "HA group " + name + " has one member: nothing to fail over to");
        }
        NodeKind kind = null;
        Map<Integer, String> priorities = new HashMap<>();
        for (int j = 0; j < g.members().size(); j++) {
            HaMember m = g.members().get(j);
            String at = path + ".members[" + j + "]";
            if (m.node() == null || m.node().isBlank()) {
                error(null, null, at, "missing required field 'node' (the member's node id)");
                continue;
            }
            NodeSpec n = byId.get(m.node());
            if (n == null) {
                error(null, null, at + ".node", "HA group " + name + " names unknown node '" + m.node() + "'");
                continue;
            }
            if (!HA_KINDS.contains(n.kind())) {
                error(n.id(), null, at + ".node", "a " + n.kind().id() + " cannot be in an HA group (" + n.id()
                        + "); keepalived fronts lvs, nginx, gateway or tomcat nodes");
                continue;
            }
            if (n.config() instanceof NginxConfig nc && nc.runsRealNginx()) {
                error(n.id(), null, at + ".node", n.id() + " runs on the real nginx (\"engine\": \"nginx\") and cannot be in an HA group: "
                        + "the lab's keepalived moves a VIP between the lab's own listeners; set its engine to lab");
                continue;
            }
            String other = groupOfNode.putIfAbsent(n.id(), name);
            if (other != null) {
                error(n.id(), null, at + ".node", n.id() + " is already a member of HA group " + other);
                continue;
            }
            if (kind == null) {
                kind = n.kind();
            } else if (kind != n.kind()) {
                error(n.id(), null, at + ".node", "HA group " + name + " mixes a " + kind.id() + " and a " + n.kind().id()
                        + " (" + n.id() + "); members stand in for one another, so they are of one kind");
            }
            int priority = m.priority() == null ? 100 : m.priority();
            String same = priorities.putIfAbsent(priority, n.id());
            if (same != null) {
                warning(n.id(), null, at + ".priority", n.id() + " and " + same + " both have priority " + priority
                        + ": the election is decided by the higher address");
            }
            boolean startsMaster = "MASTER".equals(m.state());
            if (startsMaster && (Boolean.TRUE.equals(m.nopreempt()) || m.preemptDelay() != null)) {
                warning(n.id(), null, at + ".state", "keepalived ignores nopreempt and preempt_delay on an instance whose "
                        + "initial state is MASTER; set \"state\": \"BACKUP\" on " + n.id());
            }
        }
    }

    private static String nodePath(int index) {
        return "$.nodes[" + index + "]";
    }

    private static String linkPath(int index) {
        return "$.links[" + index + "]";
    }

    private void error(String nodeId, Integer link, String path, String message) {
        if (listedErrors < MAX_LISTED) {
            listedErrors++;
            problems.add(new TopologyProblem(Severity.ERROR, nodeId, link, path, message));
        } else if (unlistedErrors++ == 0) {
            firstUnlistedError = path;
        }
    }

    private void warning(String nodeId, Integer link, String path, String message) {
        if (listedWarnings < MAX_LISTED) {
            listedWarnings++;
            problems.add(new TopologyProblem(Severity.WARNING, nodeId, link, path, message));
        } else if (unlistedWarnings++ == 0) {
            firstUnlistedWarning = path;
        }
    }
}
