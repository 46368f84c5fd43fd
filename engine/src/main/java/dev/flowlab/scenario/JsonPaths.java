package dev.flowlab.scenario;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayDeque;
import java.util.Deque;

/** JSON paths in the form problems are reported in: {@code $.nodes[1].config.maxThreads}. */
final class JsonPaths {
    static final String ROOT = "$";

    private JsonPaths() {
    }

    static String field(String parent, String name) {
        return isPlainName(name)
                ? parent + "." + name
                : parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}, without a regex: this runs for every key of every file read. */
    private static boolean isPlainName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The path of the value a streaming parser is at (a field name token counts as its value). */
    static String of(JsonStreamContext context) {
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            chain.push(c);
        }
        String path = ROOT;
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                path = field(path, c.getCurrentName());
            } else if (c.inArray() && c.hasCurrentIndex()) {
                path = index(path, c.getCurrentIndex());
            }
        }
        return path;
    }

    /** {@code base} followed by the path Jackson recorded while binding. */
    static String of(String base, JsonMappingException e) {
        String path = base;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path = field(path, ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path = index(path, ref.getIndex());
            }
        }
        return path;
    }

    /** The enclosing path ({@code $.a[2].b} to {@code $.a[2]} to {@code $.a}); the root's parent is null. */
    static String parent(String path) {
        if (path.equals(ROOT)) {
            return null;
        }
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? ROOT : path.substring(0, cut);
    }
}
