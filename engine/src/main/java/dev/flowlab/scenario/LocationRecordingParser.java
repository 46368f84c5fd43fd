package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows the JSON path of every token while Jackson reads, to place problems found later, in
 * binding, where positions are gone (a value out of range, a link to an unknown node).
 *
 * <p>Two uses. While the text is read into a tree it records nothing, and stops the read at the
 * first element too many of a top-level list with a limit ({@link ScenarioLimits#LISTS}): an
 * enormous file costs no more than its first thousand nodes. Once binding has found its
 * problems, a second pass over the text records where just their paths (and their ancestors,
 * for a path that is not in the file) start: memory goes with the problems, not with the file,
 * and paths are only built inside objects and arrays that lead to one.
 */
final class LocationRecordingParser extends JsonParserDelegate {
    /** Paths whose start to record, with all their ancestors; empty while reading the tree. */
    private final Set<String> wanted;
    private final Map<String, JsonLocation> starts = new HashMap<>();
    /**
     * The path of each object and array the parser is inside, innermost last; null for one that
     * leads to no wanted path (below it no path is built). The root and its direct children are
     * always known: the lists with a limit are among them.
     */
    private final List<String> containers = new ArrayList<>();
    /** The last field name read, and its path when its object's path is known. */
    private String fieldName;
    private String fieldPath;

    /** A list longer than its {@link ScenarioLimits} allow: where its first element too many starts. */
    static final class TooMany extends JsonProcessingException {
        final String path;

        TooMany(String path, String message, JsonLocation at) {
            super(message, at);
            this.path = path;
        }
    }

    /** A parser that follows paths for the list limits and records nothing. */
    LocationRecordingParser(JsonParser delegate) {
        this(delegate, Set.of());
    }

    LocationRecordingParser(JsonParser delegate, Set<String> wanted) {
        super(delegate);
        this.wanted = wanted;
    }

    /** Where {@code path} starts, else where its nearest recorded ancestor does. */
    JsonLocation locate(String path) {
        for (String p = path; p != null; p = JsonPaths.parent(p)) {
            JsonLocation at = starts.get(p);
            if (at != null) {
                return at;
            }
        }
        return JsonLocation.NA;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = delegate.nextToken();
        if (t == null) {
            return null;
        }
        switch (t) {
            case END_OBJECT, END_ARRAY -> {
                if (!containers.isEmpty()) {
                    containers.remove(containers.size() - 1);
                }
            }
            case FIELD_NAME -> {
                fieldName = delegate.currentName();
                String parent = containers.isEmpty() ? null : containers.get(containers.size() - 1);
                fieldPath = parent == null ? null : JsonPaths.field(parent, fieldName);
                record(fieldPath);
            }
            default -> value(t);
        }
        return t;
    }

    /** A value just read (an object or array is already its own context). */
    private void value(JsonToken t) throws TooMany {
        JsonStreamContext context = delegate.getParsingContext();
        JsonStreamContext holder = t.isStructStart() ? context.getParent() : context;
        String path;
        if (holder == null || holder.inRoot()) {
            path = JsonPaths.ROOT;
        } else if (holder.inObject()) {
            path = fieldPath;
        } else {
            String list = containers.isEmpty() ? null : containers.get(containers.size() - 1);
            int index = holder.getCurrentIndex();
            ScenarioLimits.Limit limit = list == null ? null : ScenarioLimits.LISTS.get(list);
            if (limit != null && index >= limit.max()) {
                throw new TooMany(JsonPaths.index(list, index), "more than " + ScenarioLimits.count(limit.max()) + " " + limit.what()
                        + "; a scenario may hold at most " + ScenarioLimits.count(limit.max()) + " " + limit.what()
                        + " (the file was not read further)", delegate.currentTokenLocation());
            }
            path = list == null || (wanted.isEmpty() && !t.isStructStart()) ? null : JsonPaths.index(list, index);
        }
        record(path);
        if (t.isStructStart()) {
            boolean known = path != null && (containers.size() <= 1 || wanted.contains(path));
            containers.add(known ? path : null);
        }
    }

    private void record(String path) {
        if (path != null && wanted.contains(path)) {
            starts.putIfAbsent(path, delegate.currentTokenLocation());
        }
    }

    // The shortcuts below would skip nextToken() in the delegate and leave paths unrecorded.

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String nextFieldName() throws IOException {
        return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
    }

    @Override
    public boolean nextFieldName(SerializableString expected) throws IOException {
        return nextToken() == JsonToken.FIELD_NAME && expected.getValue().equals(currentName());
    }

    @Override
    public String nextTextValue() throws IOException {
        return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        if (currentToken() == JsonToken.START_OBJECT || currentToken() == JsonToken.START_ARRAY) {
            int open = 1;
            while (open > 0) {
                JsonToken t = nextToken();
                if (t == null) {
                    break;
                }
                if (t.isStructStart()) {
                    open++;
                } else if (t.isStructEnd()) {
                    open--;
                }
            }
        }
        return this;
    }
}
