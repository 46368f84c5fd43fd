package dev.flowlab.topology;

import dev.flowlab.runtime.AddressPlan;
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
        ALLOWED.put(NodeKind.CLIENT, EnumSet.of(NodeKind.DNS, NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        // A DNS "link" is an A record pointing at the target's address.
        ALLOWED.put(NodeKind.DNS, EnumSet.of(NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT));
        ALLOWED.put(NodeKind.LVS, EnumSet.of(NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.NGINX, EnumSet.of(NodeKind.NGINX, NodeKind.GATEWAY, NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.GATEWAY, EnumSet.of(NodeKind.TOMCAT, NodeKind.EXTERNAL, NodeKind.NGINX));
        // A service calling another service.
        ALLOWED.put(NodeKind.TOMCAT, EnumSet.of(NodeKind.TOMCAT, NodeKind.EXTERNAL));
        ALLOWED.put(NodeKind.EXTERNAL, EnumSet.noneOf(NodeKind.class));
    }

    private static final Set<NodeKind> PROXIES = EnumSet.of(NodeKind.LVS, NodeKind.NGINX, NodeKind.GATEWAY);

    private final Scenario scenario;
    private final List<TopologyProblem> problems = new ArrayList<>();
    /** First node with each id; later duplicates are reported and otherwise ignored. */
    private final Map<String, NodeSpec> byId = new LinkedHashMap<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Graph<String, DefaultEdge> graph = new SimpleDirectedGraph<>(DefaultEdge.class);
    private final Map<DefaultEdge, Integer> linkOfEdge = new HashMap<>();

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
        v.checkScript();
        return List.copyOf(v.problems);
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
        if (clients.isEmpty()) {
            warning(null, null, "$.nodes", "no client node: the lab can serve, but `lab run` sends nothing");
            return;
        }
        Set<String> reached = new HashSet<>();
        for (NodeSpec c : clients) {
            new BreadthFirstIterator<>(graph, c.id()).forEachRemaining(reached::add);
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
            } else if (n.kind() == NodeKind.DNS) {
                error(n.id(), null, path, n.id() + " has no A records (link it to the nodes its name should resolve to)");
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
                address = AddressPlan.parseLoopback(n.id(), n.address());
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

    private static boolean looksLikeHostPort(String text) {
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
        problems.add(new TopologyProblem(Severity.ERROR, nodeId, link, path, message));
    }

    private void warning(String nodeId, Integer link, String path, String message) {
        problems.add(new TopologyProblem(Severity.WARNING, nodeId, link, path, message));
    }
}
