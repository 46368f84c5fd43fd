package dev.flowlab.run;

import dev.flowlab.client.LoadClient;
import dev.flowlab.client.RunResult;

import dev.flowlab.stack.Stack;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.record.Recorder;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.LabOptions;
import dev.flowlab.runtime.LabParts;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code lab run}'s engine: starts a scenario's lab, sends its traffic from every client node for a
 * while, applies the fault script at its times, and reports what the clients saw and what happened
 * to the nodes. The traffic profile is the total: with several client nodes, the rate (or the users)
 * is split evenly between them.
 */
public final class LabRun {
    /** The bus events a report lists: what happened to nodes, not the traffic itself. */
    static final Set<EventType> REPORTED = EnumSet.of(EventType.NODE_STARTED, EventType.NODE_STOPPED,
            EventType.NODE_KILLED, EventType.NODE_STATE, EventType.SERVER_DOWN, EventType.SERVER_UP,
            EventType.VIP_MOVED, EventType.HA_STATE, EventType.VRRP_ADVERT, EventType.FAULT_APPLIED, EventType.FAULT_CLEARED,
            EventType.CIRCUIT_STATE);
    private static final int EVENT_CAPACITY = 65_536;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Beyond the request timeout, how long the drain waits for the clients' last answers. */
    private static final Duration DRAIN_SLACK = Duration.ofSeconds(1);

    private LabRun() {
    }

    /**
     * Runs the scenario and returns its report. Blocks for the duration plus the drain; must not run
     * on an event loop. Bad input (no client node, a step naming an unknown node, both rps and
     * concurrency) is an {@link IllegalArgumentException} before anything starts; a lab that
     * cannot start throws {@link dev.flowlab.runtime.LabStartException}.
     */
    public static RunReport execute(Scenario scenario, RunOptions options) {
        return execute(Stack.parts(), scenario, options);
    }

    /** {@link #execute(Scenario, RunOptions)} with the lab made of these parts (a test's stub tier, say). */
    public static RunReport execute(LabParts parts, Scenario scenario, RunOptions options) {
        return execute(parts, LabOptions.defaults(), scenario, options);
    }

    /**
     * {@link #execute(LabParts, Scenario, RunOptions)} on a lab with these options: with a manual
     * {@link LabClock}, the traffic, the script and the end follow that clock (a test drives it).
     */
    public static RunReport execute(LabParts parts, LabOptions labOptions, Scenario scenario, RunOptions options) {
        RunOptions opts = options != null ? options : RunOptions.defaults();
        Traffic traffic = trafficFor(scenario, opts);
        Duration duration = opts.duration() != null ? opts.duration() : traffic.duration();
        List<ScriptStep> steps = stepsOf(scenario, opts);
        List<NodeSpec> clientNodes = scenario.nodesOfKind(NodeKind.CLIENT);
        if (clientNodes.isEmpty()) {
            throw new IllegalArgumentException("scenario " + name(scenario) + " has no client node to send traffic");
        }
        Progress progress = new Progress(opts.progress());

        if (opts.warmup() != null && !opts.warmup().isZero() && !(labOptions.clock() instanceof LabClock.Manual)) {
            // On the machine's clock, never the run's own (a clock belongs to one lab at a time).
            LabOptions warmupOptions = labOptions.withClock(null);
            progress.say(Warmup.run(s -> Stack.lab(s, warmupOptions, parts), scenario, opts.warmup(), Warmup.DEFAULT_REQUESTS,
                    () -> false).describe());
            progress.flush();
        }
        List<LoadClient> clients = new ArrayList<>();
        Recorder recorder = null;
        try (Lab lab = Stack.lab(scenario, labOptions, parts);
             EventBus.Subscription lifecycle = lab.events().subscribe(EVENT_CAPACITY, e -> REPORTED.contains(e.type()));
             EventBus.Subscription failures = scenario.haGroups().isEmpty() ? null
                     : lab.events().subscribe(EVENT_CAPACITY, LabRun::isClientFailure)) {
            for (NodeSpec c : clientNodes) {
                clients.add(LoadClient.forLab(lab, c.id()));
            }
            recorder = opts.record() == null ? null : attach(lab, opts.record());
            lab.start();
            progress.say("lab run: " + name(scenario) + ": " + scenario.nodes().size() + " nodes up; sending "
                    + describe(traffic) + " for " + Durations.format(duration));

            LabClock clock = lab.clock();
            long t0 = clock.nanos();
            if (recorder != null) {
                recorder.begin(t0);
            }
            Recorder rec = recorder;
            List<Traffic> shares = split(traffic, clients.size());
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).start(shares.get(i), duration, t0);
            }
            ConcurrentLinkedQueue<RunReport.Event> scriptEvents = new ConcurrentLinkedQueue<>();
            CompletableFuture<Void> end = new CompletableFuture<>();
            // The script and the end are looked at on the lab clock's tick (1 ms), in time order.
            Iterator<ScriptStep> next = steps.iterator();
            ScriptStep[] due = {next.hasNext() ? next.next() : null};
            long endAt = t0 + duration.toNanos();
            LabClock.Tick script = clock.every(lab.group().next(), () -> {
                long now = clock.nanos();
                while (due[0] != null && now - t0 >= due[0].at().toNanos() && now < endAt) {
                    applyStep(lab, due[0], t0, scriptEvents, progress, rec);
                    due[0] = next.hasNext() ? next.next() : null;
                }
                if (now >= endAt) {
                    end.complete(null);
                }
            });
            awaitEnd(end, clients, clock, t0, progress);
            Map<String, RunReport.Footprint> footprint = footprints(lab);
            script.cancel();
            for (LoadClient c : clients) {
                c.stop();
            }
            Duration drainFor = clients.stream().map(c -> c.options().requestTimeout())
                    .max(Comparator.naturalOrder()).orElse(Duration.ZERO).plus(DRAIN_SLACK);
            CompletableFuture.allOf(clients.stream().map(c -> c.drain(drainFor)).toArray(CompletableFuture[]::new))
                    .get(drainFor.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            progress.flush();

            RunResult merged = RunResult.merge(clients.stream().map(LoadClient::result).toList());
            List<RunReport.Event> events = events(lab, lifecycle, t0, new ArrayList<>(scriptEvents));
            for (LoadClient c : clients) {
                c.close();
            }
            double seconds = duration.toNanos() / 1e9;
            RunReport report = RunReport.of(scenario.name(), merged, seconds, events, footprint);
            report = report.withEcmp(ecmp(lab));
            report = failures == null ? report : FailoverWindows.add(report, lab, failures, t0);
            if (recorder != null) {
                Recorder r = recorder;
                recorder = null;
                finish(r, report);
            }
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lab run interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("lab run: the clients did not finish: " + e, e);
        } finally {
            for (LoadClient c : clients) {
                c.close();
            }
            if (recorder != null) {
                try {
                    recorder.close();
                } catch (java.io.IOException e) {
                    // The run failed already; its own error says more than the recording's.
                }
            }
        }
    }

    private static Recorder attach(Lab lab, java.nio.file.Path file) {
        try {
            return Recorder.attach(lab, file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot write the recording " + file + ": " + e.getMessage(), e);
        }
    }

    private static void finish(Recorder recorder, RunReport report) {
        try {
            recorder.finish(report.toJson());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the recording " + recorder.file() + " could not be written: " + e.getMessage(), e);
        }
    }

    /** Each running layer-4 director's footprint, taken while the traffic is still flowing. */
    static Map<String, RunReport.Footprint> footprints(Lab lab) {
        Map<String, RunReport.Footprint> out = new java.util.TreeMap<>();
        for (NodeSpec spec : lab.scenario().nodesOfKind(NodeKind.LVS)) {
            lab.node(spec.id()).flatMap(n -> n.layer4Footprint())
                    .ifPresent(f -> out.put(spec.id(), RunReport.Footprint.of(f)));
        }
        return out;
    }

    /** Each router's ECMP counts, with what its next hops did with the flows moved to them. */
    static Map<String, RunReport.Ecmp> ecmp(Lab lab) {
        Map<String, RunReport.Ecmp> out = new java.util.TreeMap<>();
        for (NodeSpec spec : lab.scenario().nodesOfKind(NodeKind.ROUTER)) {
            lab.node(spec.id()).ifPresent(n -> {
                if (n instanceof dev.flowlab.runtime.EcmpRouterNode r) {
                    long survived = 0;
                    long broken = 0;
                    for (String hop : r.nextHops()) {
                        if (lab.node(hop).orElse(null) instanceof dev.flowlab.runtime.EcmpNextHop d) {
                            survived += d.flowsSurvived();
                            broken += d.flowsBroken();
                        }
                    }
                    out.put(spec.id(), new RunReport.Ecmp(r.flowsHashed(), r.flowsRehashed(), r.nextHopsLost(), survived, broken));
                }
            });
        }
        return out;
    }

    static boolean isClientFailure(LabEvent e) {
        return e.type() == EventType.CLIENT_ERROR || (e.type() == EventType.CLIENT_RESPONSE && e.status() >= 500);
    }

    static Traffic trafficFor(Scenario scenario, RunOptions opts) {
        Traffic t = scenario.effectiveTraffic();
        if (opts.rps() != null) {
            return new Traffic("open", opts.rps(), t.concurrency(), t.duration(), t.mix());
        }
        if (opts.concurrency() != null) {
            return new Traffic("closed", t.rps(), opts.concurrency(), t.duration(), t.mix());
        }
        return t;
    }

    private static List<ScriptStep> stepsOf(Scenario scenario, RunOptions opts) {
        List<ScriptStep> steps = new ArrayList<>(scenario.scriptSteps());
        steps.addAll(opts.extraSteps());
        for (ScriptStep s : steps) {
            if (s.at() == null || s.at().isNegative()) {
                throw new IllegalArgumentException("script step " + s.action() + " " + s.node() + ": 'at' must be a time from the start (e.g. 5s)");
            }
            if (s.action() == null || s.action().isBlank()) {
                throw new IllegalArgumentException("script step at " + Durations.format(s.at()) + ": no action");
            }
            if (s.node() == null || scenario.node(s.node()).isEmpty()) {
                throw new IllegalArgumentException("script step " + s.action() + "@" + Durations.format(s.at())
                        + ": no node '" + s.node() + "' in scenario " + name(scenario));
            }
        }
        steps.sort(Comparator.comparing(ScriptStep::at));
        return steps;
    }

    /** Each client's part of the traffic: the rate divided evenly, the users dealt out one by one. */
    static List<Traffic> split(Traffic t, int clients) {
        List<Traffic> out = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            int users = t.concurrency() / clients + (i < t.concurrency() % clients ? 1 : 0);
            out.add(new Traffic(t.mode(), t.rps() / clients, Math.max(1, users), t.duration(), t.mix()));
        }
        return out;
    }

    private static void applyStep(Lab lab, ScriptStep step, long t0, ConcurrentLinkedQueue<RunReport.Event> out,
                                  Progress progress, Recorder recorder) {
        long appliedAt = lab.clock().nanos();
        long tMs = (lab.clock().nanos() - t0) / 1_000_000L;
        String detail = "script: " + step.action() + (step.params().isEmpty() ? "" : " " + step.params());
        out.add(new RunReport.Event(tMs, typeOf(step.action()), step.node(), detail));
        progress.say(String.format(Locale.ROOT, "  %6d ms  %s %s", tMs, step.action(), step.node()));
        CompletableFuture<Void> applied;
        try {
            applied = lab.apply(step.action(), step.node(), step.params());
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        applied.whenComplete((v, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (recorder != null) {
                recorder.fault(appliedAt, step.action(), step.node(), step.params(), e == null ? null : String.valueOf(cause.getMessage()));
            }
            if (e != null) {
                long at = (lab.clock().nanos() - t0) / 1_000_000L;
                out.add(new RunReport.Event(at, "action_failed", step.node(), step.action() + ": " + cause.getMessage()));
                progress.say(String.format(Locale.ROOT, "  %6d ms  %s %s failed: %s", at, step.action(), step.node(),
                        cause.getMessage()));
            }
        });
    }

    /** A script action's event type: what the node went through, in the words the node's own events use. */
    static String typeOf(String action) {
        return switch (action) {
            case "kill" -> EventType.NODE_KILLED.id();
            case "stop" -> EventType.NODE_STOPPED.id();
            case "start" -> EventType.NODE_STARTED.id();
            case "restart" -> "node_restarted";
            case "kill-service" -> "service_killed";
            case "kill-keepalived" -> "keepalived_killed";
            case "start-keepalived" -> "keepalived_started";
            default -> EventType.FAULT_APPLIED.id();
        };
    }

    /**
     * The run's events in time order: script steps, then lifecycle and HA events from the bus since
     * the traffic started. A node's own event that confirms a script step (the same type for the same
     * node, at or after the step) is folded into the step rather than listed twice.
     */
    private static List<RunReport.Event> events(Lab lab, EventBus.Subscription sub, long t0, List<RunReport.Event> script) {
        long originMs = lab.clock().millisSinceStart(t0);
        List<RunReport.Event> fromBus = new ArrayList<>();
        LabEvent e;
        while ((e = sub.poll()) != null) {
            // Events before the traffic started belong to the lab's start-up, not to the run.
            if (e.nanos() >= t0) {
                long tMs = lab.clock().millisSinceStart(e.nanos()) - originMs;
                fromBus.add(new RunReport.Event(tMs, e.type().id(), e.node(), e.detail(), RunReport.factJson(e.fact())));
            }
        }
        fromBus.sort(Comparator.comparingLong(RunReport.Event::tMs));
        List<RunReport.Event> all = new ArrayList<>(script);
        for (RunReport.Event s : script) {
            Iterator<RunReport.Event> it = fromBus.iterator();
            while (it.hasNext()) {
                RunReport.Event b = it.next();
                if (b.type().equals(s.type()) && b.node() != null && b.node().equals(s.node()) && b.tMs() >= s.tMs()) {
                    it.remove();
                    break;
                }
            }
        }
        all.addAll(fromBus);
        all.sort(Comparator.comparingLong(RunReport.Event::tMs));
        if (sub.dropped() > 0) {
            all.add(new RunReport.Event(all.isEmpty() ? 0 : all.get(all.size() - 1).tMs(), "events_dropped", null,
                    sub.dropped() + " events were dropped by the bus"));
        }
        return all;
    }

    /** Waits for the end of the traffic without spinning, printing a line a second and the script's steps as they happen. */
    private static void awaitEnd(CompletableFuture<Void> end, List<LoadClient> clients, LabClock clock, long t0,
                                 Progress progress)
            throws InterruptedException {
        long nextLine = t0 + PROGRESS_EVERY_NANOS;
        while (!end.isDone()) {
            try {
                end.get(progress.enabled() ? 200 : 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Time to report progress.
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            progress.flush();
            long now = clock.nanos();
            if (progress.enabled() && now >= nextLine && !end.isDone()) {
                RunResult r = RunResult.merge(clients.stream().map(LoadClient::result).toList());
                progress.say(String.format(Locale.ROOT, "  %6d ms  requests %d  ok %d  failed %d  p99 %.1f ms%s",
                        (now - t0) / 1_000_000L, r.requests(), r.ok(), r.failed(), r.percentileMs(99), errorsOf(r)));
                progress.flush();
                nextLine += PROGRESS_EVERY_NANOS;
            }
        }
    }

    private static String errorsOf(RunResult r) {
        if (r.errors().isEmpty()) {
            return "";
        }
        return "  (" + r.errors().entrySet().stream().map(en -> en.getKey() + " " + en.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String describe(Traffic t) {
        return "open".equals(t.mode())
                ? String.format(Locale.ROOT, "open loop at %s req/s", t.rps() == Math.rint(t.rps()) ? Long.toString(t.rps().longValue()) : t.rps().toString())
                : "closed loop with " + t.concurrency() + " users";
    }

    private static String name(Scenario s) {
        return s.name() == null ? "(unnamed)" : "'" + s.name() + "'";
    }

    /** Progress lines are queued by any thread and printed by the caller's, so a slow console never holds an event loop. */
    private static final class Progress {
        private final Consumer<String> sink;
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        Progress(Consumer<String> sink) {
            this.sink = sink;
        }

        boolean enabled() {
            return sink != null;
        }

        void say(String line) {
            if (sink != null) {
                lines.add(line);
            }
        }

        void flush() {
            String line;
            while ((line = lines.poll()) != null) {
                sink.accept(line);
            }
        }
    }
}
