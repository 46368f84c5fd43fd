package dev.flowlab.scenario;

import dev.flowlab.event.Fact;
import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The checks a bound lesson section gets beyond its types: every node, link and panel it names
 * exists, every action and check kind is known, each check has the parameters its kind needs and
 * no others, and thresholds are in range. Problems go to {@code report} as (JSON path, message).
 */
final class LessonValidator {
    /** Each check kind's parameters: required ones first, then a '?' and the optional ones. */
    static final Map<String, Params> KINDS = new LinkedHashMap<>();

    record Params(Set<String> required, Set<String> optional) {
        boolean allows(String field) {
            return required.contains(field) || optional.contains(field) || COMMON.contains(field);
        }
    }

    /** Every check may have these. */
    static final Set<String> COMMON = Set.of("kind", "label", "deadline", "hint");

    static {
        KINDS.put("noFailures", new Params(Set.of(), Set.of("method", "path", "after", "windowSeconds", "atMost", "status")));
        KINDS.put("holdsVip", new Params(Set.of("node"), Set.of("after", "withinSeconds")));
        KINDS.put("rateDrop", new Params(Set.of("nodes", "atLeast"), Set.of("relativeTo", "after", "windowSeconds")));
        KINDS.put("ratio", new Params(Set.of("fact", "equals", "atLeast"), Set.of("field", "over", "nodes")));
        KINDS.put("rejected", new Params(Set.of(), Set.of("userAgent", "path", "method", "status")));
        KINDS.put("latency", new Params(Set.of("percentile"), Set.of("under", "atLeast", "windowSeconds", "after")));
        KINDS.put("rate", new Params(Set.of("atLeast"), Set.of("windowSeconds", "after")));
        KINDS.put("nodeCount", new Params(Set.of("nodeKind"), Set.of("atMost", "atLeast")));
    }

    /** The field of a fact a ratio reads when the check names none. */
    static final Map<String, String> DEFAULT_FIELDS = Lesson.Check.DEFAULT_FIELDS;

    private static final List<String> CHECK_FIELDS = Arrays.stream(Lesson.Check.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    private final Scenario scenario;
    private final BiConsumer<String, String> report;

    private LessonValidator(Scenario scenario, BiConsumer<String, String> report) {
        this.scenario = scenario;
        this.report = report;
    }

    static void validate(Scenario scenario, Lesson lesson, BiConsumer<String, String> report) {
        new LessonValidator(scenario, report).lesson(lesson);
    }

    /** The Fact record of this simple name ("CacheStatus"), or null. */
    static Class<?> factType(String name) {
        for (Class<?> c : Fact.class.getPermittedSubclasses()) {
            if (c.getSimpleName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private void lesson(Lesson lesson) {
        String at = "$.lesson";
        if (lesson.kind() != null && !List.of(Lesson.LESSON, Lesson.CHALLENGE).contains(lesson.kind())) {
            report.accept(at + ".kind", "unknown lesson kind " + ScenarioText.quote(lesson.kind()) + " (lesson or challenge)");
        }
        if (lesson.title() == null || lesson.title().isBlank()) {
            report.accept(at, "missing required field 'title' (what the learner sees in the list of lessons)");
        }
        if (lesson.isChallenge()) {
            if (lesson.criteria().isEmpty()) {
                report.accept(at, "a challenge needs 'criteria': the checks its run is graded by");
            }
        } else {
            if (lesson.steps().isEmpty()) {
                report.accept(at, "a lesson needs at least one step in 'steps'");
            }
            if (!lesson.criteria().isEmpty()) {
                report.accept(at + ".criteria", "only a challenge has criteria; a lesson's checks sit in its steps");
            }
        }
        for (int i = 0; i < lesson.steps().size(); i++) {
            step(lesson.steps().get(i), JsonPaths.index(at + ".steps", i));
        }
        for (int i = 0; i < lesson.criteria().size(); i++) {
            check(lesson.criteria().get(i), JsonPaths.index(at + ".criteria", i), null);
        }
    }

    private void step(Lesson.Step step, String at) {
        if (step.narration() == null || step.narration().isBlank()) {
            report.accept(at, "missing required field 'narration' (what the step says, in plain words)");
        }
        Lesson.Highlight h = step.highlight();
        if (h != null) {
            for (int i = 0; i < h.nodes().size(); i++) {
                node(h.nodes().get(i), JsonPaths.index(at + ".highlight.nodes", i));
            }
            for (int i = 0; i < h.links().size(); i++) {
                link(h.links().get(i), JsonPaths.index(at + ".highlight.links", i));
            }
            if (h.panel() != null && !Lesson.Highlight.PANELS.contains(h.panel())) {
                report.accept(at + ".highlight.panel", "unknown panel " + ScenarioText.quote(h.panel()) + " (one of "
                        + String.join(", ", Lesson.Highlight.PANELS) + ")");
            }
        }
        for (int i = 0; i < step.actions().size(); i++) {
            action(step.actions().get(i), JsonPaths.index(at + ".actions", i));
        }
        if (step.check() != null) {
            check(step.check(), at + ".check", step);
        }
    }

    private void action(Lesson.Action a, String at) {
        if (a.action() == null) {
            report.accept(at, "missing required field 'action' (one of " + String.join(", ", Lesson.Action.ACTIONS) + ")");
            return;
        }
        if (!Lesson.Action.ACTIONS.contains(a.action())) {
            report.accept(at + ".action", "unknown action " + ScenarioText.quote(a.action()) + " (one of "
                    + String.join(", ", Lesson.Action.ACTIONS) + ")");
            return;
        }
        boolean nodeAction = Lesson.Action.NODE_ACTIONS.contains(a.action()) || a.action().equals("set");
        if (nodeAction) {
            if (a.node() == null) {
                report.accept(at, "missing required field 'node' (the node to " + a.action() + ")");
            } else {
                node(a.node(), at + ".node");
            }
        } else if (a.node() != null) {
            report.accept(at + ".node", "the action '" + a.action() + "' takes no node");
        }
        if (a.action().equals("partition") && a.peer() == null) {
            report.accept(at, "missing required field 'peer' (the other keepalived member whose adverts are cut)");
        }
        if (a.peer() != null) {
            if (!List.of("partition", "heal").contains(a.action())) {
                report.accept(at + ".peer", "only partition and heal take a peer");
            } else {
                node(a.peer(), at + ".peer");
            }
        }
        if (a.rps() != null) {
            if (!a.action().equals("traffic")) {
                report.accept(at + ".rps", "only the traffic action takes a rate");
            } else if (a.rps() <= 0 || a.rps() > 1_000_000 || a.rps().isNaN()) {
                report.accept(at + ".rps", "rps must be above 0 and at most 1000000 requests/s, not " + Lesson.number(a.rps()));
            }
        }
        if (a.action().equals("set")) {
            if (a.field() == null || a.field().isBlank()) {
                report.accept(at, "missing required field 'field' (the config field to set, e.g. maxThreads or upstreams[0].servers[1].weight)");
            }
            if (a.value() == null) {
                report.accept(at, "missing required field 'value' (the new value, as text)");
            }
        } else {
            if (a.field() != null) {
                report.accept(at + ".field", "only the set action takes a field");
            }
            if (a.value() != null) {
                report.accept(at + ".value", "only the set action takes a value");
            }
        }
    }

    private void check(Lesson.Check c, String at, Lesson.Step step) {
        if (c.kind() == null) {
            report.accept(at, "missing required field 'kind' (one of " + String.join(", ", KINDS.keySet()) + ")");
            return;
        }
        Params params = KINDS.get(c.kind());
        if (params == null) {
            report.accept(at + ".kind", "unknown check kind " + ScenarioText.quote(c.kind()) + " (one of "
                    + String.join(", ", KINDS.keySet()) + ")");
            return;
        }
        Map<String, Object> set = values(c);
        for (String f : params.required()) {
            if (!set.containsKey(f)) {
                report.accept(at, "a " + c.kind() + " check needs '" + f + "'");
            }
        }
        for (String f : set.keySet()) {
            if (!params.allows(f)) {
                report.accept(at + "." + f, "a " + c.kind() + " check takes no '" + f + "' (it takes "
                        + String.join(", ", params.required()) + (params.required().isEmpty() ? "" : ", ")
                        + String.join(", ", params.optional().stream().sorted().toList()) + ")");
            }
        }
        if (c.node() != null) {
            node(c.node(), at + ".node");
        }
        each(c.nodes(), at + ".nodes");
        each(c.relativeTo(), at + ".relativeTo");
        if (c.nodeKind() != null) {
            try {
                NodeKind.fromId(c.nodeKind());
            } catch (IllegalArgumentException e) {
                report.accept(at + ".nodeKind", e.getMessage());
            }
        }
        if (c.kind().equals("rateDrop") && c.after() == null && c.relativeTo() == null) {
            report.accept(at, "a rateDrop check compares with a baseline: give 'after' (an action of the step) or 'relativeTo' (nodes)");
        }
        if (c.kind().equals("rejected") && c.userAgent() == null && c.path() == null) {
            report.accept(at, "a rejected check needs 'userAgent' or 'path': the request the lab sends to be refused");
        }
        if (c.kind().equals("latency") && (c.under() == null) == (c.atLeast() == null)) {
            report.accept(at, "a latency check needs 'under' (ms: the goal is below it) or 'atLeast' (ms: show the queue building), one of the two");
        }
        if (c.kind().equals("latency") && c.atLeast() != null && !(c.atLeast() > 0 && c.atLeast() <= 3_600_000)) {
            report.accept(at + ".atLeast", "'atLeast' is a latency in milliseconds above 0 (at most an hour), not " + Lesson.number(c.atLeast()));
        }
        if (c.kind().equals("nodeCount") && c.atMost() == null && c.atLeast() == null) {
            report.accept(at, "a nodeCount check needs 'atMost' or 'atLeast'");
        }
        if (c.after() != null) {
            if (step == null) {
                report.accept(at + ".after", "a challenge's criteria cover the whole run; 'after' belongs to a lesson step's check");
            } else if (step.actions().stream().noneMatch(a -> c.after().equals(a.action()))) {
                report.accept(at + ".after", "the step has no " + ScenarioText.quote(c.after()) + " action (its actions: "
                        + (step.actions().isEmpty() ? "none" : step.actions().stream().map(Lesson.Action::action).collect(Collectors.joining(", "))) + ")");
            }
        }
        if (c.fact() != null) {
            Class<?> type = factType(c.fact());
            if (type == null) {
                report.accept(at + ".fact", "unknown fact " + ScenarioText.quote(c.fact()) + " (a record of dev.flowlab.event.Fact: "
                        + Arrays.stream(Fact.class.getPermittedSubclasses()).map(Class::getSimpleName).sorted().collect(Collectors.joining(", ")) + ")");
            } else {
                String field = c.field() != null ? c.field() : DEFAULT_FIELDS.get(c.fact());
                List<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
                if (field == null) {
                    report.accept(at, "a ratio over " + c.fact() + " needs 'field' (one of " + String.join(", ", fields) + ")");
                } else if (!fields.contains(field)) {
                    report.accept(at + (c.field() != null ? ".field" : ".fact"), c.fact() + " has no field " + ScenarioText.quote(field)
                            + " (its fields: " + String.join(", ", fields) + ")");
                }
            }
        }
        fraction(c.kind().equals("ratio") || c.kind().equals("rateDrop"), c.atLeast(), at + ".atLeast");
        if (c.kind().equals("rate") && c.atLeast() != null && !(c.atLeast() > 0 && c.atLeast() <= 1_000_000)) {
            report.accept(at + ".atLeast", "a rate must be above 0 and at most 1000000 requests/s, not " + Lesson.number(c.atLeast()));
        }
        if (c.kind().equals("nodeCount")) {
            whole(c.atMost(), at + ".atMost");
            whole(c.atLeast(), at + ".atLeast");
        }
        if (c.percentile() != null && !(c.percentile() > 0 && c.percentile() <= 100)) {
            report.accept(at + ".percentile", "a percentile is above 0 and at most 100, not " + Lesson.number(c.percentile()));
        }
        if (c.under() != null && !(c.under() > 0 && c.under() <= 3_600_000)) {
            report.accept(at + ".under", "'under' is a latency in milliseconds above 0 (at most an hour), not " + Lesson.number(c.under()));
        }
        seconds(c.windowSeconds(), at + ".windowSeconds");
        seconds(c.withinSeconds(), at + ".withinSeconds");
        if (c.over() != null && (c.over() < 1 || c.over() > 1_000_000)) {
            report.accept(at + ".over", "'over' counts facts: at least 1 and at most 1000000, not " + c.over());
        }
        if (c.status() != null && (c.status() < 100 || c.status() > 599)) {
            report.accept(at + ".status", "an HTTP status is from 100 to 599, not " + c.status());
        }
        if (c.deadline() != null && (c.deadline().isZero() || c.deadline().isNegative() || c.deadline().toHours() >= 1)) {
            report.accept(at + ".deadline", "a deadline is above 0 and under an hour (e.g. \"20s\")");
        }
        if (c.method() != null && !c.method().matches("[A-Z]{1,16}")) {
            report.accept(at + ".method", "a method is an HTTP method in capitals (GET, POST...), not " + ScenarioText.quote(c.method()));
        }
    }

    private void fraction(boolean applies, Double v, String at) {
        if (applies && v != null && !(v > 0 && v <= 1)) {
            report.accept(at, "a share is above 0 and at most 1 (0.8 is 80%), not " + Lesson.number(v));
        }
    }

    private void whole(Double v, String at) {
        if (v != null && (v < 0 || v != Math.rint(v) || v > ScenarioLimits.MAX_NODES)) {
            report.accept(at, "a node count is a whole number from 0 to " + ScenarioLimits.MAX_NODES + ", not " + Lesson.number(v));
        }
    }

    private void seconds(Double v, String at) {
        if (v != null && !(v > 0 && v <= 3600)) {
            report.accept(at, "seconds above 0 and at most 3600, not " + Lesson.number(v));
        }
    }

    private void each(List<String> ids, String at) {
        if (ids == null) {
            return;
        }
        if (ids.isEmpty()) {
            report.accept(at, "name at least one node");
        }
        for (int i = 0; i < ids.size(); i++) {
            node(ids.get(i), JsonPaths.index(at, i));
        }
    }

    private void node(String id, String at) {
        if (scenario.node(id).isEmpty()) {
            report.accept(at, "unknown node " + ScenarioText.quote(id) + " (the scenario has: "
                    + scenario.nodes().stream().map(NodeSpec::id).collect(Collectors.joining(", ")) + ")");
        }
    }

    private void link(String text, String at) {
        int arrow = text.indexOf("->");
        if (arrow < 0) {
            report.accept(at, "a link is written \"from->to\", e.g. \"nginx-1->tomcat-2\", not " + ScenarioText.quote(text));
            return;
        }
        String from = text.substring(0, arrow).trim();
        String to = text.substring(arrow + 2).trim();
        boolean found = scenario.links().stream().anyMatch(l -> l.from().equals(from) && l.to().equals(to));
        if (!found) {
            report.accept(at, "no link " + ScenarioText.quote(text) + " in the scenario (its links: "
                    + scenario.links().stream().limit(20).map(LessonValidator::linkText).collect(Collectors.joining(", "))
                    + (scenario.links().size() > 20 ? ", ..." : "") + ")");
        }
    }

    static String linkText(LinkSpec l) {
        return l.from() + "->" + l.to();
    }

    /** The check's fields that are set, by name, in the record's order. */
    static Map<String, Object> values(Lesson.Check c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : Lesson.Check.class.getRecordComponents()) {
            try {
                Object v = rc.getAccessor().invoke(c);
                if (v != null) {
                    out.put(rc.getName(), v);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static List<String> checkFields() {
        return new ArrayList<>(CHECK_FIELDS);
    }
}
