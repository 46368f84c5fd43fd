package dev.flowlab.app.lab;

import dev.flowlab.stack.Stack;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.run.Warmup;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.NodeState;
import dev.flowlab.runtime.NodeView;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab behind the window: starts and stops it, and mirrors its nodes' states and figures into
 * {@link NodeViewModel}s. {@link Lab#start()} and {@link Lab#close()} block, so they run on the
 * {@code background} executor, which must run tasks one at a time in order; their outcome comes
 * back in one task on {@code uiThread} (Platform::runLater in the app, Runnable::run in tests).
 * Every property changes on the UI thread only.
 */
public final class LabViewModel {
    /**
     * A node whose tightest limit is this full (busy workers of maxThreads, connections of
     * maxConnections) is the topology's bottleneck when no other node is fuller.
     */
    public static final double BOTTLENECK_AT = 0.8;
    private static final Logger log = LoggerFactory.getLogger(LabViewModel.class);
    private CompletableFuture<Void> disposal;

    private Scenario scenario;
    private final Function<Scenario, Lab> labFactory;
    private final TrafficDriver traffic;
    private final Executor background;
    private final Executor uiThread;
    private final ObservableList<NodeViewModel> nodeList = FXCollections.observableArrayList();
    private final ObservableList<NodeViewModel> nodes = FXCollections.unmodifiableObservableList(nodeList);
    private final ObservableList<TopologyProblem> startRefusal = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper restartNeeded = new ReadOnlyBooleanWrapper(this, "restartNeeded");
    private final Map<String, NodeViewModel> nodesById = new LinkedHashMap<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper(this, "failed");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");
    /** How long the first Start warms the lab's code paths on a private copy first ({@link Warmup}); zero: never. */
    private volatile Duration warmup = Duration.ZERO;
    /** Whether a warm-up ran already: once per view-model (the JIT's work stays for the JVM's life). */
    private volatile boolean warmedUp;
    /** Written only by background tasks (which run one at a time); read by refresh on the UI thread. */
    private volatile Lab lab;
    private volatile boolean disposed;

    public LabViewModel(Scenario scenario, Function<Scenario, Lab> labFactory, TrafficDriver traffic,
                        Executor background, Executor uiThread) {
        this.scenario = scenario;
        this.labFactory = labFactory;
        this.traffic = traffic;
        this.background = background;
        this.uiThread = uiThread;
        syncNodes(scenario);
        status.set("Stopped · " + nodeCount() + " · press Start to run them on loopback");
    }

    /** A view-model for the real thing: {@code Stack.lab(scenario)} and the scenario's traffic from the load client. */
    public static LabViewModel of(Scenario scenario, Executor background, Executor uiThread) {
        return new LabViewModel(scenario, Stack::lab, new LoadClientTraffic(), background, uiThread);
    }

    public Scenario scenario() {
        return scenario;
    }

    /**
     * Before the first Start's lab, warm the lab's code paths for up to this long on a private copy
     * of the scenario ({@link Warmup}: the JIT's first seconds are the lab's, not the design's, and
     * would show as a slow first second, or a Tomcat marked down by a gateway's RPC timeout).
     */
    public void setWarmup(Duration budget) {
        warmup = budget == null ? Duration.ZERO : budget;
    }

    /**
     * The editor changed the scenario. Stopped, the next Start runs it. Running, the lab keeps the
     * topology it started with (the engine cannot rewire running nodes), so this says a restart
     * is needed; new nodes show as stopped until then.
     */
    public void setScenario(Scenario edited) {
        if (edited.equals(scenario)) {
            return;
        }
        Scenario startedWith = lab != null ? lab.scenario() : null;
        scenario = edited;
        syncNodes(edited);
        if (running.get() || busy.get()) {
            boolean differs = startedWith != null && !startedWith.equals(edited);
            restartNeeded.set(differs);
            if (differs && running.get()) {
                status.set("Running · the topology changed: restart the lab (Stop, Start) to apply the edits");
            }
        } else if (!failed.get()) {
            status.set("Stopped · " + nodeCount() + " · press Start to run them on loopback");
        }
    }

    private void syncNodes(Scenario s) {
        List<NodeViewModel> next = new ArrayList<>();
        Map<String, NodeViewModel> keep = new LinkedHashMap<>();
        for (NodeSpec spec : s.nodes()) {
            NodeViewModel vm = nodesById.get(spec.id());
            if (vm == null) {
                vm = new NodeViewModel(spec);
            } else {
                vm.respec(spec);
            }
            keep.putIfAbsent(spec.id(), vm);
            next.add(vm);
        }
        nodesById.clear();
        nodesById.putAll(keep);
        nodeList.setAll(next);
    }

    /** True while running a topology older than the edited one. */
    public ReadOnlyBooleanProperty restartNeededProperty() {
        return restartNeeded.getReadOnlyProperty();
    }

    /** Why the last Start was refused: the engine's errors for the topology (empty when it started). */
    public ObservableList<TopologyProblem> startRefusal() {
        return startRefusal;
    }

    /**
     * Runs a node action (kill, stop, start, restart, or a fault the engine knows, such as
     * kill-keepalived) on the running lab; the outcome shows in the status line. Ignored unless running.
     */
    public void nodeAction(String action, String nodeId) {
        nodeAction(action, nodeId, Map.of(), null);
    }

    /** {@link #nodeAction(String, String)} with the action's parameters (partition and heal: {@code peer}). */
    public void nodeAction(String action, String nodeId, Map<String, String> params) {
        nodeAction(action, nodeId, params, null);
    }

    /**
     * As {@link #nodeAction(String, String)} with the action's parameters (a partition's {@code peer});
     * {@code onFailure} (nullable) hears why it failed, on the UI thread.
     */
    public void nodeAction(String action, String nodeId, Map<String, String> params,
                           java.util.function.Consumer<String> onFailure) {
        Lab current = lab;
        if (current == null || !running.get()) {
            if (onFailure != null) {
                onFailure.accept("the lab is not running");
            }
            return;
        }
        String words = capitalized(action.replace('-', ' '));
        status.set(words + " " + nodeId + "…");
        background.execute(() -> {
            long appliedAt = current.clock().nanos();
            current.apply(action, nodeId, params).whenComplete((v, e) -> {
                Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                NodeActionListener l = actionListener;
                if (l != null) {
                    l.applied(appliedAt, action, nodeId, params, c == null ? null : String.valueOf(c.getMessage()));
                }
            }).whenComplete((v, e) -> uiThread.execute(() -> {
                if (lab != current) {
                    return;
                }
                // The cards first: whoever sees "done" sees the node's new state with it.
                refresh();
                failed.set(e != null);
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                status.set(e == null ? words + " " + nodeId + ": done" : words + " " + nodeId + " failed: " + describe(cause));
                if (e != null && onFailure != null) {
                    onFailure.accept(describe(cause));
                }
            }));
        });
    }

    /** Hears each node action the running lab applied (or refused), on the engine's thread: what a recording notes as a fault. */
    @FunctionalInterface
    public interface NodeActionListener {
        /** {@code atNanos}: the lab's clock when it was asked; {@code failure}: why it failed, or null. */
        void applied(long atNanos, String action, String nodeId, Map<String, String> params, String failure);
    }

    private volatile NodeActionListener actionListener;

    /** Sets the one listener of the node actions (null: none). */
    public void setOnNodeAction(NodeActionListener listener) {
        this.actionListener = listener;
    }

    /** The running lab, or null (stopped, starting, stopping): what a lesson's checks read the events of. */
    public Lab runningLab() {
        Lab current = lab;
        return current != null && running.get() ? current : null;
    }

    /** Whether the node runs keepalived in the running lab (a member of an HA group); false when the lab is not running. */
    public boolean isHaMember(String nodeId) {
        Lab current = lab;
        return current != null && running.get() && dev.flowlab.ha.HighAvailability.of(current).isMember(nodeId);
    }

    /** Whether the running lab's keepalived on this member runs now (false once killed or stopped, or when not running). */
    public boolean isKeepalivedRunning(String nodeId) {
        Lab current = lab;
        return current != null && running.get()
                && dev.flowlab.ha.HighAvailability.of(current).groupOf(nodeId).map(g -> g.keepalivedRunning(nodeId)).orElse(false);
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    public String title() {
        return "Request Flow Lab — " + (scenario.name() == null || scenario.name().isBlank() ? "untitled" : scenario.name());
    }

    public ObservableList<NodeViewModel> nodes() {
        return nodes;
    }

    public Optional<NodeViewModel> node(String id) {
        return Optional.ofNullable(nodesById.get(id));
    }

    /** True from a successful start until a stop completes. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return running.get();
    }

    /** True while a start or stop is under way: Start and Stop are disabled meanwhile. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean isBusy() {
        return busy.get();
    }

    /** True when the status line reports a failure. */
    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public String getStatus() {
        return status.get();
    }

    /** Starts every node, then the traffic. Ignored while busy, running or disposed. */
    public void start() {
        start(null);
    }

    /**
     * Starts the scenario with this traffic instead of its own (a lesson's "traffic at N req/s"),
     * or with its own when null. The document is not changed.
     */
    public void start(dev.flowlab.topology.Traffic override) {
        if (busy.get() || running.get() || disposed) {
            return;
        }
        List<TopologyProblem> errors = TopologyValidator.validate(scenario).stream().filter(TopologyProblem::isError).toList();
        startRefusal.setAll(errors);
        if (!errors.isEmpty()) {
            failed.set(true);
            status.set("Cannot start: " + errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in the topology · "
                    + errors.get(0).message());
            return;
        }
        restartNeeded.set(false);
        busy.set(true);
        failed.set(false);
        status.set("Starting " + nodeCount() + "…" + firstElection(scenario));
        nodes.forEach(n -> n.showDown(NodeState.STARTING));
        Scenario toRun = override == null ? scenario : scenario.withTraffic(override);
        background.execute(() -> startLab(toRun));
    }

    /**
     * What the start waits for besides binding: keepalived's members start as BACKUP and the first
     * master claims the VIP when its own master_down_interval has passed (not the address owner, 255).
     */
    static String firstElection(Scenario s) {
        Duration longest = Duration.ZERO;
        for (HaGroup g : s.haGroups()) {
            HaGroup withDefaults = Params.withDefaults(g);
            int best = withDefaults.members().stream().mapToInt(m -> Params.withDefaults(m).priority()).max().orElse(255);
            if (best < 255) {
                Duration d = HaGroup.masterDownInterval(withDefaults.advertInt(), best, withDefaults.vrrpVersion());
                longest = d.compareTo(longest) > 0 ? d : longest;
            }
        }
        return longest.isZero() ? "" : " · keepalived starts as BACKUP: the first master claims its VIP after master_down_interval "
                + Durations.format(Duration.ofMillis(Math.round(longest.toNanos() / 1e6)));
    }

    /**
     * Warms the lab's code paths in the background now (the app calls it once its window is up), so
     * that the first Start finds them compiled; a Start pressed meanwhile runs right after it. Once
     * per view-model; nothing when the warm-up is zero.
     */
    public void warmUp() {
        Scenario toWarm = scenario;
        try {
            background.execute(() -> warmUpOnce(toWarm, false));
        } catch (RejectedExecutionException e) {
            // Closing: nothing to warm.
        }
    }

    /** On the background executor: the warm-up, unless it ran already. */
    private void warmUpOnce(Scenario toWarm, boolean starting) {
        Duration budget = warmup;
        if (warmedUp || budget.isZero() || disposed) {
            return;
        }
        warmedUp = true;
        String why = "warming up the lab's code paths on a private copy (once, up to " + Durations.format(budget)
                + ": the JIT's first seconds are the lab's, not the design's)";
        uiThread.execute(() -> {
            if (busy.get()) {
                status.set("Starting " + nodeCount() + "… · first " + why);
            } else if (!running.get() && !failed.get()) {
                status.set("Stopped · " + nodeCount() + " · " + why);
            }
        });
        Warmup.Result r = Warmup.run(labFactory, toWarm, budget, Warmup.DEFAULT_REQUESTS, () -> disposed);
        log.info("{}", r.describe());
        uiThread.execute(() -> {
            if (busy.get()) {
                status.set("Starting " + nodeCount() + "…" + firstElection(scenario));
            } else if (!running.get() && !failed.get()) {
                status.set("Stopped · " + nodeCount() + " · press Start to run them on loopback");
            }
        });
    }

    private void startLab(Scenario toRun) {
        warmUpOnce(toRun, true);
        Lab started = null;
        try {
            started = labFactory.apply(toRun);
            started.start();
        } catch (RuntimeException e) {
            log.info("lab failed to start: {}", e.getMessage());
            Lab failedLab = started;
            if (failedLab != null) {
                failedLab.close();
            }
            uiThread.execute(() -> onStartFailed(failedLab, e));
            return;
        }
        lab = started;
        String trafficProblem = null;
        try {
            traffic.start(started);
        } catch (RuntimeException e) {
            log.warn("traffic did not start", e);
            trafficProblem = describe(e);
        }
        Lab runningLab = started;
        String problem = trafficProblem;
        uiThread.execute(() -> onStarted(runningLab, problem));
    }

    private void onStarted(Lab started, String trafficProblem) {
        busy.set(false);
        if (disposed) {
            return;
        }
        running.set(true);
        refresh();
        StringBuilder s = new StringBuilder("Running · ").append(nodeCount());
        started.httpEntry().map(entry -> started.address(entry.id())).map(LabViewModel::hostPort)
                .ifPresent(a -> s.append(" · ").append(a));
        if (trafficProblem != null) {
            s.append(" · traffic not started: ").append(trafficProblem);
        }
        failed.set(trafficProblem != null);
        status.set(s.toString());
        log.info("lab {}", s);
    }

    private void onStartFailed(Lab failedLab, RuntimeException e) {
        busy.set(false);
        running.set(false);
        failed.set(true);
        status.set("Start failed: " + describe(e));
        Map<String, NodeState> states = new LinkedHashMap<>();
        if (failedLab != null) {
            for (NodeView v : failedLab.nodeViews()) {
                states.put(v.id(), v.state());
            }
        }
        for (NodeViewModel n : nodes) {
            n.showDown(states.get(n.id()) == NodeState.FAILED ? NodeState.FAILED : NodeState.STOPPED);
        }
    }

    /** Stops the traffic, then closes the lab (every node down, every port released). Ignored unless running. */
    public void stop() {
        if (busy.get() || !running.get()) {
            return;
        }
        busy.set(true);
        status.set("Stopping " + nodeCount() + "…");
        nodes.forEach(n -> n.showDown(NodeState.STOPPING));
        background.execute(() -> {
            RuntimeException problem = closeLab();
            uiThread.execute(() -> onStopped(problem));
        });
    }

    private RuntimeException closeLab() {
        Lab closing = lab;
        lab = null;
        if (closing == null) {
            return null;
        }
        RuntimeException problem = null;
        try {
            traffic.stop();
        } catch (RuntimeException e) {
            log.warn("traffic did not stop cleanly", e);
            problem = e;
        }
        try {
            closing.close();
        } catch (RuntimeException e) {
            log.warn("lab did not close cleanly", e);
            problem = e;
        }
        return problem;
    }

    private void onStopped(RuntimeException problem) {
        busy.set(false);
        running.set(false);
        restartNeeded.set(false);
        nodes.forEach(n -> n.showDown(NodeState.STOPPED));
        failed.set(problem != null);
        status.set(problem == null ? "Stopped · " + nodeCount() : "Stopped, not cleanly: " + describe(problem));
    }

    /**
     * Copies the lab's latest node states and metrics snapshot into the node view-models, all in
     * one go. Call on the UI thread (the view does, ten times a second); does nothing unless running.
     */
    public void refresh() {
        Lab current = lab;
        if (current == null || !running.get()) {
            return;
        }
        MetricsSnapshot figures = current.metrics().latest();
        NodeViewModel tightest = null;
        for (NodeView view : current.nodeViews()) {
            NodeViewModel vm = nodesById.get(view.id());
            if (vm != null) {
                vm.show(view, figures.node(view.id()));
                if (vm.saturation() >= BOTTLENECK_AT && (tightest == null || vm.saturation() > tightest.saturation())) {
                    tightest = vm;
                }
            }
        }
        for (NodeViewModel vm : nodesById.values()) {
            vm.setBottleneck(vm == tightest);
        }
    }

    /**
     * The window is going away: closes the lab, if any, on the background executor. The future
     * completes once every node is down (the app waits on it before exiting).
     */
    public synchronized CompletableFuture<Void> dispose() {
        // Once is enough: Platform.exit (a SIGTERM) runs the app's stop before the window's hide, each disposing.
        if (disposal != null) {
            return disposal;
        }
        disposed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        disposal = done;
        Runnable close = () -> {
            closeLab();
            done.complete(null);
        };
        try {
            background.execute(close);
        } catch (RejectedExecutionException e) {
            // The executor is already shut down, so nobody else will release the lab's ports.
            log.warn("background executor gone; closing the lab on the calling thread");
            close.run();
        }
        return done;
    }

    private String nodeCount() {
        int n = nodes.size();
        return n + (n == 1 ? " node" : " nodes");
    }

    private static String hostPort(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        // An external entry may be a name that was never resolved.
        return a.getAddress() == null ? a.getHostString() + ":" + a.getPort() : TcpServerNode.hostPort(a);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }
}
