package dev.flowlab.lesson;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.flowlab.client.LoadClient;
import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.run.Warmup;
import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioEdit;
import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.stack.Stack;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code lab check}'s engine: grades a scenario's lesson or challenge on a real lab, headless.
 * A lesson's steps are walked in order: each step's actions are done (traffic started, a node
 * killed, two keepalived members partitioned...), then its check is followed on the lab's events
 * until it passes, fails or runs out of time. A challenge runs the scenario as {@code lab run}
 * does (its traffic for its duration, its fault script at its times) and grades every criterion
 * on that run. Blocks; must not run on an event loop.
 */
public final class LabCheck {
    /** How often the checks are looked at. */
    static final long PUMP_MILLIS = 50;

    private LabCheck() {
    }

    /** One criterion's outcome: the step it belongs to (0 for a challenge's criteria), what it asked, and where it ended. */
    @JsonPropertyOrder({"step", "title", "criterion", "status", "figure", "hint"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int step, String title, String criterion, String status, String figure, String hint) {
        static Item of(int step, String title, CheckRun run, CheckState s) {
            return new Item(step, title, run.describe(), s.status().name().toLowerCase(Locale.ROOT), s.figure(), s.hint());
        }

        public boolean passed() {
            return "passed".equals(status);
        }
    }

    /** The whole result, as {@code lab check --report} writes it. */
    @JsonPropertyOrder({"scenario", "kind", "title", "passed", "criteria"})
    public record Result(String scenario, String kind, String title, boolean passed, List<Item> criteria) {
        public long failures() {
            return criteria.stream().filter(i -> !i.passed()).count();
        }
    }

    /** Whether there is anything to grade: a lesson with at least one check, or a challenge. */
    public static boolean hasChecks(Scenario s) {
        Lesson l = s.lesson();
        return l != null && (l.isChallenge() ? !l.criteria().isEmpty() : l.steps().stream().anyMatch(st -> st.check() != null));
    }

    public static Result run(Scenario scenario, Consumer<String> progress) {
        return run(scenario, progress, Stack::lab);
    }

    /** Grades the scenario's lesson or challenge; {@code labs} builds a lab for a scenario (not started). */
    public static Result run(Scenario scenario, Consumer<String> progress, Function<Scenario, Lab> labs) {
        return run(scenario, progress, labs, null);
    }

    /**
     * {@link #run(Scenario, Consumer, Function)} after warming the lab's code paths for up to
     * {@code warmup} on a private copy of the scenario's lab ({@link Warmup}; null or zero: not at
     * all), so that the JIT's first seconds are not graded as the design's.
     */
    public static Result run(Scenario scenario, Consumer<String> progress, Function<Scenario, Lab> labs, Duration warmup) {
        Lesson lesson = scenario.lesson();
        if (lesson == null) {
            throw new IllegalArgumentException("scenario '" + scenario.name() + "' has no lesson or challenge to check");
        }
        Consumer<String> say = progress != null ? progress : s -> { };
        if (warmup != null && !warmup.isZero()) {
            say.accept(Warmup.run(labs, scenario, warmup, Warmup.DEFAULT_REQUESTS, () -> false).describe());
        }
        return lesson.isChallenge() ? challenge(scenario, say, labs) : lesson(scenario, say, labs);
    }

    // ---- a lesson: step by step

    private static Result lesson(Scenario scenario, Consumer<String> say, Function<Scenario, Lab> labs) {
        Lesson lesson = scenario.lesson();
        List<Item> items = new ArrayList<>();
        try (Headless h = new Headless(scenario, labs)) {
            for (int i = 0; i < lesson.steps().size(); i++) {
                Lesson.Step step = lesson.steps().get(i);
                String title = step.title() != null ? step.title() : "step " + (i + 1);
                say.accept("step " + (i + 1) + ": " + title);
                CheckRun run = step.check() == null ? null : CheckRun.forStep(step.check(), h.scenario, h.now());
                List<CheckRun> runs = run == null ? List.of() : List.of(run);
                if (run != null && "rateDrop".equals(step.check().kind()) && step.check().after() != null) {
                    // The rate before the action is the baseline: let the traffic run a window first.
                    double w = step.check().windowSeconds() != null ? step.check().windowSeconds() : CheckRun.DEFAULT_WINDOW_SECONDS;
                    h.pumpFor(runs, (long) (w * 1e9) + TimeUnit.MILLISECONDS.toNanos(200));
                }
                for (Lesson.Action a : step.actions()) {
                    say.accept("  " + a.text());
                    try {
                        LessonActions.perform(h, a).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        say.accept("  " + a.text() + " failed: " + cause.getMessage());
                    }
                    if (run != null) {
                        run.actionDone(a.action(), h.now());
                    }
                    if (a.action().equals("set") && run != null) {
                        // The check follows the new lab.
                        run = CheckRun.forStep(step.check(), h.scenario, h.now());
                        run.actionDone(a.action(), h.now());
                        runs = List.of(run);
                    }
                }
                if (run != null) {
                    CheckState s = h.pumpUntilFinal(run);
                    items.add(Item.of(i + 1, title, run, s));
                    say.accept("  " + mark(s) + " " + run.describe() + ": " + s.figure() + (s.hint() == null ? "" : " (hint: " + s.hint() + ")"));
                }
            }
        }
        return new Result(scenario.name(), Lesson.LESSON, lesson.title(), items.stream().allMatch(Item::passed), items);
    }

    static String mark(CheckState s) {
        return s.passed() ? "PASS" : "FAIL";
    }

    // ---- a challenge: one run, every criterion graded on it

    private static Result challenge(Scenario scenario, Consumer<String> say, Function<Scenario, Lab> labs) {
        Lesson lesson = scenario.lesson();
        Traffic traffic = scenario.effectiveTraffic();
        Duration duration = traffic.duration();
        List<NodeSpec> clientNodes = scenario.nodesOfKind(NodeKind.CLIENT);
        if (clientNodes.isEmpty()) {
            throw new IllegalArgumentException("challenge '" + scenario.name() + "' has no client node to send traffic");
        }
        List<Item> items = new ArrayList<>();
        List<LoadClient> clients = new ArrayList<>();
        try (Lab lab = labs.apply(scenario)) {
            CheckFeed feed = new CheckFeed(lab);
            try (feed) {
                lab.start();
                say.accept("challenge: " + lesson.title() + ": running " + describe(traffic) + " for " + Durations.format(duration));
                long t0 = lab.clock().nanos();
                long end = t0 + duration.toNanos();
                List<CheckRun> runs = new ArrayList<>();
                for (Lesson.Check c : lesson.criteria()) {
                    runs.add(CheckRun.forRun(c, scenario, t0, end));
                }
                for (NodeSpec c : clientNodes) {
                    if (!scenario.downstreamOf(c.id()).isEmpty()) {
                        clients.add(LoadClient.forLab(lab, c.id()));
                    }
                }
                List<Traffic> shares = split(traffic, clients.size());
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).start(shares.get(i), duration);
                }
                List<ScriptStep> script = new ArrayList<>(scenario.scriptSteps());
                script.sort(Comparator.comparing(ScriptStep::at));
                int next = 0;
                while (lab.clock().nanos() < end) {
                    long now = lab.clock().nanos();
                    while (next < script.size() && now >= t0 + script.get(next).at().toNanos()) {
                        ScriptStep st = script.get(next++);
                        say.accept(String.format(Locale.ROOT, "  %6d ms  %s %s", (now - t0) / 1_000_000, st.action(), st.node()));
                        lab.apply(st.action(), st.node(), st.params());
                    }
                    feed.pump(runs, now);
                    sleep(PUMP_MILLIS);
                }
                for (LoadClient c : clients) {
                    c.stop();
                }
                Duration drain = clients.stream().map(c -> c.options().requestTimeout()).max(Comparator.naturalOrder())
                        .orElse(Duration.ZERO).plusSeconds(1);
                CompletableFuture<?>[] drains = clients.stream().map(c -> c.drain(drain)).toArray(CompletableFuture[]::new);
                try {
                    CompletableFuture.allOf(drains).get(drain.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    say.accept("  the clients did not drain: " + e);
                }
                long finished = lab.clock().nanos();
                for (CheckRun r : runs) {
                    r.runFinished(finished);
                }
                // Probes still out (a rejected check) get their answers.
                long probeUntil = finished + CheckRun.PROBE_EVERY_NANOS * 2;
                while (lab.clock().nanos() < probeUntil && runs.stream().anyMatch(r -> !r.state(lab.clock().nanos()).isFinal())) {
                    feed.pump(runs, lab.clock().nanos());
                    sleep(PUMP_MILLIS);
                }
                feed.pump(runs, lab.clock().nanos());
                for (CheckRun r : runs) {
                    CheckState s = r.state(Math.max(lab.clock().nanos(), probeUntil));
                    if (!s.isFinal()) {
                        s = CheckState.failed(s.figure(), "the run ended before the criterion was decided");
                    }
                    items.add(Item.of(0, lesson.title(), r, s));
                    say.accept("  " + mark(s) + " " + r.describe() + ": " + s.figure() + (s.hint() == null ? "" : " (hint: " + s.hint() + ")"));
                }
                if (feed.dropped() > 0) {
                    say.accept("  note: " + feed.dropped() + " events were dropped; figures from events may be low");
                }
            }
        } finally {
            for (LoadClient c : clients) {
                c.close();
            }
        }
        return new Result(scenario.name(), Lesson.CHALLENGE, lesson.title(), items.stream().allMatch(Item::passed), items);
    }

    static List<Traffic> split(Traffic t, int clients) {
        List<Traffic> out = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int users = t.concurrency() / clients + (i < t.concurrency() % clients ? 1 : 0);
            out.add(new Traffic(t.mode(), t.rps() / clients, Math.max(1, users), t.duration(), t.mix()));
        }
        return out;
    }

    private static String describe(Traffic t) {
        return "open".equals(t.mode()) ? Lesson.number(t.rps()) + " req/s (open loop)" : t.concurrency() + " users (closed loop)";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lab check interrupted", e);
        }
    }

    /** The headless lab of a lesson: actions done on it directly, a set restarts it with the edited scenario. */
    static final class Headless implements LessonActions, AutoCloseable {
        private final Function<Scenario, Lab> labs;
        Scenario scenario;
        private Lab lab;
        private final CheckFeed feed;
        private ScenarioTraffic traffic;
        private Traffic running;

        Headless(Scenario scenario, Function<Scenario, Lab> labs) {
            this.labs = labs;
            this.scenario = scenario;
            this.lab = labs.apply(scenario);
            this.feed = new CheckFeed(lab);
            lab.start();
        }

        long now() {
            return lab.clock().nanos();
        }

        void pumpFor(List<CheckRun> runs, long nanos) {
            long until = now() + nanos;
            while (now() < until) {
                feed.pump(runs, now());
                sleep(PUMP_MILLIS);
            }
        }

        CheckState pumpUntilFinal(CheckRun run) {
            List<CheckRun> runs = List.of(run);
            while (true) {
                feed.pump(runs, now());
                CheckState s = run.state(now());
                if (s.isFinal()) {
                    return s;
                }
                sleep(PUMP_MILLIS);
            }
        }

        @Override
        public CompletableFuture<Void> traffic(Double rps) {
            stopQuietly();
            Traffic t = scenario.effectiveTraffic();
            running = rps == null ? t : new Traffic("open", rps, t.concurrency(), t.duration(), t.mix());
            traffic = ScenarioTraffic.start(lab, running);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stopTraffic() {
            stopQuietly();
            running = null;
            return CompletableFuture.completedFuture(null);
        }

        private void stopQuietly() {
            if (traffic != null) {
                traffic.close();
                traffic = null;
            }
        }

        @Override
        public CompletableFuture<Void> node(String action, String node, Map<String, String> params) {
            return lab.apply(action, node, params);
        }

        @Override
        public CompletableFuture<Void> trace() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stepMode() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> set(String node, String field, String value) {
            Scenario edited;
            try {
                edited = ScenarioEdit.set(scenario, node, field, value);
            } catch (ScenarioException e) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
            }
            Traffic was = running;
            stopQuietly();
            lab.close();
            scenario = edited;
            lab = labs.apply(edited);
            feed.attach(lab);
            lab.start();
            if (was != null) {
                traffic = ScenarioTraffic.start(lab, was);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            stopQuietly();
            feed.close();
            lab.close();
        }
    }
}
