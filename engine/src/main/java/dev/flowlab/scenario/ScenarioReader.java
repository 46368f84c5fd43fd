package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import dev.flowlab.topology.Traffic;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One read of one file: text to a located tree, format check and migration, binding part by part
 * (each node, link and script step on its own, so one bad node does not hide the next), range
 * checks, topology checks. Collects problems instead of stopping at the first.
 */
final class ScenarioReader {
    private static final String NODE_KINDS = Arrays.stream(NodeKind.values()).map(NodeKind::id).collect(Collectors.joining(", "));
    private static final List<String> TOP_LEVEL_FIELDS = Arrays.stream(Scenario.class.getRecordComponents())
            .map(rc -> rc.getName()).toList();

    private final String file;
    private final List<ScenarioProblem> errors = new ArrayList<>();
    private final List<ScenarioProblem> warnings = new ArrayList<>();
    private LocationRecordingParser parser;
    /** A value failed to bind but the topology is intact (e.g. a bad config value): keep checking. */
    private boolean partial;
    /** A node or link itself failed to bind: topology checks would only add noise. */
    private boolean structural;

    ScenarioReader(String file) {
        this.file = file;
    }

    ScenarioCheck check(String json) {
        Scenario scenario = null;
        ObjectNode root = parse(json);
        if (root != null && checkFormat(root)) {
            scenario = bind(root);
            // Null when a node or link did not bind: the topology of what is left would only add noise.
            // A node whose config has a bad value is checked with that config's defaults, so one pass
            // reports every problem; the scenario itself is not returned then, lest a value be lost.
            if (scenario != null) {
                for (TopologyProblem p : TopologyValidator.validate(scenario)) {
                    (p.isError() ? errors : warnings).add(problem(p.path(), p.message()));
                }
            }
        }
        Comparator<ScenarioProblem> byPosition = Comparator.comparingInt(ScenarioProblem::line).thenComparingInt(ScenarioProblem::column);
        errors.sort(byPosition);
        warnings.sort(byPosition);
        // A scenario whose parts all bound stays useful to an editor even when ranges or topology are wrong.
        return new ScenarioCheck(partial ? null : scenario, errors, warnings);
    }

    // ---- text to tree

    private ObjectNode parse(String json) {
        try (JsonParser raw = ScenarioJson.FACTORY.createParser(json)) {
            parser = new LocationRecordingParser(raw);
            JsonNode tree = ScenarioJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(parser);
            if (tree == null || tree.isMissingNode()) {
                errors.add(new ScenarioProblem(file, 1, 1, JsonPaths.ROOT, "the file is empty; a scenario is a JSON object"));
                return null;
            }
            if (!tree.isObject()) {
                errors.add(problem(JsonPaths.ROOT, "a scenario is a JSON object, not " + describe(tree)));
                return null;
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                JsonLocation at = parser.currentTokenLocation();
                errors.add(new ScenarioProblem(file, at.getLineNr(), at.getColumnNr(), JsonPaths.ROOT,
                        "unexpected " + trailing.asString() + " after the end of the scenario object"));
                return null;
            }
            return (ObjectNode) tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation() != null ? e.getLocation() : JsonLocation.NA;
            if (isDuplicateKey(e)) {
                at = startOfKeyEndingAt(json, at);
            }
            String path = parser != null ? JsonPaths.of(parser.getParsingContext()) : JsonPaths.ROOT;
            errors.add(new ScenarioProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), path, syntaxMessage(e)));
            return null;
        } catch (IOException e) {
            errors.add(new ScenarioProblem(file, 0, 0, null, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /** Jackson reports a duplicate key just after its closing quote; people look for its start. */
    private static JsonLocation startOfKeyEndingAt(String json, JsonLocation after) {
        int end = (int) after.getCharOffset();
        if (end <= 0 || end > json.length() || json.charAt(end - 1) != '"') {
            return after;
        }
        int open = end - 2;
        while (open >= 0 && !(json.charAt(open) == '"' && (open == 0 || json.charAt(open - 1) != '\\'))) {
            open--;
        }
        return open < 0 ? after : new JsonLocation(after.contentReference(), open, after.getLineNr(), after.getColumnNr() - (end - open));
    }

    private static boolean isDuplicateKey(JsonProcessingException e) {
        return e.getOriginalMessage().startsWith("Duplicate field '");
    }

    private static String syntaxMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (isDuplicateKey(e)) {
            return "duplicate key '" + m.substring("Duplicate field '".length(), m.indexOf('\'', "Duplicate field '".length())) + "'";
        }
        return "invalid JSON: " + firstLine(m);
    }

    // ---- format and migration

    private boolean checkFormat(ObjectNode root) {
        JsonNode format = root.get("format");
        if (format == null) {
            errors.add(problem(JsonPaths.ROOT, "missing required field 'format' (this Request Flow Lab writes \"format\": " + Scenario.FORMAT + ")"));
            return false;
        }
        if (!format.isIntegralNumber() || !format.canConvertToInt()) {
            errors.add(problem("$.format", "format must be a whole number, not " + describe(format)));
            return false;
        }
        int version = format.intValue();
        if (version > Scenario.FORMAT) {
            errors.add(problem("$.format", "written by a newer Request Flow Lab (format " + version + "); this one reads up to " + Scenario.FORMAT));
            return false;
        }
        if (version < 1) {
            errors.add(problem("$.format", "format " + version + " does not exist; formats start at 1"));
            return false;
        }
        ScenarioMigrations.migrate(root, version);
        return true;
    }

    // ---- binding

    private Scenario bind(ObjectNode root) {
        int before = errors.size();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL_FIELDS.contains(name)) {
                errors.add(problem(JsonPaths.field(JsonPaths.ROOT, name), unknownField(name, TOP_LEVEL_FIELDS)));
            }
        }
        String name = bindValue(root.get("name"), "$.name", type(String.class));
        String description = bindValue(root.get("description"), "$.description", type(String.class));
        List<NodeSpec> nodes = bindList(root.get("nodes"), "$.nodes", this::bindNode);
        List<LinkSpec> links = bindList(root.get("links"), "$.links", this::bindLink);
        Traffic traffic = bindValue(root.get("traffic"), "$.traffic", type(Traffic.class));
        List<ScriptStep> script = bindList(root.get("script"), "$.script", (n, p) -> bindValue(n, p, type(ScriptStep.class)));
        List<HaGroup> haGroups = bindList(root.get("haGroups"), "$.haGroups", (n, p) -> bindValue(n, p, type(HaGroup.class)));
        if (errors.size() > before) {
            partial = true;
            if (structural) {
                return null;
            }
        }
        for (int i = 0; nodes != null && i < nodes.size(); i++) {
            if (nodes.get(i).config() instanceof Record config) {
                checkRanges(config, JsonPaths.field(JsonPaths.index("$.nodes", i), "config"));
            }
        }
        if (traffic != null) {
            checkRanges(traffic, "$.traffic");
        }
        for (int i = 0; haGroups != null && i < haGroups.size(); i++) {
            checkRanges(haGroups.get(i), JsonPaths.index("$.haGroups", i));
        }
        checkScript(script);
        return new Scenario(Scenario.FORMAT, name, description, nodes, links, traffic, script, haGroups);
    }

    private interface ElementBinder<T> {
        /** The bound element, or null after recording why it could not be bound. */
        T bind(ObjectNode element, String path);
    }

    private <T> List<T> bindList(JsonNode array, String path, ElementBinder<T> binder) {
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            errors.add(problem(path, "expected an array, found " + describe(array)));
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = JsonPaths.index(path, i);
            JsonNode element = array.get(i);
            if (!(element instanceof ObjectNode object)) {
                errors.add(problem(at, "expected an object, found " + describe(element)));
                continue;
            }
            T value = binder.bind(object, at);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /**
     * Checks the required fields and the kind first (a wrong kind would otherwise surface as a
     * puzzling type-id error), then binds the config by its kind on its own: Jackson's
     * external-type-id handling loses the "config" step of error paths.
     */
    private NodeSpec bindNode(ObjectNode node, String path) {
        boolean ok = require(node, path, "id");
        JsonNode kindValue = node.get("kind");
        NodeKind kind = null;
        if (kindValue == null || kindValue.isNull()) {
            errors.add(problem(path, "missing required field 'kind' (one of " + NODE_KINDS + ")"));
        } else if (!kindValue.isTextual()) {
            errors.add(problem(path + ".kind", "expected a node kind (" + NODE_KINDS + "), found " + describe(kindValue)));
        } else {
            try {
                kind = NodeKind.fromId(kindValue.textValue());
            } catch (IllegalArgumentException e) {
                errors.add(problem(path + ".kind", e.getMessage()));
            }
        }
        if (!ok || kind == null) {
            structural = true;
            return null;
        }
        NodeConfig config = bindValue(node.get("config"), path + ".config", type(NodeConfig.typeFor(kind)));
        ObjectNode withoutConfig = node.deepCopy();
        withoutConfig.remove("config");
        int before = errors.size();
        NodeSpec spec = bindValue(withoutConfig, path, type(NodeSpec.class));
        if (spec == null || errors.size() > before) {
            structural = true;
            return null;
        }
        return config == null ? spec : spec.withConfig(config);
    }

    private LinkSpec bindLink(ObjectNode link, String path) {
        boolean from = require(link, path, "from");
        boolean to = require(link, path, "to");
        LinkSpec spec = from && to ? bindValue(link, path, type(LinkSpec.class)) : null;
        structural |= spec == null;
        return spec;
    }

    private boolean require(JsonNode object, String path, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            errors.add(problem(path, "missing required field '" + field + "'"));
            return false;
        }
        return true;
    }

    private static JavaType type(Class<?> c) {
        return ScenarioJson.MAPPER.constructType(c);
    }

    private <T> T bindValue(JsonNode value, String path, JavaType type) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return ScenarioJson.MAPPER.readerFor(type).readValue(value);
        } catch (JsonMappingException e) {
            String where = JsonPaths.of(path, e);
            errors.add(problem(where, bindingMessage(e, value, path, where)));
        } catch (StreamReadException e) {
            // Reading the tree back (a number too big for its field): the tree parser knows where it was.
            String where = e.getProcessor() != null ? path + JsonPaths.of(e.getProcessor().getParsingContext()).substring(1) : path;
            errors.add(problem(where, firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            errors.add(problem(path, firstLine(e.getMessage())));
        }
        return null;
    }

    private String bindingMessage(JsonMappingException e, JsonNode bound, String boundPath, String where) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return unknownField(u.getPropertyName(), known);
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() == Duration.class) {
            return f.getOriginalMessage();
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return v.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            JsonNode found = nodeAt(bound, boundPath, where);
            return "expected " + expected(m.getTargetType()) + ", found " + (found != null ? describe(found) : "something else");
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable value";
        }
        int cut = message.indexOf('\n');
        return cut > 0 ? message.substring(0, cut) : message;
    }

    private static String unknownField(String name, Collection<String> known) {
        return "unknown field '" + name + "'" + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")");
    }

    /** The tree node at {@code where}, a path at or below {@code boundPath} (whose node is {@code bound}). */
    private static JsonNode nodeAt(JsonNode bound, String boundPath, String where) {
        if (!where.startsWith(boundPath)) {
            return null;
        }
        String rest = where.substring(boundPath.length());
        JsonNode n = bound;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]").matcher(rest);
        int end = 0;
        while (m.find() && m.start() == end && n != null) {
            n = m.group(1) != null ? n.get(m.group(1)) : n.get(Integer.parseInt(m.group(2)));
            end = m.end();
        }
        return end == rest.length() ? n : null;
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as \"200ms\" or \"60s\"";
        }
        if (type == NodeKind.class) {
            return "a node kind (" + NODE_KINDS + ")";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String describe(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "the string \"" + n.textValue() + "\"";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isNull()) {
            return "null";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- checks after binding

    private void checkRanges(Record config, String path) {
        for (String p : Params.check(config, path)) {
            int colon = p.indexOf(": ");
            errors.add(problem(p.substring(0, colon), p.substring(colon + 2)));
        }
    }

    private void checkScript(List<ScriptStep> script) {
        if (script == null) {
            return;
        }
        for (int i = 0; i < script.size(); i++) {
            ScriptStep step = script.get(i);
            String at = JsonPaths.index("$.script", i);
            if (step.at() == null) {
                errors.add(problem(at, "missing required field 'at' (when the action happens, e.g. \"5s\")"));
            }
            if (step.action() == null || step.action().isBlank()) {
                errors.add(problem(at, "missing required field 'action' (kill, stop, start, restart...)"));
            }
        }
    }

    private ScenarioProblem problem(String path, String message) {
        JsonLocation at = parser != null ? parser.locate(path) : JsonLocation.NA;
        return new ScenarioProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), path, message);
    }
}
