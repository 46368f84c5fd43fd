package dev.flowlab.app.inspect;

import dev.flowlab.export.NginxBinary;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.Param;
import dev.flowlab.topology.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One editable value in the property sheet. Keeps the committed value (what the scenario holds)
 * apart from {@link #textProperty()} (what is being typed): every keystroke re-validates the
 * text, and only {@link #commit()} with valid text changes the scenario. Empty text means "not
 * set": the real default applies and the file leaves the field out.
 *
 * <p>A field that names other things ({@link Param#refersTo()}: a node, an upstream) offers the
 * existing ones as {@link #suggestions()}. A list of records is not typed in: its text is a
 * summary ("2 servers") and {@link #openList()} gives the editor of its rows.
 */
public final class FieldModel {
    /** Turns typed text (parsed; null when empty) into the change to commit, or throws IllegalArgumentException with the engine's words. */
    public interface Committer {
        void commit(Object value);
    }

    private final String key;
    private final String category;
    private final Class<?> type;
    private final Param param;
    private final boolean editable;
    private final Function<Object, List<String>> checker;
    private final Committer committer;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private String committedText;
    private Supplier<List<String>> suggestions = List::of;
    private Supplier<RecordListModel> list;

    FieldModel(String key, String category, Class<?> type, Param param, Object committed, boolean editable,
               Function<Object, List<String>> checker, Committer committer) {
        this.key = key;
        this.category = category;
        this.type = type;
        this.param = param;
        this.editable = editable;
        this.checker = checker;
        this.committer = committer;
        this.committedText = format(committed);
        text.set(committedText);
        text.addListener((obs, was, now) -> error.set(validate(now)));
    }

    /** Offers {@code names} (node ids, upstream names) for the field; set while the field is built. */
    FieldModel suggesting(Supplier<List<String>> names) {
        this.suggestions = names;
        return this;
    }

    /** Makes this the field of a list of records, edited by what {@code opener} makes; set while the field is built. */
    FieldModel openingList(Supplier<RecordListModel> opener) {
        this.list = opener;
        return this;
    }

    /** The field's dotted name as in the file ("maxThreads", "serviceTime.mean"). */
    public String key() {
        return key;
    }

    public String category() {
        return category;
    }

    public Class<?> type() {
        return type;
    }

    public boolean isEditable() {
        return editable;
    }

    /** Whether the value names nodes or upstreams ({@link #suggestions()} has the existing ones). */
    public boolean isReference() {
        return param != null && param.refersTo().length > 0;
    }

    /** The names this field may take now (node ids, upstream names), for a combo box; empty when free text. */
    public List<String> suggestions() {
        return suggestions.get();
    }

    /** Whether this is a list of records, edited row by row through {@link #openList()}. */
    public boolean isList() {
        return list != null;
    }

    /** A fresh editor of the list's rows, starting from its current value; applying it is one undoable edit. */
    public RecordListModel openList() {
        if (list == null) {
            throw new IllegalStateException(key + " is not a list of records");
        }
        return list.get();
    }

    public StringProperty textProperty() {
        return text;
    }

    public String getText() {
        return text.get();
    }

    public void setText(String value) {
        text.set(value);
    }

    /** Why the typed text cannot be committed, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public String getError() {
        return error.get();
    }

    public String committedText() {
        return committedText;
    }

    /** The real default as text ("200", "60s"), or "" when the field has none. */
    public String defaultText() {
        return param == null ? "" : param.def();
    }

    public String unit() {
        return param == null ? "" : param.unit();
    }

    public List<String> choices() {
        if (param != null && param.oneOf().length > 0) {
            return Arrays.asList(param.oneOf());
        }
        if (type == Boolean.class) {
            return List.of("true", "false");
        }
        return List.of();
    }

    /**
     * Why {@code choice} cannot be picked on this machine, or null: an Nginx node's engine "nginx" needs an nginx binary
     * (on PATH or /usr/sbin; the lab looks it up the same way when the node starts).
     */
    public String unavailable(String choice) {
        if ("engine".equals(key) && "nginx".equals(choice) && !NginxBinary.installed()) {
            return "nginx is not installed: no nginx binary on " + NginxBinary.searched() + "; install it to run this node on the real nginx";
        }
        return null;
    }

    /** The tooltip: meaning, default, unit and range. */
    public String description() {
        List<String> parts = new ArrayList<>();
        if (param != null && !param.doc().isEmpty()) {
            parts.add(param.doc());
        }
        if (!defaultText().isEmpty()) {
            parts.add("Default: " + defaultText() + (unitWord().isEmpty() ? "" : " " + unitWord()));
        } else if (!unit().isEmpty()) {
            parts.add("Unit: " + unit());
        }
        String range = range();
        if (!range.isEmpty()) {
            parts.add("Range: " + range);
        }
        return String.join("\n", parts);
    }

    /** What the empty field shows: the default that applies. */
    public String prompt() {
        return defaultText().isEmpty() ? "not set" : defaultText() + " (default)";
    }

    private String unitWord() {
        return "duration".equals(unit()) ? "" : unit();
    }

    private String range() {
        if (param == null || (Double.isInfinite(param.min()) && Double.isInfinite(param.max()))) {
            return "";
        }
        String lo = Double.isInfinite(param.min()) ? "" : number(param.min());
        String hi = Double.isInfinite(param.max()) ? "" : number(param.max());
        return lo + ".." + hi;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Commits valid typed text; returns false (nothing changes) when it is invalid or unchanged. */
    public boolean commit() {
        String typed = text.get() == null ? "" : text.get().trim();
        if (!editable || validate(typed) != null || typed.equals(committedText)) {
            return false;
        }
        committer.commit(parse(typed));
        committedText = typed;
        return true;
    }

    /** The scenario changed underneath (undo, another edit): show its value, dropping what was typed. */
    void showCommitted(Object value) {
        committedText = format(value);
        text.set(committedText);
    }

    /** Throws the typed text away. */
    public void revert() {
        text.set(committedText);
    }

    private String validate(String typed) {
        String t = typed == null ? "" : typed.trim();
        if (!editable || t.isEmpty()) {
            return null;
        }
        Object value;
        try {
            value = parse(t);
        } catch (RuntimeException e) {
            return "not " + expected() + ": '" + t + "'";
        }
        String missing = unavailable(t);
        if (missing != null) {
            return missing;
        }
        List<String> problems = checker.apply(value);
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private String expected() {
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Double.class) {
            return "a number";
        }
        if (type == Duration.class) {
            return "a duration (e.g. 200ms, 60s)";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "valid";
    }

    Object parse(String t) {
        if (t.isEmpty()) {
            return null;
        }
        if (type == List.class) {
            return Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (type == Boolean.class && !t.equals("true") && !t.equals("false")) {
            throw new IllegalArgumentException("not a boolean");
        }
        return Params.parseValue(type, t);
    }

    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(Objects::toString).toList());
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return value.toString().toLowerCase(Locale.ROOT).equals(value.toString()) || !(value instanceof Enum<?>)
                ? value.toString() : value.toString().toLowerCase(Locale.ROOT);
    }
}
