package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers where each JSON path starts (its field name, or the value itself for array elements
 * and the root) while the text is read into a tree. Binding happens later, from the tree, where
 * positions are gone; problems found then (a value out of range, a link to an unknown node) are
 * placed back in the file through this map.
 */
final class LocationRecordingParser extends JsonParserDelegate {
    private final Map<String, JsonLocation> starts = new HashMap<>();

    LocationRecordingParser(JsonParser delegate) {
        super(delegate);
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
        if (t != null) {
            starts.putIfAbsent(JsonPaths.of(delegate.getParsingContext()), delegate.currentTokenLocation());
        }
        return t;
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
