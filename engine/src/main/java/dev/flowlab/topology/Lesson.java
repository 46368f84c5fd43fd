package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * A scenario's lesson or challenge: the optional {@code "lesson"} section of a scenario file,
 * versioned on its own ({@link #VERSION}) so a file without one, or with an older one, still
 * opens. A <em>lesson</em> is ordered steps, each with narration, what to highlight, actions the
 * learner can do, and a check graded on the running lab's traffic. A <em>challenge</em> is a goal
 * and criteria graded by running the scenario (its traffic and fault script) after the learner
 * edited the topology. Checks are data: a small vocabulary documented in docs/LESSONS.md.
 */
@JsonPropertyOrder({"version", "kind", "title", "summary", "directives", "steps", "criteria"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Lesson(Integer version, String kind, String title, String summary, List<String> directives,
                     List<Step> steps, List<Check> criteria) {

    /** The newest lesson section version this build reads and writes. */
    public static final int VERSION = 1;
    public static final String LESSON = "lesson";
    public static final String CHALLENGE = "challenge";

    public Lesson {
        directives = directives == null ? List.of() : List.copyOf(directives);
        steps = steps == null ? List.of() : List.copyOf(steps);
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }

    /** 500 as "500", 12.5 as "12.5". */
    public static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The kind, "lesson" when the file names none. */
    @JsonIgnore
    public String kindOrDefault() {
        return kind == null ? LESSON : kind;
    }

    @JsonIgnore
    public boolean isChallenge() {
        return CHALLENGE.equals(kind);
    }

    /** One step: what to read, where to look, what to do, and how the lab shows it was understood. */
    @JsonPropertyOrder({"title", "narration", "highlight", "actions", "check"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Step(String title, String narration, Highlight highlight, List<Action> actions, Check check) {
        public Step {
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /** What the canvas and the window point at: nodes, links ("from->to") and a panel. */
    @JsonPropertyOrder({"nodes", "links", "panel"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Highlight(List<String> nodes, List<String> links, String panel) {
        /** The panels a step may point at. */
        public static final List<String> PANELS = List.of("canvas", "inspector", "metrics", "events", "trace", "step", "report");

        public Highlight {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            links = links == null ? List.of() : List.copyOf(links);
        }
    }

    /**
     * A button the step offers. {@code action} is one of {@link #ACTIONS}: {@code traffic} (with
     * {@code rps}), {@code stopTraffic}, a node action the lab applies (kill, stop, start, restart,
     * kill-service, kill-keepalived, start-keepalived, partition and heal with {@code peer}),
     * {@code trace} (trace the next request), {@code stepMode} (open step mode), {@code set}
     * ({@code node}'s config {@code field} to {@code value}; the lab restarts with it).
     */
    @JsonPropertyOrder({"action", "label", "node", "peer", "rps", "field", "value"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(String action, String label, String node, String peer, Double rps, String field, String value) {
        public static final List<String> NODE_ACTIONS = List.of("kill", "stop", "start", "restart", "kill-service",
                "kill-keepalived", "start-keepalived", "partition", "heal");
        public static final List<String> ACTIONS = List.of("traffic", "stopTraffic", "kill", "stop", "start", "restart",
                "kill-service", "kill-keepalived", "start-keepalived", "partition", "heal", "trace", "stepMode", "set");

        /** The button's text: the label, or one made from the action ("kill tomcat-2", "traffic at 500 req/s"). */
        @JsonIgnore
        public String text() {
            if (label != null && !label.isBlank()) {
                return label;
            }
            return switch (action == null ? "" : action) {
                case "traffic" -> "Start traffic at " + (rps == null ? "the scenario's rate" : number(rps) + " req/s");
                case "stopTraffic" -> "Stop traffic";
                case "partition" -> "Partition " + node + " from " + peer;
                case "heal" -> "Heal " + node + (peer == null ? "" : " and " + peer);
                case "trace" -> "Trace the next request";
                case "stepMode" -> "Open step mode";
                case "set" -> "Set " + node + " " + field + " = " + value;
                default -> action + (node == null ? "" : " " + node);
            };
        }
    }

    /**
     * A criterion graded on the running lab: {@code kind} names it (noFailures, holdsVip,
     * rateDrop, ratio, rejected, latency, rate, nodeCount) and the other fields are its
     * parameters; see docs/LESSONS.md for which each takes. {@code deadline}: how long the check
     * may take before it fails (a lesson step's default is 30s).
     */
    @JsonPropertyOrder({"kind", "label", "method", "path", "userAgent", "status", "node", "nodes", "relativeTo", "nodeKind",
            "fact", "field", "equals", "over", "percentile", "under", "atLeast", "atMost", "after", "windowSeconds",
            "withinSeconds", "deadline", "hint"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String kind, String label, String method, String path, String userAgent, Integer status,
                        String node, List<String> nodes, List<String> relativeTo, String nodeKind,
                        String fact, String field, String equals, Integer over,
                        Double percentile, Double under, Double atLeast, Double atMost,
                        String after, Double windowSeconds, Double withinSeconds, Duration deadline, String hint) {
        public static final List<String> KINDS = List.of("noFailures", "holdsVip", "rateDrop", "ratio", "rejected",
                "latency", "rate", "nodeCount");
        /** The field of a fact a ratio reads when the check names none. */
        public static final java.util.Map<String, String> DEFAULT_FIELDS = java.util.Map.ofEntries(
                java.util.Map.entry("CacheStatus", "status"), java.util.Map.entry("UpstreamChosen", "server"),
                java.util.Map.entry("L4Choice", "server"), java.util.Map.entry("FilterDecision", "decision"),
                java.util.Map.entry("FilterRefusal", "status"), java.util.Map.entry("DnsAnswer", "rcode"),
                java.util.Map.entry("HealthChecked", "ok"), java.util.Map.entry("Retry", "from"),
                java.util.Map.entry("ServerDown", "server"), java.util.Map.entry("ServerUp", "server"),
                java.util.Map.entry("CircuitChange", "to"), java.util.Map.entry("MovedFlow", "survived"),
                java.util.Map.entry("VipMoved", "to"), java.util.Map.entry("HaTransition", "to"),
                java.util.Map.entry("ClientError", "cause"));

        public Check {
            nodes = nodes == null ? null : List.copyOf(nodes);
            relativeTo = relativeTo == null ? null : List.copyOf(relativeTo);
        }
    }
}
