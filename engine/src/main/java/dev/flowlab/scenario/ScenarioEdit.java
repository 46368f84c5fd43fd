package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.flowlab.topology.Scenario;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field of one node's config set to a new value, as a lesson's {@code set} action does
 * ({@code maxThreads}, {@code upstreams[0].servers[1].weight}): the scenario is written out, the
 * value put in place, and the result read back with every check a file gets, so a bad value is
 * refused with the reason a file would give.
 */
public final class ScenarioEdit {
    private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

    private ScenarioEdit() {
    }

    /**
     * {@code field} of {@code node}'s config set to {@code value}: JSON when it reads as JSON (a
     * number, true, an object), else a string. Intermediate objects are made as needed.
     */
    public static Scenario set(Scenario scenario, String node, String field, String value) throws ScenarioException {
        try {
            ObjectNode root = (ObjectNode) ScenarioJson.MAPPER.readTree(ScenarioIO.toJson(scenario));
            ArrayNode nodes = (ArrayNode) root.get("nodes");
            ObjectNode target = null;
            for (JsonNode n : nodes) {
                if (node.equals(n.path("id").asText(null))) {
                    target = (ObjectNode) n;
                }
            }
            if (target == null) {
                throw new ScenarioException(new ScenarioProblem(scenario.name(), 0, 0, null, "no node '" + node + "'"));
            }
            JsonNode parsed;
            try {
                parsed = ScenarioJson.MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                parsed = TextNode.valueOf(value);
            }
            if (parsed == null || parsed.isMissingNode()) {
                parsed = TextNode.valueOf(value);
            }
            JsonNode at = target.has("config") ? target.get("config") : target.putObject("config");
            Matcher m = STEP.matcher(field);
            java.util.List<Object> steps = new java.util.ArrayList<>();
            int end = 0;
            while (m.find()) {
                if (m.start() != end && !(field.charAt(end) == '.' && m.start() == end + 1)) {
                    throw bad(scenario, field);
                }
                steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
                end = m.end();
            }
            if (steps.isEmpty() || end != field.length()) {
                throw bad(scenario, field);
            }
            for (int i = 0; i < steps.size() - 1; i++) {
                Object s = steps.get(i);
                JsonNode next = s instanceof String name ? at.get(name) : at.get((Integer) s);
                if (next == null) {
                    if (!(s instanceof String name) || !(at instanceof ObjectNode o)) {
                        throw new ScenarioException(new ScenarioProblem(scenario.name(), 0, 0, null,
                                node + " has no " + field.substring(0, Math.min(field.length(), 200))));
                    }
                    next = o.putObject(name);
                }
                at = next;
            }
            Object last = steps.get(steps.size() - 1);
            if (last instanceof String name && at instanceof ObjectNode o) {
                o.set(name, parsed);
            } else if (last instanceof Integer i && at instanceof ArrayNode a && i < a.size()) {
                a.set(i, parsed);
            } else {
                throw new ScenarioException(new ScenarioProblem(scenario.name(), 0, 0, null, node + " has no " + field));
            }
            return ScenarioIO.read(ScenarioJson.MAPPER.writeValueAsString(root), scenario.name() + " (" + node + " " + field + " = " + value + ")");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot edit scenario " + scenario.name(), e);
        }
    }

    private static ScenarioException bad(Scenario s, String field) {
        return new ScenarioException(new ScenarioProblem(s.name(), 0, 0, null,
                "a field is written name, name.name or name[0].name (e.g. upstreams[0].servers[1].weight), not '" + field + "'"));
    }
}
