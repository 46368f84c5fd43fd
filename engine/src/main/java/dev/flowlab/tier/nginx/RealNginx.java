package dev.flowlab.tier.nginx;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.export.NginxBinary;
import dev.flowlab.export.NginxExporter;
import dev.flowlab.runtime.LabNode;
import dev.flowlab.runtime.LabStartException;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.NginxLocationSpec;
import dev.flowlab.topology.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Nginx node run by the real nginx ({@code "engine": "nginx"}): the node's config exported by {@link NginxExporter}
 * into a temporary prefix of its own, with the node's loopback address and the lab nodes' current addresses, checked
 * with {@code nginx -t}, and run in the foreground with one worker ({@code daemon off; master_process on}: the master handles a graceful
 * SIGQUIT; a kill ends the master and its worker with SIGKILL). Its access log is JSON lines; {@link NginxLogFacts} turns each into the facts the lab's own Nginx emits, and
 * a loopback-only stub_status server gives the open connection count. The prefix is deleted when the node stops.
 */
public final class RealNginx implements LabNode {
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);

    private final NodeContext context;
    private volatile NodeState state = NodeState.STOPPED;
    private volatile InetSocketAddress address;
    private Process process;
    private Path prefix;
    private NginxLogFacts facts;
    private int statusPort;

    public RealNginx(NodeContext context) {
        this.context = context;
    }

    /** The Nginx tier for a node: the real nginx when its config says {@code "engine": "nginx"}, else the lab's own. */
    public static LabNode forNode(NodeContext context) {
        NginxConfig c = context.spec().configAs(NginxConfig.class);
        return c != null && c.runsRealNginx() ? new RealNginx(context) : new NginxServer(context);
    }

    @Override
    public String id() {
        return context.id();
    }

    @Override
    public NodeState state() {
        return state;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int openConnections() {
        NginxLogFacts f = facts;
        return f == null ? 0 : f.activeConnections();
    }

    /** The nginx process's pid while it runs, else -1 (for tests: no process may outlive the node). */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** The node's temporary prefix (config, logs) while it runs, else null. */
    public Path prefix() {
        return prefix;
    }

    @Override
    public synchronized CompletableFuture<InetSocketAddress> start() {
        if (state == NodeState.RUNNING || state == NodeState.STARTING) {
            return CompletableFuture.completedFuture(address);
        }
        state = NodeState.STARTING;
        return CompletableFuture.supplyAsync(this::launch, r -> {
            Thread t = new Thread(r, "flowlab-nginx-" + id() + "-start");
            t.setDaemon(true);
            t.start();
        }).whenComplete((a, e) -> {
            if (e != null) {
                synchronized (this) {
                    state = NodeState.FAILED;
                    cleanUp(true);
                }
            }
        });
    }

    private InetSocketAddress launch() {
        Path binary = NginxBinary.find().orElseThrow(() -> failure("engine \"nginx\" needs the nginx binary, and none was found on "
                + NginxBinary.searched() + ": install nginx (apt-get install nginx) or set the node's engine to lab", null));
        try {
            InetSocketAddress listen = listenAddress();
            Map<String, String> addresses = waitForAddresses();
            Path dir = Files.createTempDirectory("flowlab-nginx-" + id() + "-");
            for (String sub : List.of("logs", "temp", "cache", "site")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.createFile(dir.resolve("logs/access.log"));
            Files.createFile(dir.resolve("logs/error.log"));
            synchronized (this) {
                prefix = dir;
            }
            if (statusPort == 0) {
                statusPort = freePort(InetAddress.getLoopbackAddress());
            }
            NodeSpec node = context.spec().withConfig(effective(context));
            String conf = NginxExporter.export(node, new NginxExporter.Target(TcpServerNode.hostPort(listen), addresses, dir, dir, false, null, false)
                    .withJsonAccessLog("127.0.0.1:" + statusPort).withMasterProcess());
            Path confFile = dir.resolve("nginx.conf");
            Files.writeString(confFile, conf);
            Path errorLog = dir.resolve("logs/error.log");
            var refused = NginxBinary.test(binary, confFile, dir, errorLog);
            if (refused.isPresent()) {
                throw failure("nginx -t refused the generated config (" + confFile + "):\n" + refused.get(), null);
            }
            NginxLogFacts f = new NginxLogFacts(context, node.configAs(NginxConfig.class), addresses, dir.resolve("logs/access.log"),
                    errorLog, new InetSocketAddress(InetAddress.getLoopbackAddress(), statusPort));
            Process p = new ProcessBuilder(binary.toString(), "-e", errorLog.toString(), "-p", dir.toString(), "-c", confFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout").toFile()).start();
            synchronized (this) {
                process = p;
            }
            waitUntilListening(p, listen, dir);
            synchronized (this) {
                if (state != NodeState.STARTING) {
                    // stopped or killed while starting
                    cleanUp(true);
                    throw failure("stopped while starting", null);
                }
                facts = f;
                f.start();
                address = listen;
                state = NodeState.RUNNING;
            }
            context.emit(EventType.NODE_STARTED, new Fact.Listening(TcpServerNode.hostPort(listen) + " (nginx " + binary + ", pid " + p.pid() + ")"));
            return listen;
        } catch (IOException e) {
            throw failure("cannot start nginx: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while starting nginx", e);
        }
    }

    /** The node's address: the plan's loopback host and port; a port the plan leaves to the OS is chosen once and kept over restarts. */
    private InetSocketAddress listenAddress() throws IOException {
        if (address != null) {
            return address;
        }
        InetSocketAddress bind = context.bindAddress();
        return bind.getPort() != 0 ? bind : new InetSocketAddress(bind.getAddress(), freePort(bind.getAddress()));
    }

    /** The config as the lab runs it: unset upstreams and locations are the lab's default site, written out for nginx. */
    static NginxConfig effective(NodeContext context) {
        NginxConfig c = context.spec().configAs(NginxConfig.class);
        if (c.upstreams() == null) {
            List<String> linked = context.downstream().stream().map(NodeSpec::id).toList();
            c = c.withProxyHttpVersion(NginxConfig.effectiveProxyHttpVersion(c), NginxConfig.effectiveProxySetHeaders(c))
                    .withUpstreams(NginxConfig.defaultUpstreams(context.id(), linked));
        }
        if (c.locations() == null) {
            c = c.withLocations(NginxConfig.defaultLocations(context.id()));
        }
        Path site = context.siteRoot();
        if (site != null) {
            List<NginxConfig.Location> ls = new ArrayList<>();
            for (NginxConfig.Location l : c.locations()) {
                ls.add(l.root() != null && l.root().isEmpty() ? new NginxConfig.Location(l.prefix(), l.proxyPass(), site.toAbsolutePath().toString(), l.cache()) : l);
            }
            c = c.withLocations(ls);
        }
        return c;
    }

    /** Every lab node the config names (upstream servers, proxy_pass to a node), once each has a bound address: "host:port" by id. */
    private Map<String, String> waitForAddresses() throws InterruptedException {
        NginxConfig c = effective(context);
        Set<String> upstreamNames = new LinkedHashSet<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (NginxConfig.Upstream u : c.upstreams()) {
            upstreamNames.add(u.name());
            for (NginxConfig.Server s : u.servers() == null ? List.<NginxConfig.Server>of() : u.servers()) {
                if (s.node() != null) {
                    wanted.add(s.node());
                }
            }
        }
        for (NginxConfig.Location l : c.locations()) {
            if (l.proxyPass() != null) {
                String name = NginxLocationSpec.proxyTarget(l.proxyPass()).name();
                if (!upstreamNames.contains(name) && context.scenario().node(name).isPresent()) {
                    wanted.add(name);
                }
            }
        }
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : wanted) {
            while (true) {
                InetSocketAddress a = context.addressOf(id);
                if (a != null && a.getPort() != 0) {
                    out.put(id, TcpServerNode.hostPort(a));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw failure("upstream node " + id + " has no address: it did not start within " + START_DEADLINE.toSeconds() + " s", null);
                }
                Thread.sleep(10);
            }
        }
        return out;
    }

    private void waitUntilListening(Process p, InetSocketAddress listen, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(listen, 200);
                return;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    String why = (Files.readString(dir.resolve("logs/stdout")) + Files.readString(dir.resolve("logs/error.log"))).strip();
                    throw failure("nginx did not start listening on " + TcpServerNode.hostPort(listen)
                            + (p.isAlive() ? " within " + START_DEADLINE.toSeconds() + " s" : " (exit " + p.waitFor() + ")") + ":\n" + why, e);
                }
                Thread.sleep(10);
            }
        }
    }

    private LabStartException failure(String message, Throwable cause) {
        return new LabStartException(id(), "node " + id() + ": " + message, cause);
    }

    /** Graceful: nginx's own graceful shutdown (SIGQUIT: stop accepting, finish open requests), then SIGKILL after {@code drain}. */
    @Override
    public synchronized CompletableFuture<Void> stop(Duration drain) {
        if (state != NodeState.RUNNING && state != NodeState.STARTING) {
            return CompletableFuture.completedFuture(null);
        }
        state = NodeState.STOPPING;
        Process p = process;
        return CompletableFuture.runAsync(() -> {
            if (p != null && p.isAlive()) {
                try {
                    new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                    p.waitFor(drain.toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (IOException e) {
                    // no kill(1): the forced end below still stops it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).whenComplete((v, e) -> {
            synchronized (this) {
                cleanUp(false);
                state = NodeState.STOPPED;
            }
            context.emit(EventType.NODE_STOPPED, new Fact.Note("nginx stopped gracefully"));
        });
    }

    /** Abrupt: SIGKILL, as a crashed nginx; its connections are reset by the kernel. */
    @Override
    public synchronized CompletableFuture<Void> kill() {
        NodeState before = state;
        state = NodeState.KILLED;
        cleanUp(true);
        if (before != NodeState.KILLED && before != NodeState.STOPPED && before != NodeState.FAILED) {
            context.emit(EventType.NODE_KILLED, new Fact.Note("killed: nginx process ended with SIGKILL"));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Ends the process (and any child) and waits for it, reads the last log lines, deletes the prefix. */
    private void cleanUp(boolean force) {
        Process p = process;
        process = null;
        if (p != null) {
            // The master first: a master that outlives a worker starts a new one (which would then be orphaned).
            // Its children (the worker, and with a proxy cache the cache manager and loader) are listed before it
            // ends, as they are reparented once it has.
            List<ProcessHandle> children = p.descendants().toList();
            List<ProcessHandle> all = new ArrayList<>(List.of(p.toHandle()));
            all.addAll(children);
            for (ProcessHandle h : all) {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
                if (h.equals(p.toHandle())) {
                    try {
                        h.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                }
            }
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
        }
        NginxLogFacts f = facts;
        facts = null;
        if (f != null) {
            f.close();
        }
        Path dir = prefix;
        prefix = null;
        if (dir != null) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp folder is harmless; the process and port are what must not outlive the node
        }
    }

    private static int freePort(InetAddress host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, host)) {
            return s.getLocalPort();
        }
    }
}
