package dev.flowlab.export;

import dev.flowlab.export.NginxConfParser.Directive;
import dev.flowlab.export.NginxConfParser.SyntaxError;
import dev.flowlab.scenario.ScenarioCheck;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.ExternalConfig;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NginxLocationSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lab import nginx.conf}: an existing nginx configuration as a lab topology with the same settings. Every
 * {@code server} block of {@code http} becomes an Nginx node (its listen, locations, and the upstreams they proxy to);
 * every upstream server (and every address a proxy_pass names directly) becomes a Tomcat or an external node; a client
 * node is added in front. Whatever the lab does not model is a {@link Note} with file:line and the directive, never
 * silently dropped. A file the lab itself exported imports back to the same Nginx settings: the exporter writes
 * "# lab node ID" above each upstream server, and the importer names the node so.
 */
public final class NginxImporter {
    /** What upstream servers become. */
    public enum Upstreams {
        /** lab Tomcats (the default: the topology runs on its own). */
        TOMCAT,
        /** external nodes at the servers' addresses (the lab's Nginx in front of the real servers). */
        EXTERNAL
    }

    /** One line of the import report: where, the directive as written, and what happened to it. */
    public record Note(String file, int line, String directive, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": `" + directive + "` " + message;
        }
    }

    /** The topology and the report. */
    public record Result(Scenario scenario, List<Note> notes) {
        public List<String> report() {
            return notes.stream().map(Note::toString).toList();
        }
    }

    private static final String NOT_MODELLED = "is not modelled by the lab";
    private static final Set<String> PROCESS = Set.of("user", "pid", "daemon", "master_process", "error_log", "worker_rlimit_nofile",
            "worker_priority", "worker_cpu_affinity", "worker_shutdown_timeout", "load_module", "env", "lock_file", "thread_pool", "pcre_jit",
            "timer_resolution", "working_directory", "access_log", "log_format", "client_body_temp_path", "proxy_temp_path",
            "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path", "open_log_file_cache");
    private static final Pattern LAB_NODE = Pattern.compile("lab node (\\S+)");
    /** The export's comments, read back so that a lab export imports to the same settings. */
    private static final Pattern LAB_ENTRIES = Pattern.compile("the lab caches at most (\\d+) entries.*");
    private static final String LAB_DEMO_SITE = "the lab serves its built-in demo site here";
    private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h|d|w|M|y)?");

    private final Upstreams as;
    private final String source;
    private final List<Note> notes = new ArrayList<>();
    /** Upstream server nodes by address, in the order met. */
    private final Map<String, NodeSpec> serverNodes = new LinkedHashMap<>();
    private final Set<String> ids = new LinkedHashSet<>();
    private final Map<String, Up> upstreams = new LinkedHashMap<>();
    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private final Map<String, String[]> limitZones = new LinkedHashMap<>();
    /** limit_conn_zone: zone name to key. */
    private final Map<String, String> connZones = new LinkedHashMap<>();
    private final Set<String> usedUpstreams = new LinkedHashSet<>();
    private final Set<String> inactiveNoted = new LinkedHashSet<>();
    private final Set<String> listens = new LinkedHashSet<>();
    private Integer workerConnections;
    private String workerProcesses;
    private Directive workerProcessesAt;

    /** An upstream block as read: its servers' node is their address until the upstream is used (then a node each). */
    private record Up(NginxConfig.Upstream upstream, Map<String, String> labNames, Directive at) {
    }

    /** A proxy_cache_path zone: its size in the lab's entries (about 8000 per MB, or what a lab export's comment says). */
    private record Zone(int entries, String maxSize, Duration inactive, Directive at) {
    }

    private NginxImporter(Upstreams as, String source) {
        this.as = as;
        this.source = source;
    }

    /** Imports a file (includes relative to its folder). */
    public static Result importFile(Path file, Upstreams as) throws SyntaxError {
        return new NginxImporter(as, file.getFileName().toString()).run(NginxConfParser.parse(file));
    }

    /** Imports text as if it were the file {@code name} in {@code dir}. */
    public static Result importText(String text, String name, Path dir, Upstreams as) throws SyntaxError {
        return new NginxImporter(as, name).run(NginxConfParser.parse(text, name, dir));
    }

    private void note(Directive d, String message) {
        notes.add(new Note(d.file(), d.line(), d.text(), message));
    }

    private void notModelled(Directive d) {
        if (d.block() != null) {
            note(d, "{ ... } " + NOT_MODELLED + " (the block and everything in it)");
        } else if (PROCESS.contains(d.name())) {
            note(d, NOT_MODELLED + " (a process or log setting: the lab runs the node inside its own process)");
        } else {
            note(d, NOT_MODELLED);
        }
    }

    private Result run(List<Directive> top) {
        Directive http = null;
        for (Directive d : top) {
            switch (d.name()) {
                case "events" -> {
                    for (Directive e : d.block() == null ? List.<Directive>of() : d.block()) {
                        if (e.name().equals("worker_connections") && e.args().size() == 1 && e.arg(0).matches("\\d+")) {
                            workerConnections = Integer.parseInt(e.arg(0));
                        } else {
                            notModelled(e);
                        }
                    }
                }
                case "worker_processes" -> {
                    workerProcesses = d.arg(0);
                    workerProcessesAt = d;
                }
                case "http" -> {
                    if (http != null) {
                        note(d, "is a second http block: nginx refuses it (\"http\" directive is duplicate); not imported");
                    } else {
                        http = d;
                    }
                }
                default -> notModelled(d);
            }
        }
        if (http == null || http.block() == null) {
            throw new IllegalArgumentException(source + ": no http { ... } block: nothing for the lab's Nginx to import");
        }
        List<Directive> body = http.block();
        Settings httpSettings = new Settings();
        Inherited httpInherited = new Inherited();
        // First pass: the http-level tables (upstreams, cache zones, rate zones) that servers refer to.
        for (Directive d : body) {
            switch (d.name()) {
                case "upstream" -> upstream(d);
                case "proxy_cache_path" -> cachePath(d);
                case "limit_req_zone" -> limitReqZone(d);
                case "limit_conn_zone" -> {
                    String zone = d.args().stream().filter(a -> a.startsWith("zone=")).map(a -> a.substring(5).split(":")[0]).findFirst().orElse(null);
                    if (d.args().isEmpty() || zone == null) {
                        note(d, "has no zone=: not imported");
                    } else {
                        connZones.put(zone, d.arg(0));
                    }
                }
                default -> {
                }
            }
        }
        List<Directive> servers = new ArrayList<>();
        for (Directive d : body) {
            switch (d.name()) {
                case "upstream", "proxy_cache_path", "limit_req_zone", "limit_conn_zone" -> {
                }
                case "server" -> {
                    if (d.block() == null) {
                        note(d, "is not a block (server { ... }): not imported");
                    } else {
                        servers.add(d);
                    }
                }
                default -> {
                    if (!httpSettings.apply(d, this) && !httpInherited.apply(d, this)) {
                        notModelled(d);
                    }
                }
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(http.where() + ": the http block has no server { ... } block: nothing listens, nothing to import");
        }
        // the upstream servers' nodes first, named in the order the upstreams are defined
        Set<String> proxied = new LinkedHashSet<>();
        servers.forEach(sv -> proxied(sv.block(), proxied));
        upstreams.keySet().stream().filter(proxied::contains).forEach(this::resolved);
        Integer connections = workerConnections();
        List<NodeSpec> nodes = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        nodes.add(new NodeSpec("client", NodeKind.CLIENT, "Clients", new Position(100, 250), null, ClientConfig.EMPTY));
        ids.add("client");
        List<NodeSpec> nginxNodes = new ArrayList<>();
        Map<String, List<String>> nginxLinks = new LinkedHashMap<>();
        int index = 0;
        for (Directive server : servers) {
            index++;
            String id = fresh("nginx-" + index);
            List<String> linked = new ArrayList<>();
            NodeSpec n = server(server, id, httpSettings.copy(), httpInherited.copy(), connections, linked, index, servers.size());
            nginxNodes.add(n);
            nginxLinks.put(id, linked);
        }
        for (Map.Entry<String, Up> u : upstreams.entrySet()) {
            if (!usedUpstreams.contains(u.getKey())) {
                Directive at = u.getValue().at();
                notes.add(new Note(at.file(), at.line(), "upstream " + u.getKey(), "is not used by any proxy_pass, so it was not imported"));
            }
        }
        nodes.addAll(nginxNodes);
        int y = 0;
        int count = Math.max(1, serverNodes.size());
        for (NodeSpec s : serverNodes.values()) {
            nodes.add(s.withPosition(new Position(650, 250 + (y - (count - 1) / 2.0) * 150)));
            y++;
        }
        for (NodeSpec n : nginxNodes) {
            links.add(LinkSpec.of("client", n.id()));
            for (String to : nginxLinks.get(n.id())) {
                links.add(LinkSpec.of(n.id(), to));
            }
        }
        Scenario s = new Scenario(Scenario.FORMAT, "Imported from " + source,
                "Imported by lab import from " + source + " (" + (as == Upstreams.TOMCAT ? "upstream servers as lab Tomcats"
                        : "upstream servers as external nodes") + "). " + notes.size() + " directive(s) could not be mapped; "
                        + "lab import lists them with file:line.",
                nodes, links, null, null);
        // The lab's own check: an import that does not validate says why, and where.
        ScenarioCheck check = ScenarioIO.check(ScenarioIO.toJson(s), source + " (imported)");
        for (ScenarioProblem p : check.errors()) {
            notes.add(new Note(source, 0, "topology", "does not validate in the lab: " + p.message()));
        }
        // the report in file order: the main file, then the included files by name, each by line
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(java.util.Comparator.comparing((Note n) -> !n.file().equals(source)).thenComparing(Note::file).thenComparingInt(Note::line));
        return new Result(s, List.copyOf(sorted));
    }

    private Integer workerConnections() {
        if (workerConnections == null && workerProcesses == null) {
            return null;
        }
        int per = workerConnections == null ? 512 : workerConnections;
        int procs = 1;
        if (workerProcesses != null) {
            if (workerProcesses.equals("auto")) {
                procs = 2;
                note(workerProcessesAt, "is one process in the lab standing for two cores: workerConnections = 2 x " + per);
            } else if (workerProcesses.matches("\\d+")) {
                procs = Integer.parseInt(workerProcesses);
                if (procs != 1) {
                    note(workerProcessesAt, "is one process in the lab: workerConnections = " + procs + " x " + per + " (nginx counts per worker)");
                }
            } else {
                note(workerProcessesAt, "is not a number or auto: taken as 1");
            }
        }
        return Math.max(2, per * procs);
    }

    private String fresh(String want) {
        String id = want;
        int n = 2;
        while (ids.contains(id)) {
            id = want + "-" + n++;
        }
        ids.add(id);
        return id;
    }

    // ---- upstream blocks ----

    private void upstream(Directive d) {
        if (d.block() == null || d.args().size() != 1) {
            note(d, "needs one name and a block: not imported");
            return;
        }
        String balance = null;
        String hashKey = null;
        Boolean consistent = null;
        Integer keepalive = null;
        Duration keepaliveTimeout = null;
        Integer keepaliveRequests = null;
        List<NginxConfig.Server> servers = new ArrayList<>();
        Map<String, String> labNames = new LinkedHashMap<>();
        for (Directive e : d.block()) {
            try {
                switch (e.name()) {
                    case "server" -> {
                        NginxConfig.Server s = upstreamServer(e, labNames);
                        if (s != null) {
                            servers.add(s);
                        }
                    }
                    case "least_conn", "ip_hash" -> balance = e.name();
                    case "hash" -> {
                        balance = "hash";
                        hashKey = e.arg(0);
                        if (e.args().size() > 1) {
                            if (e.arg(1).equals("consistent")) {
                                consistent = true;
                            } else {
                                note(e, "has an unknown parameter " + e.arg(1));
                            }
                        }
                    }
                    case "keepalive" -> keepalive = Integer.parseInt(e.arg(0));
                    case "keepalive_timeout" -> keepaliveTimeout = time(e.arg(0));
                    case "keepalive_requests" -> keepaliveRequests = Integer.parseInt(e.arg(0));
                    case "random" -> note(e, NOT_MODELLED + ": the upstream balances round robin in the lab");
                    case "zone" -> note(e, NOT_MODELLED + " (a shared memory zone for several workers; the lab's node is one process)");
                    default -> notModelled(e);
                }
            } catch (RuntimeException ex) {
                note(e, "has an invalid value (" + ex.getMessage() + "): not imported");
            }
        }
        if (servers.isEmpty()) {
            note(d, "has no server the lab can use: not imported");
            return;
        }
        upstreams.put(d.arg(0), new Up(new NginxConfig.Upstream(d.arg(0), balance, hashKey, consistent, keepalive, keepaliveTimeout,
                keepaliveRequests, servers), labNames, d));
    }

    private NginxConfig.Server upstreamServer(Directive e, Map<String, String> labNames) {
        String address = e.arg(0);
        if (address == null) {
            note(e, "has no address: not imported");
            return null;
        }
        if (address.startsWith("unix:")) {
            note(e, "is a unix socket: the lab connects over TCP only; not imported");
            return null;
        }
        String labNode = null;
        for (String c : e.comments()) {
            Matcher m = LAB_NODE.matcher(c);
            if (m.matches()) {
                labNode = m.group(1);
            }
        }
        String node = hostPort(address, 80);
        labNames.putIfAbsent(node, labNode);
        Integer weight = null;
        Integer maxFails = null;
        Duration failTimeout = null;
        Boolean backup = null;
        Boolean down = null;
        Integer maxConns = null;
        for (String p : e.args().subList(1, e.args().size())) {
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? null : p.substring(eq + 1);
            switch (key) {
                case "weight" -> weight = Integer.parseInt(value);
                case "max_fails" -> maxFails = Integer.parseInt(value);
                case "fail_timeout" -> failTimeout = time(value);
                case "max_conns" -> maxConns = Integer.parseInt(value);
                case "backup" -> backup = true;
                case "down" -> down = true;
                default -> note(e, "has the parameter " + p + ", which " + NOT_MODELLED);
            }
        }
        return new NginxConfig.Server(node, null, weight, maxFails, failTimeout, backup, down, maxConns);
    }

    /** The upstream with a node for each server (created the first time, in the file's order). */
    private NginxConfig.Upstream resolved(String name) {
        Up u = upstreams.get(name);
        NginxConfig.Upstream up = u.upstream();
        return new NginxConfig.Upstream(up.name(), up.balance(), up.hashKey(), up.consistent(), up.keepalive(), up.keepaliveTimeout(),
                up.keepaliveRequests(), up.servers().stream().map(v -> new NginxConfig.Server(serverNode(v.node(), u.labNames().get(v.node())), null,
                        v.weight(), v.maxFails(), v.failTimeout(), v.backup(), v.down(), v.maxConns())).toList());
    }

    /** The upstreams some proxy_pass names, anywhere in the server blocks. */
    private static void proxied(List<Directive> block, Set<String> names) {
        for (Directive d : block) {
            if (d.name().equals("proxy_pass") && d.arg(0) != null) {
                String rest = d.arg(0).replaceFirst("^https?://", "");
                int slash = rest.indexOf('/');
                names.add(slash < 0 ? rest : rest.substring(0, slash));
            }
            if (d.block() != null) {
                proxied(d.block(), names);
            }
        }
    }

    /** The node for an upstream address (one per address). */
    private String serverNode(String address, String labNode) {
        NodeSpec existing = serverNodes.get(address);
        if (existing != null) {
            return existing.id();
        }
        String id;
        NodeSpec n;
        if (as == Upstreams.EXTERNAL) {
            id = fresh(labNode != null ? labNode : "external-" + (serverNodes.size() + 1));
            n = new NodeSpec(id, NodeKind.EXTERNAL, address, null, null, new ExternalConfig(address));
        } else {
            id = fresh(labNode != null ? labNode : "tomcat-" + (serverNodes.size() + 1));
            // A loopback address the lab may bind keeps it; anything else is a label (the lab binds loopback only).
            String fixed = keepsAddress(address) ? address : null;
            n = new NodeSpec(id, NodeKind.TOMCAT, "Tomcat " + address, null, fixed, TomcatConfig.EMPTY);
        }
        serverNodes.put(address, n);
        return id;
    }

    private static boolean keepsAddress(String address) {
        int colon = address.lastIndexOf(':');
        return address.startsWith("127.") && colon > 0 && Integer.parseInt(address.substring(colon + 1)) >= 1024;
    }

    /** "host:port" of an nginx address ("host", "host:port", "[v6]:port"); the default port where none is written. */
    static String hostPort(String address, int defaultPort) {
        String a = address;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close + 1 < a.length() && a.charAt(close + 1) == ':' ? a : a + ":" + defaultPort;
        }
        int colon = a.lastIndexOf(':');
        if (colon < 0) {
            return a + ":" + defaultPort;
        }
        Integer.parseInt(a.substring(colon + 1));
        return a;
    }

    // ---- http-level tables ----

    private void cachePath(Directive d) {
        String name = null;
        int mb = 1;
        String maxSize = null;
        Duration inactive = null;
        List<String> layout = new ArrayList<>();
        for (String a : d.args().subList(Math.min(1, d.args().size()), d.args().size())) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            switch (key) {
                case "keys_zone" -> {
                    int colon = value.indexOf(':');
                    name = colon < 0 ? value : value.substring(0, colon);
                    if (colon > 0) {
                        mb = megabytes(value.substring(colon + 1));
                    }
                }
                case "max_size" -> maxSize = value;
                case "inactive" -> inactive = time(value);
                case "levels", "use_temp_path" -> layout.add(a);
                default -> note(d, "has the parameter " + a + ", which " + NOT_MODELLED);
            }
        }
        if (name == null) {
            note(d, "has no keys_zone: not imported");
            return;
        }
        int entries = mb * 8000;
        for (String c : d.comments()) {
            Matcher m = LAB_ENTRIES.matcher(c);
            if (m.matches() && Integer.parseInt(m.group(1)) <= entries) {
                entries = Integer.parseInt(m.group(1));
            }
        }
        note(d, "is a cache in memory in the lab: the path" + (layout.isEmpty() ? "" : ", " + String.join(", ", layout))
                + " are not modelled; keys_zone " + name + " of " + mb + "m holds " + (entries == mb * 8000 ? "about " + entries + " keys"
                        : entries + " entries (as the lab export's comment says)") + ", the lab's maxEntries");
        zones.put(name, new Zone(entries, maxSize, inactive, d));
    }

    private static int megabytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long v;
        if (s.endsWith("m")) {
            v = Long.parseLong(s.substring(0, s.length() - 1));
        } else if (s.endsWith("k")) {
            v = (Long.parseLong(s.substring(0, s.length() - 1)) + 1023) / 1024;
        } else if (s.endsWith("g")) {
            v = Long.parseLong(s.substring(0, s.length() - 1)) * 1024;
        } else {
            v = (Long.parseLong(s) + (1 << 20) - 1) >> 20;
        }
        return (int) Math.max(1, Math.min(v, 125));
    }

    private void limitReqZone(Directive d) {
        String key = d.arg(0);
        String zone = null;
        String rate = null;
        for (String a : d.args().subList(Math.min(1, d.args().size()), d.args().size())) {
            if (a.startsWith("zone=")) {
                zone = a.substring(5).split(":")[0];
            } else if (a.startsWith("rate=")) {
                rate = a.substring(5);
            } else {
                note(d, "has the parameter " + a + ", which " + NOT_MODELLED);
            }
        }
        if (zone == null) {
            note(d, "has no zone=: not imported");
            return;
        }
        limitZones.put(zone, new String[] {key, rate});
    }

    // ---- server blocks ----

    private NodeSpec server(Directive server, String id, Settings settings, Inherited inherited, Integer connections,
                            List<String> linked, int index, int count) {
        String address = null;
        String label = "Nginx";
        boolean listened = false;
        List<Directive> locations = new ArrayList<>();
        for (Directive d : server.block()) {
            switch (d.name()) {
                case "listen" -> {
                    if (listened) {
                        note(d, "is a second listen: the lab's Nginx listens on one address, the first one");
                        continue;
                    }
                    listened = true;
                    try {
                        address = listen(d);
                    } catch (RuntimeException e) {
                        note(d, "is not an address the lab reads (" + e.getMessage() + "): the lab picks the node's address");
                    }
                }
                case "server_name" -> {
                    label = "Nginx " + d.arg(0);
                    note(d, NOT_MODELLED + ": the lab's Nginx node answers every Host (each server block is a node of its own)");
                }
                case "location" -> locations.add(d);
                default -> {
                    if (!settings.apply(d, this) && !inherited.apply(d, this)) {
                        notModelled(d);
                    }
                }
            }
        }
        List<NginxConfig.Location> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Directive l : locations) {
            NginxConfig.Location loc = location(l, settings, inherited.copy(), linked, names);
            if (loc != null) {
                out.add(loc);
            }
        }
        if (out.isEmpty()) {
            note(server, "has no location the lab can serve: the node serves nothing (404)");
        }
        List<NginxConfig.Upstream> ups = new ArrayList<>();
        // in the order the file defines them, as nginx lists them
        for (String name : upstreams.keySet().stream().filter(names::contains).toList()) {
            NginxConfig.Upstream u = resolved(name);
            ups.add(u);
            for (NginxConfig.Server v : u.servers()) {
                if (!linked.contains(v.node())) {
                    linked.add(v.node());
                }
            }
        }
        NginxConfig c = settings.config(ups, out, connections);
        double y = 250 + (index - 1 - (count - 1) / 2.0) * 200;
        return new NodeSpec(id, NodeKind.NGINX, label, new Position(350, y), address, c);
    }

    /** The node's address from listen, where the lab can bind it (loopback, port 1024 and up); else the lab picks one. */
    private String listen(Directive d) {
        String a = d.arg(0);
        for (String p : d.args().subList(1, d.args().size())) {
            note(d, "has the parameter " + p + ", which " + NOT_MODELLED + (p.equals("ssl") ? " (the lab's Nginx speaks plain HTTP)" : ""));
        }
        if (a == null || a.startsWith("unix:")) {
            note(d, "is not a TCP address: the lab picks the node's address");
            return null;
        }
        String hp = a.matches("\\d+") ? "*:" + a : a.contains(":") || a.startsWith("[") ? a : a + ":80";
        int colon = hp.lastIndexOf(':');
        String host = hp.substring(0, colon);
        int port = Integer.parseInt(hp.substring(colon + 1));
        if (port < 1024) {
            note(d, "cannot be bound by the lab without privileges (port below 1024): the lab picks the node's address (the export "
                    + "writes 8080 and up)");
            return null;
        }
        String address = host.startsWith("127.") ? host + ":" + port : "127.0.0.1:" + port;
        if (!host.startsWith("127.")) {
            note(d, "listens on " + (host.equals("*") || host.equals("0.0.0.0") ? "every address" : host) + " in nginx; the lab binds "
                    + "loopback only: " + address);
        }
        if (!listens.add(address)) {
            note(d, "is the address of an earlier server block (virtual hosts told apart by server_name): the lab's nodes each "
                    + "listen on their own, so the lab picks this one's");
            return null;
        }
        return address;
    }

    private NginxConfig.Location location(Directive l, Settings settings, Inherited inherited, List<String> linked, Set<String> names) {
        if (l.block() == null || l.args().isEmpty()) {
            note(l, "has no match or no block: not imported");
            return null;
        }
        String match;
        if (l.args().size() == 2) {
            match = l.arg(0) + " " + l.arg(1);
        } else if (l.args().size() == 1) {
            String a = l.arg(0);
            // nginx also takes "=/x" and "~*\.png$" without the space
            Matcher m = Pattern.compile("^(=|\\^~|~\\*|~)(.+)$").matcher(a);
            match = m.matches() ? m.group(1) + " " + m.group(2) : a;
        } else {
            note(l, "has too many arguments: not imported");
            return null;
        }
        NginxLocationSpec spec;
        try {
            spec = NginxLocationSpec.parse(match);
        } catch (IllegalArgumentException e) {
            note(l, "cannot be read by the lab (" + e.getMessage() + "): not imported");
            return null;
        }
        String proxyPass = null;
        String root = null;
        boolean ownRoot = false;
        NginxConfig.LimitReq locLimit = null;
        Integer locLimitStatus = null;
        NginxConfig.LimitConn locConn = null;
        Integer locConnStatus = null;
        for (Directive d : l.block()) {
            switch (d.name()) {
                case "proxy_pass" -> {
                    try {
                        proxyPass = proxyPass(d, linked, names);
                    } catch (RuntimeException e) {
                        note(d, "is not an address the lab reads (" + e.getMessage() + "): the location is not proxied");
                    }
                }
                case "alias" -> {
                    String alias = d.arg(0);
                    String text = spec.text();
                    if (!spec.modifier().isRegex() && alias != null && alias.endsWith(text) && text.endsWith("/")) {
                        root = alias.substring(0, alias.length() - text.length());
                        root = root.isEmpty() ? "/" : root;
                        ownRoot = true;
                    } else {
                        note(d, NOT_MODELLED + " here: the lab serves files by root (the URI appended), and this alias is not the "
                                + "location's prefix under a root; not imported");
                    }
                }
                case "location" -> note(d, "is a nested location: " + NOT_MODELLED + "; not imported");
                case "limit_req" -> {
                    // a location's own limit_req (a zone of its own in the lab), in place of the server's
                    if (locLimit != null) {
                        note(d, "is a second limit_req: the lab's location has one rate limit; not imported");
                    } else {
                        locLimit = Settings.parseLimitReq(d, this);
                    }
                }
                case "limit_req_status" -> {
                    try {
                        locLimitStatus = Integer.parseInt(d.arg(0));
                    } catch (RuntimeException e) {
                        note(d, "cannot be taken (" + e.getMessage() + "): not imported");
                    }
                }
                case "limit_conn" -> {
                    // a location's own limit_conn (a zone of its own in the lab), in place of the server's
                    String key = d.args().isEmpty() ? null : connZones.get(d.arg(0));
                    if (locConn != null) {
                        note(d, "is a second limit_conn: the lab's location has one connection limit; not imported");
                    } else if (key == null || d.args().size() != 2) {
                        note(d, "names no limit_conn_zone: not imported");
                    } else {
                        try {
                            locConn = new NginxConfig.LimitConn(key, Integer.parseInt(d.arg(1)), null);
                        } catch (NumberFormatException e) {
                            note(d, "cannot be taken (invalid number of connections): not imported");
                        }
                    }
                }
                case "limit_conn_status" -> {
                    try {
                        locConnStatus = Integer.parseInt(d.arg(0));
                    } catch (RuntimeException e) {
                        note(d, "cannot be taken (" + e.getMessage() + "): not imported");
                    }
                }
                default -> {
                    Settings before = settings.copy();
                    int level = settings.level;
                    settings.level = 2;
                    boolean taken = settings.apply(d, this);
                    settings.level = level;
                    if (taken) {
                        if (!before.equals(settings)) {
                            note(d, "is set in one location in nginx; the lab's Nginx has one value for the node, so it applies to every location");
                        }
                    } else if (!inherited.apply(d, this)) {
                        notModelled(d);
                    } else if (d.name().equals("root")) {
                        ownRoot = true;
                    }
                }
            }
        }
        if (proxyPass == null && root == null) {
            root = inherited.root;
        }
        if (proxyPass != null && ownRoot) {
            notes.add(new Note(l.file(), l.line(), l.text(), "has both proxy_pass and root: nginx proxies, so the root is unused"));
            root = null;
        } else if (proxyPass != null) {
            root = null;
        }
        if (proxyPass == null && root == null) {
            note(l, "has neither proxy_pass nor root the lab can use: not imported");
            return null;
        }
        NginxConfig.Cache cache = inherited.cache(l, this);
        NginxConfig.LimitReq limit = null;
        if (locLimit != null) {
            Integer status = locLimitStatus != null ? locLimitStatus : settings.limitStatus;
            limit = new NginxConfig.LimitReq(locLimit.key(), locLimit.rate(), locLimit.burst(), locLimit.nodelay(), status == null ? 503 : status);
        } else if (locLimitStatus != null) {
            notes.add(new Note(l.file(), l.line(), l.text(), "sets limit_req_status without a limit_req of its own: " + NOT_MODELLED));
        }
        NginxConfig.LimitConn conn = null;
        if (locConn != null) {
            Integer status = locConnStatus != null ? locConnStatus : settings.limitConnStatus;
            conn = new NginxConfig.LimitConn(locConn.key(), locConn.conn(), status == null ? 503 : status);
        } else if (locConnStatus != null) {
            notes.add(new Note(l.file(), l.line(), l.text(), "sets limit_conn_status without a limit_conn of its own: " + NOT_MODELLED));
        }
        return new NginxConfig.Location(match, proxyPass, root, cache, limit, conn);
    }

    private String proxyPass(Directive d, List<String> linked, Set<String> names) {
        String url = d.arg(0);
        if (url == null || url.contains("$")) {
            note(d, "uses variables: " + NOT_MODELLED + "; the location is not proxied");
            return null;
        }
        String rest;
        int defaultPort = 80;
        if (url.startsWith("http://")) {
            rest = url.substring(7);
        } else if (url.startsWith("https://")) {
            rest = url.substring(8);
            defaultPort = 443;
            note(d, "is HTTPS to the upstream: the lab proxies over plain HTTP");
        } else {
            note(d, "is not an http:// URL: not imported");
            return null;
        }
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String uri = slash < 0 ? "" : rest.substring(slash);
        if (host.startsWith("unix:")) {
            note(d, "is a unix socket: the lab connects over TCP only; not imported");
            return null;
        }
        if (upstreams.containsKey(host)) {
            names.add(host);
            usedUpstreams.add(host);
            return host + uri;
        }
        String node = serverNode(hostPort(host, defaultPort), null);
        if (!linked.contains(node)) {
            linked.add(node);
        }
        return node + uri;
    }

    /** nginx's time: "10s", "500ms", "1m30s", "30" (seconds). */
    static Duration time(String v) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("no time");
        }
        Matcher m = TIME.matcher(v);
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < v.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("\"" + v + "\" is not an nginx time");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = d.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                case "M" -> Duration.ofDays(30 * n);
                default -> Duration.ofDays(365 * n);
            });
            at = m.end();
        }
        return d;
    }

    // ---- node-wide settings (http, server, location levels) ----

    /** The node-wide NginxConfig fields, as directives set them. */
    private static final class Settings {
        private static final Map<String, BiConsumer<Settings, Directive>> TABLE = new LinkedHashMap<>();

        static {
            TABLE.put("proxy_connect_timeout", (s, d) -> s.connect = time(d.arg(0)));
            TABLE.put("proxy_read_timeout", (s, d) -> s.read = time(d.arg(0)));
            TABLE.put("proxy_send_timeout", (s, d) -> s.send = time(d.arg(0)));
            TABLE.put("proxy_next_upstream", (s, d) -> s.nextUpstream = List.copyOf(d.args()));
            TABLE.put("proxy_next_upstream_tries", (s, d) -> s.tries = Integer.parseInt(d.arg(0)));
            TABLE.put("proxy_next_upstream_timeout", (s, d) -> s.nextTimeout = time(d.arg(0)));
            TABLE.put("client_max_body_size", (s, d) -> s.maxBody = d.arg(0));
            TABLE.put("large_client_header_buffers", (s, d) -> s.headerBuffers = String.join(" ", d.args()));
            TABLE.put("keepalive_timeout", (s, d) -> s.keepaliveTimeout = time(d.arg(0)));
            TABLE.put("keepalive_requests", (s, d) -> s.keepaliveRequests = Integer.parseInt(d.arg(0)));
            TABLE.put("client_header_timeout", (s, d) -> s.clientHeaderTimeout = time(d.arg(0)));
            TABLE.put("client_body_timeout", (s, d) -> s.clientBodyTimeout = time(d.arg(0)));
            TABLE.put("disable_symlinks", (s, d) -> s.disableSymlinks = oneOf(d, "off", "on", "if_not_owner"));
            TABLE.put("underscores_in_headers", (s, d) -> s.underscores = oneOf(d, "on", "off").equals("on"));
            TABLE.put("proxy_http_version", (s, d) -> s.httpVersion = oneOf(d, "1.0", "1.1"));
            TABLE.put("proxy_set_header", (s, d) -> {
                if (d.args().size() != 2) {
                    throw new IllegalArgumentException("proxy_set_header takes a name and a value");
                }
                if (s.headersLevel != s.level) {
                    // nginx: proxy_set_header at a level replaces every one inherited from above
                    s.headers = new ArrayList<>();
                    s.headersLevel = s.level;
                }
                s.headers.add(d.arg(0) + ": " + (d.arg(1).isEmpty() ? "\"\"" : d.arg(1)));
            });
            TABLE.put("server_tokens", (s, d) -> {
                if (oneOf(d, "on", "off", "build").equals("build")) {
                    throw new IllegalArgumentException("the lab names no build: server_tokens on or off");
                }
                s.serverTokens = d.arg(0);
            });
            TABLE.put("proxy_ignore_headers", (s, d) -> s.ignoreHeaders = List.copyOf(d.args()));
            TABLE.put("limit_conn_status", (s, d) -> s.limitConnStatus = Integer.parseInt(d.arg(0)));
            TABLE.put("error_page", (s, d) -> {
                String line = String.join(" ", d.args());
                NginxConfig.ErrorPage.parse(line);
                if (s.errorPagesLevel != s.level) {
                    // nginx: error_page at a level replaces every one inherited from above
                    s.errorPages = new ArrayList<>();
                    s.errorPagesLevel = s.level;
                }
                s.errorPages.add(line);
            });
            TABLE.put("limit_req_status", (s, d) -> s.limitStatus = Integer.parseInt(d.arg(0)));
        }

        Duration connect;
        Duration read;
        Duration send;
        List<String> nextUpstream;
        Integer tries;
        Duration nextTimeout;
        String maxBody;
        String headerBuffers;
        Duration keepaliveTimeout;
        Integer keepaliveRequests;
        Duration clientHeaderTimeout;
        Duration clientBodyTimeout;
        String disableSymlinks;
        Boolean underscores;
        String httpVersion;
        List<String> headers;
        int headersLevel = -1;
        int level;
        NginxConfig.LimitReq limitReq;
        Directive limitReqAt;
        Integer limitStatus;
        String serverTokens;
        List<String> ignoreHeaders;
        Integer limitConnStatus;
        NginxConfig.LimitConn limitConn;
        List<String> errorPages;
        int errorPagesLevel = -1;

        /** Whether this directive is a node-wide setting (applied here, or a note where its value is refused). */
        boolean apply(Directive d, NginxImporter imp) {
            if (d.name().equals("limit_req")) {
                limitReq(d, imp);
                return true;
            }
            if (d.name().equals("limit_conn")) {
                limitConn(d, imp);
                return true;
            }
            BiConsumer<Settings, Directive> f = TABLE.get(d.name());
            if (f == null) {
                return false;
            }
            try {
                if (d.args().isEmpty()) {
                    throw new IllegalArgumentException("no value");
                }
                f.accept(this, d);
                if (d.name().equals("keepalive_timeout") && d.args().size() > 1) {
                    imp.note(d, "has a second value (the Keep-Alive header's timeout), which " + NOT_MODELLED);
                }
            } catch (RuntimeException e) {
                imp.note(d, "cannot be taken (" + e.getMessage() + "): not imported");
            }
            return true;
        }

        private void limitReq(Directive d, NginxImporter imp) {
            if (limitReq != null) {
                imp.note(d, "is a second limit_req: the lab's Nginx has one rate limit for the node; not imported");
                return;
            }
            NginxConfig.LimitReq lr = parseLimitReq(d, imp);
            if (lr == null) {
                return;
            }
            limitReq = lr;
            limitReqAt = d;
        }

        /** A limit_req line with its limit_req_zone's key and rate (no status); null, with a note, when it names no zone. */
        static NginxConfig.LimitReq parseLimitReq(Directive d, NginxImporter imp) {
            String zone = null;
            Integer burst = null;
            Boolean nodelay = null;
            for (String a : d.args()) {
                if (a.startsWith("zone=")) {
                    zone = a.substring(5);
                } else if (a.startsWith("burst=")) {
                    burst = Integer.parseInt(a.substring(6));
                } else if (a.equals("nodelay")) {
                    nodelay = true;
                } else {
                    imp.note(d, "has the parameter " + a + ", which " + NOT_MODELLED);
                }
            }
            String[] z = zone == null ? null : imp.limitZones.get(zone);
            if (z == null) {
                imp.note(d, "names no limit_req_zone: not imported");
                return null;
            }
            return new NginxConfig.LimitReq(z[0], z[1], burst, nodelay, null);
        }

        private void limitConn(Directive d, NginxImporter imp) {
            if (limitConn != null) {
                imp.note(d, "is a second limit_conn: the lab's Nginx has one connection limit for the node; not imported");
                return;
            }
            String key = d.args().isEmpty() ? null : imp.connZones.get(d.arg(0));
            if (key == null || d.args().size() != 2) {
                imp.note(d, "names no limit_conn_zone: not imported");
                return;
            }
            try {
                limitConn = new NginxConfig.LimitConn(key, Integer.parseInt(d.arg(1)), null);
            } catch (NumberFormatException e) {
                imp.note(d, "cannot be taken (invalid number of connections): not imported");
                return;
            }
            if (level == 2) {
                imp.note(d, "is set in one location in nginx; the lab's connection limit is for every location of the node");
            }
        }

        private static String oneOf(Directive d, String... values) {
            for (String v : values) {
                if (v.equals(d.arg(0))) {
                    return v;
                }
            }
            throw new IllegalArgumentException("one of " + String.join(", ", values));
        }

        Settings copy() {
            Settings s = new Settings();
            s.connect = connect;
            s.read = read;
            s.send = send;
            s.nextUpstream = nextUpstream;
            s.tries = tries;
            s.nextTimeout = nextTimeout;
            s.maxBody = maxBody;
            s.headerBuffers = headerBuffers;
            s.keepaliveTimeout = keepaliveTimeout;
            s.keepaliveRequests = keepaliveRequests;
            s.clientHeaderTimeout = clientHeaderTimeout;
            s.clientBodyTimeout = clientBodyTimeout;
            s.disableSymlinks = disableSymlinks;
            s.underscores = underscores;
            s.httpVersion = httpVersion;
            s.headers = headers == null ? null : new ArrayList<>(headers);
            s.headersLevel = headersLevel;
            s.level = level + 1;
            s.limitReq = limitReq;
            s.limitReqAt = limitReqAt;
            s.limitStatus = limitStatus;
            s.serverTokens = serverTokens;
            s.ignoreHeaders = ignoreHeaders;
            s.limitConnStatus = limitConnStatus;
            s.limitConn = limitConn;
            s.errorPages = errorPages == null ? null : new ArrayList<>(errorPages);
            s.errorPagesLevel = errorPagesLevel;
            return s;
        }

        private List<Object> values() {
            return java.util.Arrays.asList(connect, read, send, nextUpstream, tries, nextTimeout, maxBody, headerBuffers, keepaliveTimeout,
                    keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, disableSymlinks, underscores, httpVersion, headers, limitReq,
                    limitStatus, serverTokens, ignoreHeaders, limitConnStatus, limitConn, errorPages);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && values().equals(s.values());
        }

        @Override
        public int hashCode() {
            return values().hashCode();
        }

        NginxConfig config(List<NginxConfig.Upstream> ups, List<NginxConfig.Location> locations, Integer workerConnections) {
            NginxConfig.LimitReq lr = limitReq == null ? null
                    : new NginxConfig.LimitReq(limitReq.key(), limitReq.rate(), limitReq.burst(), limitReq.nodelay(), limitStatus);
            return new NginxConfig(ups, locations, connect, read, send, nextUpstream, tries, nextTimeout, maxBody, headerBuffers,
                    keepaliveTimeout, keepaliveRequests, clientHeaderTimeout, clientBodyTimeout, workerConnections, disableSymlinks,
                    httpVersion, headers == null ? List.of() : List.copyOf(headers), underscores, lr, serverTokens,
                    limitConn == null ? null : new NginxConfig.LimitConn(limitConn.key(), limitConn.conn(), limitConnStatus),
                    errorPages == null ? null : List.copyOf(errorPages), ignoreHeaders, null);
        }
    }

    /** What a location inherits as nginx does: root and the proxy_cache directives. */
    private static final class Inherited {
        String root;
        String cacheZone;
        Directive cacheAt;
        Duration valid;
        List<String> useStale;
        Boolean backgroundUpdate;
        Boolean revalidate;
        List<String> noCache;
        Boolean lock;
        Duration lockTimeout;
        Duration lockAge;

        Inherited copy() {
            Inherited i = new Inherited();
            i.root = root;
            i.cacheZone = cacheZone;
            i.cacheAt = cacheAt;
            i.valid = valid;
            i.useStale = useStale;
            i.backgroundUpdate = backgroundUpdate;
            i.revalidate = revalidate;
            i.noCache = noCache;
            i.lock = lock;
            i.lockTimeout = lockTimeout;
            i.lockAge = lockAge;
            return i;
        }

        boolean apply(Directive d, NginxImporter imp) {
            try {
                switch (d.name()) {
                    // the export's demo site (root "") is a folder of its own, marked so
                    case "root" -> root = d.comments().stream().anyMatch(c -> c.startsWith(LAB_DEMO_SITE)) ? "" : d.arg(0);
                    case "proxy_cache" -> {
                        cacheZone = "off".equals(d.arg(0)) ? null : d.arg(0);
                        cacheAt = d;
                    }
                    case "proxy_cache_valid" -> valid(d, imp);
                    case "proxy_cache_use_stale" -> useStale = List.copyOf(d.args());
                    case "proxy_cache_background_update" -> backgroundUpdate = "on".equals(d.arg(0));
                    case "proxy_cache_revalidate" -> revalidate = "on".equals(d.arg(0));
                    case "proxy_no_cache" -> noCache = List.copyOf(d.args());
                    case "proxy_cache_lock" -> lock = "on".equals(d.arg(0));
                    case "proxy_cache_lock_timeout" -> lockTimeout = time(d.arg(0));
                    case "proxy_cache_lock_age" -> lockAge = time(d.arg(0));
                    case "proxy_cache_bypass" -> {
                        if (!d.args().equals(List.of("$http_cache_control", "$http_pragma"))) {
                            imp.note(d, NOT_MODELLED + ": the lab's cache is bypassed by a Cache-Control or Pragma request header "
                                    + "(proxy_cache_bypass $http_cache_control $http_pragma)");
                        }
                    }
                    case "proxy_cache_key" -> {
                        if (!d.args().equals(List.of("$scheme$proxy_host$request_uri"))) {
                            imp.note(d, NOT_MODELLED + ": the lab's cache key is nginx's default, $scheme$proxy_host$request_uri");
                        }
                    }
                    case "add_header" -> {
                        if (!d.args().equals(List.of("X-Cache-Status", "$upstream_cache_status"))) {
                            imp.notModelled(d);
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            } catch (RuntimeException e) {
                imp.note(d, "cannot be taken (" + e.getMessage() + "): not imported");
            }
            return true;
        }

        private void valid(Directive d, NginxImporter imp) {
            List<String> a = d.args();
            Duration time = time(a.get(a.size() - 1));
            List<String> codes = a.size() == 1 ? List.of("200", "301", "302") : a.subList(0, a.size() - 1);
            if (codes.contains("200") || codes.contains("any")) {
                valid = time;
            }
            if (!codes.equals(List.of("200"))) {
                imp.note(d, "caches " + String.join(" ", codes) + ": the lab's cache keeps 200 responses only (proxy_cache_valid 200 "
                        + NginxExporter.duration(time) + ")");
            }
        }

        NginxConfig.Cache cache(Directive location, NginxImporter imp) {
            if (cacheZone == null) {
                return null;
            }
            Zone z = imp.zones.get(cacheZone);
            if (z == null) {
                imp.note(cacheAt, "names no proxy_cache_path keys_zone: the location is not cached");
                return null;
            }
            if (valid == null) {
                imp.notes.add(new Note(location.file(), location.line(), location.text(), "caches without proxy_cache_valid: nginx then caches "
                        + "only what the upstream's Cache-Control or Expires allow; the lab keeps them for its default, 10m"));
            }
            if (imp.inactiveNoted.add(cacheZone) && z.inactive() != null && !z.inactive().equals(valid == null ? Duration.ofMinutes(10) : valid)) {
                imp.note(z.at(), "has inactive=" + NginxExporter.duration(z.inactive()) + ", which " + NOT_MODELLED
                        + " (the lab drops an entry when it expires, after proxy_cache_valid)");
            }
            NginxConfig.Cache c = new NginxConfig.Cache(valid, z.entries(), z.maxSize(), null);
            return c.withUseStale(useStale).withBackgroundUpdate(backgroundUpdate).withRevalidate(revalidate).withNoCache(noCache)
                    .withLock(lock, lockTimeout, lockAge);
        }
    }
}
