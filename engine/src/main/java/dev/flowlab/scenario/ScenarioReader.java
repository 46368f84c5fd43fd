package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import dev.flowlab.topology.Lesson;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One read of one file: text to a located tree, format check and migration, binding part by part
 * (each node, link and script step on its own, so one bad node does not hide the next), range
 * checks, topology checks. Collects problems instead of stopping at the first.
 */
final class ScenarioReader {
    private static final String NODE_KINDS = Arrays.stream(NodeKind.values()).map(NodeKind::id).collect(Collectors.joining(", "));
    /** Fields that hold an id or name one: a node's, a link's ends, an HA member, a route's servers, a partition's peer. */
    private static final Set<String> ID_FIELDS = Set.of("id", "from", "to", "node", "servers", "peer");
    /** Fields of free text, which may hold line breaks and tabs: a description, a label, a lesson's words. */
    private static final Set<String> FREE_TEXT = Set.of("description", "label", "narration", "summary", "hint");
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
    /** Errors listed at most (as many as the topology check lists); a file with a million bad values gets a readable answer. */
    static final int MAX_LISTED = TopologyValidator.MAX_LISTED;
    private int unlistedErrors;
    private ScenarioProblem firstUnlisted;
    /** Problems made by {@link #problem}, with the path to place them at (unescaped, as in the file). */
    private final Map<ScenarioProblem, String> unplaced = new java.util.IdentityHashMap<>();
    /** Values refused for their control characters, by path: other problems there would repeat it. */
    private final Map<String, ScenarioProblem> refused = new HashMap<>();

    ScenarioReader(String file) {
        this.file = file;
    }

    ScenarioCheck check(String text) {
        Scenario scenario = null;
        // The byte order mark some Windows editors write first is no part of the JSON.
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        ObjectNode root = parse(json);
        if (root != null) {
            checkControlCharacters(root, JsonPaths.ROOT, null);
        }
        if (root != null && checkFormat(root)) {
            scenario = bind(root);
            // Null when a node or link did not bind: the topology of what is left would only add noise.
            // A node whose config has a bad value is checked with that config's defaults, so one pass
            // reports every problem; the scenario itself is not returned then, lest a value be lost.
            if (scenario != null) {
                for (TopologyProblem p : TopologyValidator.validate(scenario)) {
                    // Listed as they come: the topology check lists at most MAX_LISTED of each kind itself.
                    (p.isError() ? errors : warnings).add(problem(p.path(), p.message()));
                }
                if (scenario.lesson() != null) {
                    LessonValidator.validate(scenario, scenario.lesson(), (path, message) -> addError(problem(path, message)));
                }
            }
        }
        if (!refused.isEmpty()) {
            // "unknown node 'a\nb'" or "node id 'a\nb' may only contain..." say again what the refusal said.
            errors.removeIf(p -> refused.containsKey(p.path()) && refused.get(p.path()) != p);
        }
        place(json);
        Comparator<ScenarioProblem> byPosition = Comparator.comparingInt(ScenarioProblem::line).thenComparingInt(ScenarioProblem::column);
        errors.sort(byPosition);
        warnings.sort(byPosition);
        if (unlistedErrors > 0) {
            errors.add(new ScenarioProblem(file, firstUnlisted.line(), firstUnlisted.column(), firstUnlisted.path(), "and "
                    + ScenarioLimits.count(unlistedErrors) + " more error" + (unlistedErrors == 1 ? "" : "s") + " from here on (the first "
                    + ScenarioLimits.count(MAX_LISTED) + " are listed)"));
        }
        // A scenario whose parts all bound stays useful to an editor even when ranges or topology are wrong.
        return new ScenarioCheck(partial ? null : scenario, errors, warnings);
    }

    // ---- text to tree

    private ObjectNode parse(String json) {
        try (JsonParser raw = ScenarioJson.FACTORY.createParser(json)) {
            parser = new LocationRecordingParser(raw);
            try {
                return readTree();
            } catch (StreamConstraintsException e) {
                // Before the parser is closed: closing it forgets where it stopped.
                addError(overLimit(json, e));
                return null;
            }
        } catch (LocationRecordingParser.TooMany e) {
            addError(new ScenarioProblem(file, e.getLocation().getLineNr(), e.getLocation().getColumnNr(), e.path, e.getOriginalMessage()));
            return null;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation() != null ? e.getLocation() : JsonLocation.NA;
            if (isDuplicateKey(e)) {
                at = startOfKeyEndingAt(json, at);
            }
            String path = parser != null ? JsonPaths.of(parser.getParsingContext()) : JsonPaths.ROOT;
            addError(new ScenarioProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), path, syntaxMessage(e)));
            return null;
        } catch (IOException e) {
            addError(new ScenarioProblem(file, 0, 0, null, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    private ObjectNode readTree() throws IOException {
        JsonNode tree = ScenarioJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(parser);
        if (tree == null || tree.isMissingNode()) {
            addError(new ScenarioProblem(file, 1, 1, JsonPaths.ROOT, "the file is empty; a scenario is a JSON object"));
            return null;
        }
        if (!tree.isObject()) {
            addError(problem(JsonPaths.ROOT, "a scenario is a JSON object, not " + describe(tree)));
            return null;
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            JsonLocation at = parser.currentTokenLocation();
            addError(new ScenarioProblem(file, at.getLineNr(), at.getColumnNr(), JsonPaths.ROOT,
                    "unexpected " + trailing.asString() + " after the end of the scenario object"));
            return null;
        }
        return (ObjectNode) tree;
    }

    /** Past one of the {@link ScenarioLimits} Jackson enforces while it reads: which one, in plain words, and where. */
    private ScenarioProblem overLimit(String json, StreamConstraintsException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        JsonStreamContext context = parser.getParsingContext();
        String path = JsonPaths.of(context);
        JsonLocation at;
        String message;
        if (m.startsWith("Document nesting depth")) {
            // The token is the '[' or '{' one level too deep.
            at = parser.currentTokenLocation();
            message = "nested more than " + ScenarioLimits.MAX_NESTING_DEPTH + " levels deep (objects and arrays inside one another); "
                    + "a scenario file may nest at most " + ScenarioLimits.MAX_NESTING_DEPTH + " levels (its deepest part needs 7)";
        } else if (m.startsWith("String value length") || m.startsWith("Name length")) {
            int quote = openingQuoteBefore(json, (int) Math.min(parser.currentLocation().getCharOffset(), json.length()));
            at = quote < 0 ? parser.currentLocation() : sameLine(parser.currentLocation(), quote);
            if (m.startsWith("Name length") || (quote >= 0 && context.inObject() && startsAName(json, quote))) {
                // The name is not known yet: the problem is the object's (the path names the field before, if any).
                path = context.getParent() == null ? JsonPaths.ROOT : JsonPaths.of(context.getParent());
                message = "a field name longer than " + ScenarioLimits.count(ScenarioLimits.MAX_NAME_LENGTH) + " characters; a field name may be at most "
                        + ScenarioLimits.count(ScenarioLimits.MAX_NAME_LENGTH) + " characters";
            } else {
                message = "a string longer than " + ScenarioLimits.count(ScenarioLimits.MAX_STRING_LENGTH) + " characters; "
                        + "a string in a scenario file may be at most " + ScenarioLimits.count(ScenarioLimits.MAX_STRING_LENGTH) + " characters";
            }
        } else if (m.startsWith("Number value length")) {
            JsonLocation stop = parser.currentLocation();
            int start = numberStartBefore(json, (int) Math.min(stop.getCharOffset(), json.length()));
            at = start < 0 ? parser.currentTokenLocation() : sameLine(stop, start);
            message = "a number longer than " + ScenarioLimits.MAX_NUMBER_LENGTH + " digits; a number in a scenario file may have at most "
                    + ScenarioLimits.MAX_NUMBER_LENGTH + " digits";
        } else if (m.startsWith("Document length")) {
            at = parser.currentLocation();
            message = "the scenario is longer than " + ScenarioLimits.bytes(ScenarioLimits.MAX_FILE_BYTES) + "; a scenario file may be at most "
                    + ScenarioLimits.bytes(ScenarioLimits.MAX_FILE_BYTES);
        } else {
            at = parser.currentLocation();
            message = "invalid JSON: " + firstLine(m);
        }
        return new ScenarioProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), path, message);
    }

    /**
     * Where a string Jackson stopped for its length starts. It stops inside the string or just
     * after its closing quote; an unescaped quote before that point is the opening one.
     */
    private static int openingQuoteBefore(String json, int stop) {
        int i = stop - 1;
        while (i >= 0 && (json.charAt(i) == ' ' || json.charAt(i) == ':' || json.charAt(i) == '\t')) {
            i--;
        }
        if (i >= 0 && isUnescapedQuote(json, i)) {
            i--;
        }
        while (i >= 0 && !isUnescapedQuote(json, i)) {
            i--;
        }
        return i;
    }

    /** Where the number Jackson stopped for its length starts (it stops inside it or just after it), or -1. */
    private static int numberStartBefore(String json, int stop) {
        int i = stop;
        while (i > 0 && "0123456789.eE+-".indexOf(json.charAt(i - 1)) >= 0) {
            i--;
        }
        return i < stop ? i : -1;
    }

    /** Whether the string opening at {@code quote} is a field name: after '{' or ',' in an object, not after ':'. */
    private static boolean startsAName(String json, int quote) {
        int i = quote - 1;
        while (i >= 0 && Character.isWhitespace(json.charAt(i))) {
            i--;
        }
        return i >= 0 && (json.charAt(i) == '{' || json.charAt(i) == ',');
    }

    /** {@code offset}, on the line of {@code at} (a JSON string holds no raw line break, so its start is on the line it stopped on). */
    private static JsonLocation sameLine(JsonLocation at, int offset) {
        if (at.getColumnNr() <= 0) {
            return at;
        }
        int column = at.getColumnNr() - (int) (at.getCharOffset() - offset);
        return column < 1 ? at : new JsonLocation(at.contentReference(), offset, at.getLineNr(), column);
    }

    private static boolean isUnescapedQuote(String json, int i) {
        if (json.charAt(i) != '"') {
            return false;
        }
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && json.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 0;
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
        // "(start marker at [Source: REDACTED (...); line: 1, column: 24])" reads "(start marker at line 1, column 24)".
        return "invalid JSON: " + JACKSON_LOCATION.matcher(firstLine(m)).replaceAll("line $1, column $2");
    }

    private static final java.util.regex.Pattern JACKSON_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

    // ---- control characters

    /**
     * Control characters have no place in ids, names, addresses or kinds: a line break in an id
     * would split every message naming it and could not be typed back. Only a description or a
     * label (free text) may hold line breaks and tabs.
     */
    private void checkControlCharacters(JsonNode node, String path, String fieldName) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                String at = JsonPaths.field(path, name);
                int bad = ScenarioText.firstControl(name, false);
                if (bad >= 0) {
                    refuse(at, "the field name " + ScenarioText.quote(name) + " contains a control character ("
                            + ScenarioText.describeControl(name.charAt(bad)) + "); field names may not hold control characters");
                }
                checkControlCharacters(field.getValue(), at, name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkControlCharacters(node.get(i), JsonPaths.index(path, i), fieldName);
            }
        } else if (node.isTextual() && !refused.containsKey(ScenarioText.oneLine(path))) {
            // (A value whose own field name was refused is not refused again.)
            String text = node.textValue();
            boolean freeText = FREE_TEXT.contains(fieldName);
            int bad = ScenarioText.firstControl(text, freeText);
            if (bad < 0 && "id".equals(fieldName) && text.length() > ScenarioLimits.MAX_ID_LENGTH) {
                // Ids travel in headers (X-Served-By), events and every message about the node.
                refuse(path, "the id " + ScenarioText.quote(text) + " is longer than " + ScenarioLimits.MAX_ID_LENGTH
                        + " characters; an id may be at most " + ScenarioLimits.MAX_ID_LENGTH + " characters");
                return;
            }
            if (bad < 0) {
                return;
            }
            String control = ScenarioText.describeControl(text.charAt(bad));
            if (ID_FIELDS.contains(fieldName)) {
                refuse(path, "the id " + ScenarioText.quote(text) + " contains a control character (" + control
                        + "); an id may only contain letters, digits, '-', '_' and '.'");
            } else if (freeText) {
                refuse(path, ScenarioText.quote(text) + " contains a control character (" + control
                        + "); a " + fieldName + " may hold line breaks and tabs, no other control characters");
            } else {
                refuse(path, ScenarioText.quote(text) + " contains a control character (" + control
                        + "); only a description or a label may hold line breaks or tabs");
            }
        }
    }

    private void refuse(String path, String message) {
        ScenarioProblem p = problem(path, message);
        refused.put(p.path(), p);
        addError(p);
    }

    // ---- format and migration

    private boolean checkFormat(ObjectNode root) {
        JsonNode format = root.get("format");
        if (format == null) {
            addError(problem(JsonPaths.ROOT, "missing required field 'format' (this Request Flow Lab writes \"format\": " + Scenario.FORMAT + ")"));
            return false;
        }
        if (!format.isIntegralNumber() || !format.canConvertToInt()) {
            addError(problem("$.format", "format must be a whole number, not " + describe(format)));
            return false;
        }
        int version = format.intValue();
        if (version > Scenario.FORMAT) {
            addError(problem("$.format", "written by a newer Request Flow Lab (format " + version + "); this one reads up to " + Scenario.FORMAT));
            return false;
        }
        if (version < 1) {
            addError(problem("$.format", "format " + version + " does not exist; formats start at 1"));
            return false;
        }
        ScenarioMigrations.migrate(root, version);
        return true;
    }

    // ---- binding

    private Scenario bind(ObjectNode root) {
        int before = errorCount();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL_FIELDS.contains(name)) {
                addError(problem(JsonPaths.field(JsonPaths.ROOT, name), unknownField(name, TOP_LEVEL_FIELDS)));
            }
        }
        String name = bindValue(root.get("name"), "$.name", type(String.class));
        String description = bindValue(root.get("description"), "$.description", type(String.class));
        List<NodeSpec> nodes = bindList(root.get("nodes"), "$.nodes", this::bindNode);
        List<LinkSpec> links = bindList(root.get("links"), "$.links", this::bindLink);
        Traffic traffic = bindValue(root.get("traffic"), "$.traffic", type(Traffic.class));
        List<ScriptStep> script = bindList(root.get("script"), "$.script", (n, p) -> bindValue(n, p, type(ScriptStep.class)));
        List<HaGroup> haGroups = bindList(root.get("haGroups"), "$.haGroups", (n, p) -> bindValue(n, p, type(HaGroup.class)));
        Lesson lesson = bindLesson(root.get("lesson"));
        if (errorCount() > before) {
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
        return new Scenario(Scenario.FORMAT, name, description, nodes, links, traffic, script, haGroups, lesson);
    }

    /**
     * The lesson section, versioned on its own: a file without one opens as before, an older one is
     * migrated ({@link ScenarioMigrations#migrateLesson}), a newer one is refused with the version named.
     */
    private Lesson bindLesson(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode lesson)) {
            addError(problem("$.lesson", "expected an object (the lesson: version, title, steps...), found " + describe(value)));
            return null;
        }
        JsonNode version = lesson.get("version");
        if (version == null) {
            addError(problem("$.lesson", "missing required field 'version' (this Request Flow Lab writes \"version\": " + Lesson.VERSION + ")"));
            return null;
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            addError(problem("$.lesson.version", "the lesson's version must be a whole number, not " + describe(version)));
            return null;
        }
        int v = version.intValue();
        if (v > Lesson.VERSION) {
            addError(problem("$.lesson.version", "a lesson written by a newer Request Flow Lab (version " + v + "); this one reads up to " + Lesson.VERSION));
            return null;
        }
        if (v < 1) {
            addError(problem("$.lesson.version", "lesson version " + v + " does not exist; versions start at 1"));
            return null;
        }
        ObjectNode copy = lesson.deepCopy();
        ScenarioMigrations.migrateLesson(copy, v);
        return bindValue(copy, "$.lesson", type(Lesson.class));
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
            addError(problem(path, "expected an array, found " + describe(array)));
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = JsonPaths.index(path, i);
            JsonNode element = array.get(i);
            if (!(element instanceof ObjectNode object)) {
                addError(problem(at, "expected an object, found " + describe(element)));
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
            addError(problem(path, "missing required field 'kind' (one of " + NODE_KINDS + ")"));
        } else if (!kindValue.isTextual()) {
            addError(problem(path + ".kind", "expected a node kind (" + NODE_KINDS + "), found " + describe(kindValue)));
        } else {
            try {
                kind = NodeKind.fromId(kindValue.textValue());
            } catch (IllegalArgumentException e) {
                addError(problem(path + ".kind", e.getMessage()));
            }
        }
        if (!ok || kind == null) {
            structural = true;
            return null;
        }
        NodeConfig config = bindValue(node.get("config"), path + ".config", type(NodeConfig.typeFor(kind)));
        ObjectNode withoutConfig = node.deepCopy();
        withoutConfig.remove("config");
        int before = errorCount();
        NodeSpec spec = bindValue(withoutConfig, path, type(NodeSpec.class));
        if (spec == null || errorCount() > before) {
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
            addError(problem(path, "missing required field '" + field + "'"));
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
            addError(problem(where, bindingMessage(e, value, path, where)));
        } catch (StreamReadException e) {
            // Reading the tree back (a number too big for its field): the tree parser knows where it was.
            String where = e.getProcessor() != null ? path + JsonPaths.of(e.getProcessor().getParsingContext()).substring(1) : path;
            addError(problem(where, firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            addError(problem(path, firstLine(e.getMessage())));
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
            return "the string " + ScenarioText.quote(n.textValue());
        }
        if (n.isNumber()) {
            return "the number " + ScenarioText.capped(n.asText(), ScenarioText.QUOTE_MAX);
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
            addError(problem(p.substring(0, colon), p.substring(colon + 2)));
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
                addError(problem(at, "missing required field 'at' (when the action happens, e.g. \"5s\")"));
            }
            if (step.action() == null || step.action().isBlank()) {
                addError(problem(at, "missing required field 'action' (kill, stop, start, restart...)"));
            }
        }
    }

    /** Lists the first {@value #MAX_LISTED} errors; the rest are counted, and said in one more problem at the first of them. */
    private void addError(ScenarioProblem p) {
        if (errors.size() < MAX_LISTED) {
            errors.add(p);
            return;
        }
        if (unlistedErrors++ == 0) {
            firstUnlisted = p;
        } else {
            unplaced.remove(p);
        }
    }

    /** Errors found so far, listed or not. */
    private int errorCount() {
        return errors.size() + unlistedErrors;
    }

    /** A problem at a path; where that is in the file is found at the end, for all problems in one pass ({@link #place}). */
    private ScenarioProblem problem(String path, String message) {
        ScenarioProblem p = new ScenarioProblem(file, 0, 0, path, message);
        unplaced.put(p, path);
        return p;
    }

    /** Gives each problem made by {@link #problem} its line and column: one more pass over the text, recording only their paths. */
    private void place(String json) {
        if (unplaced.isEmpty()) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        for (String path : unplaced.values()) {
            for (String p = path; p != null && wanted.add(p); p = JsonPaths.parent(p)) {
                // a path and its ancestors: a path not in the file (a missing field) is placed at its parent
            }
        }
        LocationRecordingParser locations;
        try (JsonParser raw = ScenarioJson.FACTORY.createParser(json)) {
            locations = new LocationRecordingParser(raw, wanted);
            while (locations.nextToken() != null) {
                // tokens only, no tree
            }
        } catch (IOException e) {
            // The first pass read this text whole; what was recorded before stays, the rest is at 0:0.
            return;
        }
        java.util.function.UnaryOperator<ScenarioProblem> placed = p -> {
            String path = unplaced.get(p);
            if (path == null) {
                return p;
            }
            JsonLocation at = locations.locate(path);
            return new ScenarioProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), p.path(), p.message());
        };
        errors.replaceAll(placed);
        warnings.replaceAll(placed);
        if (firstUnlisted != null) {
            firstUnlisted = placed.apply(firstUnlisted);
        }
    }
}
