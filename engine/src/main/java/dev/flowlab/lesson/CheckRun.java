package dev.flowlab.lesson;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One check of a lesson step or a challenge, graded on what the running lab does: it is fed the
 * lab's events ({@link #accept}, typed {@link Fact}s, never their text), told when the step's
 * actions were done ({@link #actionDone}), and asked where it stands at a time ({@link #state}).
 * Time is only what the caller passes in (event times and {@code now}, both {@link System#nanoTime()}
 * based, as {@link dev.flowlab.runtime.LabClock} gives them), so a test drives it without sleeping.
 * Not thread-safe: one thread feeds and asks. The vocabulary is documented in docs/LESSONS.md.
 */
public final class CheckRun {
    /** How long a lesson step's check may take when it names no deadline. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    /** A lesson step's window when the check names none (noFailures, latency, rate, rateDrop). */
    public static final double DEFAULT_WINDOW_SECONDS = 5;
    /** rateDrop leaves this much after the action out, for the connections in flight to settle. */
    static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A rejected check sends its request again this often until it is answered as wanted. */
    static final long PROBE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Samples kept at most per check (a long run at a high rate): the oldest go first. */
    static final int MAX_SAMPLES = 2_000_000;

    private final Lesson.Check check;
    private final Scenario scenario;
    private final long startNanos;
    /** A challenge's run: the window is the whole run, graded when it ends. */
    private final Long runEndNanos;
    private final Map<String, Long> actions = new HashMap<>();
    private final Set<String> clients = new HashSet<>();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private CheckState latched;
    private long finishedNanos = -1;

    // holdsVip
    private final Map<String, String> holders = new HashMap<>();
    private long heldSince = -1;
    // ratio
    private final Deque<String> lastValues = new ArrayDeque<>();
    // rejected
    private int probesSent;
    private long lastProbeNanos = Long.MIN_VALUE;
    private final Map<String, Integer> refusedBy = new HashMap<>();
    private String refusingNode;
    private final Map<String, Integer> answers = new HashMap<>();
    private String lastAnswer;

    private record Sample(long nanos, long value, boolean ok, String node, int status) {
        Sample(long nanos, long value, boolean ok, String node) {
            this(nanos, value, ok, node, 0);
        }
    }

    private CheckRun(Lesson.Check check, Scenario scenario, long startNanos, Long runEndNanos) {
        this.check = check;
        this.scenario = scenario;
        this.startNanos = startNanos;
        this.runEndNanos = runEndNanos;
        scenario.nodesOfKind(NodeKind.CLIENT).forEach(n -> clients.add(n.id()));
    }

    /** A lesson step's check, from the moment the step starts. */
    public static CheckRun forStep(Lesson.Check check, Scenario scenario, long startNanos) {
        return new CheckRun(check, scenario, startNanos, null);
    }

    /** A challenge's criterion over a run from {@code startNanos} to {@code endNanos}, graded at its end. */
    public static CheckRun forRun(Lesson.Check check, Scenario scenario, long startNanos, long endNanos) {
        return new CheckRun(check, scenario, startNanos, endNanos);
    }

    public Lesson.Check check() {
        return check;
    }

    /** The step's action {@code action} was done at {@code nanos} (the first time counts). */
    public void actionDone(String action, long nanos) {
        actions.putIfAbsent(action, nanos);
    }

    /** The VIPs' holders before the check started (a check that starts after a move still knows who holds what). */
    public void seedHolders(Map<String, String> vipHolders, long sinceNanos) {
        if (!"holdsVip".equals(check.kind())) {
            return;
        }
        holders.putAll(vipHolders);
        if (holders.containsValue(check.node()) && heldSince < 0) {
            heldSince = sinceNanos;
        }
    }

    /** The run's traffic ended at this time: a challenge's window checks are graded now. */
    public void runFinished(long nanos) {
        finishedNanos = nanos;
    }

    // ---- what the lab does

    public void accept(LabEvent e) {
        if (latched != null || e == null) {
            return;
        }
        switch (check.kind()) {
            case "noFailures", "latency", "rate" -> clientOutcome(e);
            case "rateDrop" -> {
                if (e.type() == EventType.REQUEST_RECEIVED || (e.type() == EventType.CLIENT_REQUEST && clients.contains(e.node()))) {
                    add(new Sample(e.nanos(), 1, true, e.node()));
                }
            }
            case "holdsVip" -> {
                if (e.fact() instanceof Fact.VipMoved m) {
                    holders.put(m.vip(), m.to());
                    boolean holds = holders.containsValue(check.node());
                    if (holds && heldSince < 0) {
                        heldSince = e.nanos();
                    } else if (!holds) {
                        heldSince = -1;
                    }
                }
            }
            case "ratio" -> ratioSample(e);
            case "rejected" -> {
                if (e.traceId() != null && e.traceId().startsWith(probePrefix()) && e.fact() instanceof Fact.FilterRefusal r) {
                    refusedBy.put(e.traceId(), r.status());
                    refusingNode = e.node() + " (" + r.filter() + (r.reason() == null ? "" : ": " + r.reason()) + ")";
                }
            }
            default -> {
            }
        }
    }

    private void clientOutcome(LabEvent e) {
        if (!clients.contains(e.node()) && !(e.type() == EventType.CLIENT_ERROR)) {
            return;
        }
        String path;
        boolean ok;
        if (e.type() == EventType.CLIENT_RESPONSE && e.fact() instanceof Fact.ClientResponse r) {
            path = r.path();
            ok = "rate".equals(check.kind()) ? e.status() < 400
                    : e.status() < 500 && (check.status() == null || e.status() != check.status());
        } else if (e.type() == EventType.CLIENT_ERROR && e.fact() instanceof Fact.ClientError r) {
            path = r.path();
            ok = false;
        } else {
            return;
        }
        if (check.path() != null && (path == null || !path.startsWith(check.path()))) {
            return;
        }
        // The lab's browsers send GET; a check on another method sees none of their requests.
        if (check.method() != null && !"GET".equals(check.method())) {
            return;
        }
        add(new Sample(e.nanos(), e.durationNanos(), ok, e.type() == EventType.CLIENT_ERROR && e.fact() instanceof Fact.ClientError c ? c.cause() : null,
                e.status()));
    }

    private void ratioSample(LabEvent e) {
        Fact f = e.fact();
        if (f == null || !f.getClass().getSimpleName().equals(check.fact())) {
            return;
        }
        if (check.nodes() != null && !check.nodes().contains(e.node())) {
            return;
        }
        Object v = component(f, fieldOf(check));
        lastValues.addLast(String.valueOf(v));
        while (lastValues.size() > over()) {
            lastValues.removeFirst();
        }
    }

    private static String fieldOf(Lesson.Check c) {
        if (c.field() != null) {
            return c.field();
        }
        String f = Lesson.Check.DEFAULT_FIELDS.get(c.fact());
        if (f == null) {
            throw new IllegalArgumentException("a ratio over " + c.fact() + " needs a field");
        }
        return f;
    }

    private static Object component(Object r, String name) {
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            if (rc.getName().equals(name)) {
                try {
                    return rc.getAccessor().invoke(r);
                } catch (ReflectiveOperationException ex) {
                    return null;
                }
            }
        }
        return null;
    }

    private void add(Sample s) {
        samples.addLast(s);
        if (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    // ---- probes (rejected)

    private String probePrefix() {
        return "probe-" + Integer.toHexString(System.identityHashCode(this)) + "-";
    }

    /** The request to send now, or null: a rejected check sends one at once and again every 2 s until answered as wanted. */
    public Probe probe(long now) {
        if (!"rejected".equals(check.kind()) || latched != null || (runEndNanos == null && now < windowFrom(now))) {
            return null;
        }
        if (runEndNanos != null && probesSent > 0) {
            return null;
        }
        if (probesSent > 0 && now - lastProbeNanos < PROBE_EVERY_NANOS) {
            return null;
        }
        probesSent++;
        lastProbeNanos = now;
        return new Probe(probePrefix() + probesSent, check.method() != null ? check.method() : "GET",
                check.path() != null ? check.path() : "/", check.userAgent());
    }

    /** What the probe got: its HTTP status (0: no answer, with why), and who served it (X-Served-By), if anyone said. */
    public void probeAnswered(String traceId, int status, String servedBy, String error) {
        answers.put(traceId, status);
        lastAnswer = status == 0 ? "no answer (" + error + ")" : status + (servedBy == null ? "" : " from " + servedBy);
    }

    // ---- the verdict

    /** Where the check stands at {@code now}; once passed or failed it stays so. */
    public CheckState state(long now) {
        if (latched != null) {
            return latched;
        }
        CheckState s = evaluate(now);
        if (s.isFinal()) {
            latched = s;
        }
        return s;
    }

    private long deadlineNanos() {
        if (runEndNanos != null) {
            return Long.MAX_VALUE;
        }
        Duration d = check.deadline() != null ? check.deadline() : DEFAULT_DEADLINE;
        return startNanos + d.toNanos();
    }

    private boolean runOver(long now) {
        return runEndNanos != null && (finishedNanos >= 0 || now >= runEndNanos);
    }

    /** Where the check's window starts: the {@code after} action's time, else the start; MAX_VALUE while the action is not done. */
    private long windowFrom(long now) {
        if (check.after() != null) {
            Long at = actions.get(check.after());
            return at == null ? Long.MAX_VALUE : at;
        }
        return startNanos;
    }

    private long windowNanos() {
        if (check.windowSeconds() != null) {
            return (long) (check.windowSeconds() * 1e9);
        }
        if (runEndNanos != null) {
            return runEndNanos - startNanos;
        }
        return (long) (DEFAULT_WINDOW_SECONDS * 1e9);
    }

    private String windowWords() {
        String w = check.windowSeconds() != null ? seconds(check.windowSeconds()) : runEndNanos != null ? "the run"
                : seconds(DEFAULT_WINDOW_SECONDS);
        if (check.after() != null) {
            return "in the " + w + " after the " + check.after();
        }
        return runEndNanos != null && check.windowSeconds() == null ? "over the run" : "over " + w;
    }

    private CheckState evaluate(long now) {
        long deadline = deadlineNanos();
        long from = windowFrom(now);
        if (from == Long.MAX_VALUE) {
            if (now >= deadline) {
                return CheckState.failed("the " + check.after() + " was not done before the deadline", hint("do the step's " + check.after() + " first"));
            }
            return CheckState.waiting("waiting for the " + check.after());
        }
        return switch (check.kind()) {
            case "noFailures" -> noFailures(now, from, deadline);
            case "latency" -> latency(now, from, deadline);
            case "rate" -> rate(now, from, deadline);
            case "rateDrop" -> rateDrop(now, from, deadline);
            case "holdsVip" -> holdsVip(now, from, deadline);
            case "ratio" -> ratio(now, deadline);
            case "rejected" -> rejected(now, deadline);
            case "nodeCount" -> nodeCount();
            default -> CheckState.failed("unknown check kind " + check.kind(), null);
        };
    }

    /** Whether the window from {@code from} is complete at {@code now}: its end passed, or (a challenge) the run is over. */
    private boolean windowDone(long now, long from) {
        if (runEndNanos != null) {
            return runOver(now) && (check.windowSeconds() == null || now >= from + windowNanos() || finishedNanos >= 0);
        }
        return now >= from + windowNanos();
    }

    /**
     * Where a window from {@code from} ends: its length, or for a challenge's whole-run window the
     * end of the run's drain (the answers to requests sent before the end count, as a load
     * generator counts them).
     */
    private long windowEnd(long from) {
        if (runEndNanos != null && check.windowSeconds() == null) {
            return finishedNanos >= 0 ? Math.max(finishedNanos, runEndNanos) : runEndNanos;
        }
        return from + windowNanos();
    }

    private List<Sample> inWindow(long from, long to) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.nanos >= from && s.nanos < to) {
                out.add(s);
            }
        }
        return out;
    }

    private CheckState noFailures(long now, long from, long deadline) {
        long to = windowEnd(from);
        List<Sample> w = inWindow(from, to);
        long failed = w.stream().filter(s -> !s.ok).count();
        long allowed = check.atMost() == null ? 0 : check.atMost().longValue();
        String what = check.path() != null ? check.path() + " requests" : (check.method() != null ? check.method() : "") + (check.method() != null ? " requests" : "requests");
        String figure = count(failed) + " of " + count(w.size()) + " " + what + " failed " + windowWords() + causes(w);
        if (failed > allowed && runEndNanos == null) {
            return CheckState.failed(figure, hint(allowed == 0 ? "a failed request reached the browser: what passes it to another server?"
                    : "more failures than allowed (" + allowed + ")"));
        }
        if (!windowDone(now, from)) {
            return CheckState.waiting(figure + " so far");
        }
        if (w.isEmpty()) {
            return CheckState.failed("no requests " + windowWords(), hint("start the traffic first"));
        }
        if (failed > allowed) {
            return CheckState.failed(figure + (allowed > 0 ? " (at most " + allowed + " allowed)" : ""), hint("more failures than allowed"));
        }
        return CheckState.passed(figure + (allowed > 0 ? " (at most " + allowed + " allowed)" : ""));
    }

    private static String causes(List<Sample> w) {
        Map<String, Integer> by = new java.util.TreeMap<>();
        for (Sample s : w) {
            if (!s.ok) {
                by.merge(s.node != null ? s.node : s.status >= 500 ? "5xx" : String.valueOf(s.status), 1, Integer::sum);
            }
        }
        if (by.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        by.forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(' ').append(v));
        return sb.append(')').toString();
    }

    /**
     * A lesson step's rate or latency check without an {@code after}: the last {@code windowSeconds}
     * up to now, looked at again and again until one window meets the goal or the deadline passes.
     */
    private boolean sliding() {
        return runEndNanos == null && check.after() == null;
    }

    private CheckState latency(long now, long from, long deadline) {
        if (!windowDone(now, from)) {
            return CheckState.waiting("measuring " + windowWords());
        }
        long start = sliding() ? now - windowNanos() : from;
        List<Sample> w = inWindow(start, sliding() ? now : windowEnd(from));
        if (w.isEmpty()) {
            return sliding() && now < deadline ? CheckState.waiting("no requests yet")
                    : CheckState.failed("no requests " + windowWords(), hint("start the traffic first"));
        }
        long[] lat = w.stream().mapToLong(s -> s.value).sorted().toArray();
        int idx = (int) Math.ceil(check.percentile() / 100.0 * lat.length) - 1;
        double ms = lat[Math.max(0, Math.min(lat.length - 1, idx))] / 1e6;
        boolean above = check.under() == null;
        String goal = above ? "at least " + number(check.atLeast()) + " ms" : "under " + number(check.under()) + " ms";
        String figure = String.format(Locale.ROOT, "p%s %.1f ms over %s requests %s (goal %s)", number(check.percentile()), ms,
                count(lat.length), sliding() ? "in the last " + seconds(windowNanos() / 1e9) : windowWords(), goal);
        boolean ok = above ? ms >= check.atLeast() : ms < check.under();
        if (ok) {
            return CheckState.passed(figure);
        }
        if (sliding() && now < deadline) {
            return CheckState.waiting(figure);
        }
        return CheckState.failed(figure, hint(above ? "the node still keeps up: send more, or give it fewer workers"
                : "where do requests wait? look at the busiest node's queue and workers"));
    }

    private CheckState rate(long now, long from, long deadline) {
        if (!windowDone(now, from)) {
            return CheckState.waiting("measuring " + windowWords());
        }
        if (sliding()) {
            from = now - windowNanos();
        }
        long to = windowEnd(from);
        List<Sample> w = inWindow(from, to);
        long ok = w.stream().filter(s -> s.ok).count();
        double seconds = Math.max(1e-9, (to - from) / 1e9);
        double rps = ok / seconds;
        String figure = String.format(Locale.ROOT, "%.0f successful req/s (%s of %s answered under 400) %s (goal %s req/s)", rps,
                count(ok), count(w.size()), windowWords(), number(check.atLeast()));
        if (rps >= check.atLeast()) {
            return CheckState.passed(figure);
        }
        if (sliding() && now < deadline) {
            return CheckState.waiting(figure);
        }
        return CheckState.failed(figure, hint("the requests that did not succeed: refused, timed out or answered 4xx/5xx"));
    }

    private CheckState rateDrop(long now, long from, long deadline) {
        long w = windowNanos();
        if (check.relativeTo() != null) {
            if (!windowDone(now, from)) {
                return CheckState.waiting("measuring " + windowWords());
            }
            List<Sample> s = inWindow(from, from + w);
            long mine = s.stream().filter(x -> check.nodes().contains(x.node)).count();
            long theirs = s.stream().filter(x -> check.relativeTo().contains(x.node)).count();
            if (theirs == 0) {
                return CheckState.failed("no requests at " + String.join(", ", check.relativeTo()) + " " + windowWords(), hint("start the traffic first"));
            }
            double drop = 1 - (double) mine / theirs;
            String figure = String.format(Locale.ROOT, "%s received %s requests, %s received %s: %.0f%% fewer %s (goal: at least %.0f%% fewer)",
                    String.join(", ", check.nodes()), count(mine), String.join(", ", check.relativeTo()), count(theirs), drop * 100,
                    windowWords(), check.atLeast() * 100);
            return drop + 1e-9 >= check.atLeast() ? CheckState.passed(figure)
                    : CheckState.failed(figure, hint("which requests still reach " + String.join(", ", check.nodes()) + "?"));
        }
        long afterFrom = from + SETTLE_NANOS;
        if (now < afterFrom + w) {
            return CheckState.waiting("measuring the rate before and after the " + check.after());
        }
        long before = inWindow(from - w, from).stream().filter(x -> check.nodes().contains(x.node)).count();
        long after = inWindow(afterFrom, afterFrom + w).stream().filter(x -> check.nodes().contains(x.node)).count();
        double secs = w / 1e9;
        if (before == 0) {
            return CheckState.failed("no requests reached " + String.join(", ", check.nodes()) + " before the " + check.after(),
                    hint("start the traffic and let it run before the " + check.after()));
        }
        double drop = 1 - (double) after / before;
        String figure = String.format(Locale.ROOT, "%s: %.0f req/s before the %s, %.0f after: %.0f%% lower (goal: at least %.0f%%)",
                String.join(", ", check.nodes()), before / secs, check.after(), after / secs, drop * 100, check.atLeast() * 100);
        return drop + 1e-9 >= check.atLeast() ? CheckState.passed(figure) : CheckState.failed(figure, hint("the rate did not fall enough"));
    }

    private CheckState holdsVip(long now, long from, long deadline) {
        long limit = check.withinSeconds() != null ? from + (long) (check.withinSeconds() * 1e9) : deadline;
        String others = holders.isEmpty() ? "no member has taken a VIP yet" : "holders: " + holders;
        if (heldSince >= 0 && heldSince <= limit) {
            double after = (heldSince - from) / 1e9;
            String when = heldSince < from ? "already held it " + (check.after() == null ? "when the step started" : "before the " + check.after())
                    : String.format(Locale.ROOT, "took it %.2f s %s", after, check.after() == null ? "into the step" : "after the " + check.after());
            return CheckState.passed(check.node() + " holds the VIP " + vipOf(check.node()) + ": " + when);
        }
        boolean over = runEndNanos != null ? runOver(now) : now >= limit;
        if (over) {
            String within = check.withinSeconds() != null ? " within " + seconds(check.withinSeconds()) + (check.after() == null ? "" : " of the " + check.after()) : "";
            return CheckState.failed(check.node() + " did not hold the VIP" + within + " (" + others + ")",
                    hint("keepalived's master_down_interval = 3 x advert_int + skew: is the master still advertising?"));
        }
        return CheckState.waiting("waiting for " + check.node() + " to hold the VIP (" + others + ")");
    }

    private String vipOf(String node) {
        return holders.entrySet().stream().filter(e -> node.equals(e.getValue())).map(Map.Entry::getKey).findFirst().orElse("");
    }

    private CheckState ratio(long now, long deadline) {
        int n = lastValues.size();
        long hits = lastValues.stream().filter(v -> v.equalsIgnoreCase(check.equals())).count();
        double share = n == 0 ? 0 : (double) hits / n;
        String figure = String.format(Locale.ROOT, "%s %s = %s: %s of the last %s (%.0f%%; goal at least %.0f%% over %s)", check.fact(),
                fieldOf(check), check.equals(), count(hits), count(n), share * 100, check.atLeast() * 100, count(over()));
        boolean full = n >= over();
        if (full && share + 1e-9 >= check.atLeast() && runEndNanos == null) {
            return CheckState.passed(figure);
        }
        boolean over = runEndNanos != null ? runOver(now) : now >= deadline;
        if (over) {
            if (full && share + 1e-9 >= check.atLeast()) {
                return CheckState.passed(figure);
            }
            return CheckState.failed(figure, hint(full ? "the share stays below the goal" : "too few " + check.fact() + " facts: is that traffic reaching the node?"));
        }
        return CheckState.waiting(figure);
    }

    private int over() {
        return check.over() != null ? check.over() : 100;
    }

    private CheckState rejected(long now, long deadline) {
        int wanted = check.status() != null ? check.status() : 403;
        String request = "a request" + (check.userAgent() != null ? " with User-Agent " + check.userAgent() : "")
                + (check.path() != null ? " to " + check.path() : "");
        for (Map.Entry<String, Integer> a : answers.entrySet()) {
            Integer refused = refusedBy.get(a.getKey());
            if (a.getValue() == wanted && refused != null && refused == wanted) {
                return CheckState.passed(request + " was answered " + wanted + " by " + refusingNode);
            }
        }
        boolean over = runEndNanos != null ? runOver(now) && !answers.isEmpty() || runOver(now) && now >= runEndNanos + PROBE_EVERY_NANOS
                : now >= deadline;
        if (over) {
            String got = lastAnswer == null ? "no answer" : lastAnswer;
            return CheckState.failed(request + " got " + got + ", not " + wanted + " from a filter",
                    hint("a deny rule at the gateway (risk control) can match the User-Agent"));
        }
        return CheckState.waiting(probesSent == 0 ? "about to send " + request : request + ": last answer " + (lastAnswer == null ? "pending" : lastAnswer));
    }

    private CheckState nodeCount() {
        NodeKind kind = NodeKind.fromId(check.nodeKind());
        int n = scenario.nodesOfKind(kind).size();
        String figure = n + " " + kind.id() + " node" + (n == 1 ? "" : "s") + (check.atMost() != null ? " (at most " + number(check.atMost()) + ")" : "")
                + (check.atLeast() != null ? " (at least " + number(check.atLeast()) + ")" : "");
        boolean ok = (check.atMost() == null || n <= check.atMost()) && (check.atLeast() == null || n >= check.atLeast());
        return ok ? CheckState.passed(figure) : CheckState.failed(figure, hint("count the " + kind.id() + " nodes on the canvas"));
    }

    private String hint(String fallback) {
        return check.hint() != null ? check.hint() : fallback;
    }

    /** What the check asks, in words: "no requests fail in the 5 s after the kill". */
    public String describe() {
        if (check.label() != null) {
            return check.label();
        }
        return switch (check.kind()) {
            case "noFailures" -> (check.atMost() == null ? "no " : "at most " + number(check.atMost()) + " ")
                    + (check.path() != null ? check.path() + " " : "") + "requests fail" + (check.status() != null ? " or get " + check.status() : "")
                    + " " + windowWords();
            case "holdsVip" -> check.node() + " holds the VIP" + (check.withinSeconds() != null ? " within " + seconds(check.withinSeconds()) : "")
                    + (check.after() != null ? " of the " + check.after() : "");
            case "rateDrop" -> String.join(", ", check.nodes()) + " receive at least " + pct(check.atLeast()) + " fewer requests"
                    + (check.relativeTo() != null ? " than " + String.join(", ", check.relativeTo()) : " after the " + check.after());
            case "ratio" -> check.fact() + " " + fieldOf(check) + " = " + check.equals() + " for at least " + pct(check.atLeast())
                    + " of the last " + over();
            case "rejected" -> "a request" + (check.userAgent() != null ? " with User-Agent " + check.userAgent() : "")
                    + (check.path() != null ? " to " + check.path() : "") + " is refused with " + (check.status() != null ? check.status() : 403);
            case "latency" -> "p" + number(check.percentile()) + " latency " + (check.under() != null ? "under " + number(check.under())
                    : "at least " + number(check.atLeast())) + " ms " + (sliding() ? "over " + seconds(windowNanos() / 1e9) : windowWords());
            case "rate" -> "at least " + number(check.atLeast()) + " successful req/s " + (sliding() ? "over " + seconds(windowNanos() / 1e9) : windowWords());
            case "nodeCount" -> (check.atMost() != null ? "at most " + number(check.atMost()) : "at least " + number(check.atLeast()))
                    + " " + check.nodeKind() + " nodes";
            default -> check.kind();
        };
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String number(double d) {
        return Lesson.number(d);
    }

    private static String seconds(double s) {
        return number(s) + " s";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Unused components kept for the compiler's sake. */
    static List<String> kinds() {
        return Arrays.asList(Lesson.Check.KINDS.toArray(new String[0]));
    }
}
