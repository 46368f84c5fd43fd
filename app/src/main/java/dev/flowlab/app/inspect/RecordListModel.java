package dev.flowlab.app.inspect;

import dev.flowlab.app.inspect.InspectorViewModel.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The editor of one list of records (nginx's upstreams and their servers, its locations, LVS's
 * real servers, the gateway's routes, credentials and risk rules): a working copy of the rows,
 * edited row by row (add, remove, move up and down) and cell by cell through the same
 * {@link FieldModel}s as the property sheet, checked after every change by the engine's own checks
 * of the scenario as it would be, and written back by {@link #apply()} as one undoable edit.
 * Toolkit-free (JavaFX properties only).
 *
 * <p>A list the file does not set starts from what applies instead (nginx's default upstream of
 * every linked node...): applied unchanged it writes nothing, changed it writes the whole list,
 * and {@link #resetToDefault()} takes it out of the file again. A list inside a row (an
 * upstream's servers) opens its own model, whose apply changes the row, not the scenario.
 */
public final class RecordListModel {
    /** A finding of the engine's checks, at its path in the file ("$.nodes[4].config.upstreams[0].servers[1].node"). */
    public record Problem(String path, String message) {
    }

    /** Where the list lives: how the scenario would look with a candidate list, and how the list is written. */
    interface Host {
        /** The errors of the whole scenario were the list {@code candidate} (null: not set). */
        List<Problem> check(List<Record> candidate);

        /** Writes the list (null: not set); one change. {@code toDefault}: taken out of the file so that its default applies again. */
        void apply(List<Record> value, boolean toDefault);
    }

    private final List<String> crumbs;
    private final String path;
    private final RecordFields.ListPlace place;
    private final List<Record> startRows;
    private final boolean startedWithDefault;
    private final List<Record> defaults;
    private final RecordFields recordFields;
    private final Host host;
    private final Set<String> errorsBefore;
    private final Map<String, FieldModel> templates = new LinkedHashMap<>();
    private final List<String> columns = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper usingDefault = new ReadOnlyBooleanWrapper(this, "usingDefault");
    private final ReadOnlyBooleanWrapper changed = new ReadOnlyBooleanWrapper(this, "changed");
    private final ReadOnlyBooleanWrapper blocked = new ReadOnlyBooleanWrapper(this, "blocked");

    /**
     * {@code crumbs} name the list for its title ("nginx-1", "upstreams"); {@code path} is where it
     * sits in the file; {@code written} is its value (null: not set), {@code defaults} what applies
     * while it is not set (null: nothing to show).
     */
    RecordListModel(List<String> crumbs, String path, RecordFields.ListPlace place, List<Record> written, List<Record> defaults,
                    RecordFields recordFields, Host host) {
        this.crumbs = List.copyOf(crumbs);
        this.path = path;
        this.place = place;
        this.defaults = defaults;
        this.recordFields = recordFields;
        this.host = host;
        this.startedWithDefault = written == null && defaults != null;
        this.startRows = startedWithDefault ? List.copyOf(defaults) : written == null ? List.of() : List.copyOf(written);
        this.errorsBefore = messagesWithin(host.check(written));
        usingDefault.set(startedWithDefault);
        for (Field f : recordFields.fields(RecordValues.empty(place.elementType()), "", () -> null, (r, w) -> { }, (p, v) -> null)) {
            (f.model().key().contains(".") ? details : columns).add(f.model().key());
            templates.put(f.model().key(), f.model());
        }
        startRows.forEach(r -> rows.add(new Row(r)));
        recheck();
    }

    /** "nginx-1 · upstream nginx-1 · servers". */
    public String title() {
        return String.join(" · ", crumbs);
    }

    /** The list's key in its record ("upstreams", "filters.riskControl.rules"). */
    public String key() {
        return place.key();
    }

    /** What the list is, as its field's help says. */
    public String description() {
        return place.param() == null ? "" : place.param().doc();
    }

    /** The list's name as a noun ("real servers"). */
    public String noun() {
        return place.noun();
    }

    /** Keys of the element's own fields, one column each ("node", "weight", "servers"). */
    public List<String> columns() {
        return columns;
    }

    /** Keys of the fields in the element's nested records ("cache.valid", "filters.auth.realm"), shown for the selected row. */
    public List<String> details() {
        return details;
    }

    /** A column's heading: the key, with its unit ("maxConns (connections)"). */
    public String header(String key) {
        FieldModel f = templates.get(key);
        return f == null || f.unit().isEmpty() || "duration".equals(f.unit()) ? key : key + " (" + f.unit() + ")";
    }

    /** A column's help: meaning, default, unit and range, as the field's tooltip. */
    public String help(String key) {
        FieldModel f = templates.get(key);
        return f == null ? "" : f.description();
    }

    /** Whether a column holds a list of records (a button per row) rather than a value. */
    public boolean isListColumn(String key) {
        FieldModel f = templates.get(key);
        return f != null && f.isList();
    }

    /** A column's value type (Integer, Duration, Boolean, String, List), for its width. */
    public Class<?> type(String key) {
        FieldModel f = templates.get(key);
        return f == null ? String.class : f.type();
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    /** The engine's errors about this list, as it is now. */
    public ObservableList<String> problems() {
        return problems;
    }

    /** Whether the list can go back to not being set (the lab's default applies then). */
    public boolean hasDefault() {
        return defaults != null;
    }

    /** True while the rows are the default that applies, not a list in the file. */
    public ReadOnlyBooleanProperty usingDefaultProperty() {
        return usingDefault.getReadOnlyProperty();
    }

    public boolean isUsingDefault() {
        return usingDefault.get();
    }

    public ReadOnlyBooleanProperty changedProperty() {
        return changed.getReadOnlyProperty();
    }

    /** True when applying would write something wrong: a cell's text is invalid, or the engine finds a new error in the list. */
    public ReadOnlyBooleanProperty blockedProperty() {
        return blocked.getReadOnlyProperty();
    }

    public boolean isBlocked() {
        return blocked.get();
    }

    /** The list as edited so far. */
    public List<Record> value() {
        return rows.stream().map(Row::record).toList();
    }

    /** Appends an empty element (every field unset) and returns its row. */
    public Row add() {
        Row row = new Row(RecordValues.empty(place.elementType()));
        rows.add(row);
        edited();
        return row;
    }

    public void remove(Row row) {
        if (rows.remove(row)) {
            edited();
        }
    }

    public void moveUp(Row row) {
        move(row, -1);
    }

    public void moveDown(Row row) {
        move(row, 1);
    }

    private void move(Row row, int by) {
        int from = rows.indexOf(row);
        int to = from + by;
        if (from < 0 || to < 0 || to >= rows.size()) {
            return;
        }
        rows.remove(from);
        rows.add(to, row);
        edited();
    }

    /** Back to not setting the list: the rows show the default again, and applying takes the list out of the file. */
    public void resetToDefault() {
        if (defaults == null) {
            return;
        }
        rows.setAll(defaults.stream().map(Row::new).toList());
        usingDefault.set(true);
        recheck();
    }

    /** Commits what is typed but not yet committed in any cell (the user pressed OK with the cursor still in one). */
    public void commitTyped() {
        for (Row row : List.copyOf(rows)) {
            for (FieldModel f : row.fields) {
                String typed = f.getText() == null ? "" : f.getText().trim();
                if (!f.isList() && !typed.equals(f.committedText())) {
                    f.commit();
                }
            }
        }
    }

    /**
     * Writes the list where it lives: one undoable edit. Returns false, writing nothing, when
     * nothing changed or when {@link #isBlocked() something is wrong}.
     */
    public boolean apply() {
        commitTyped();
        if (blocked.get() || !changed.get()) {
            return false;
        }
        List<Record> value = value();
        host.apply(usingDefault.get() || value.isEmpty() && defaults == null ? null : value, usingDefault.get());
        return true;
    }

    private void edited() {
        usingDefault.set(false);
        recheck();
    }

    private void recheck() {
        List<Record> value = value();
        List<Problem> found = host.check(usingDefault.get() ? null : value).stream().filter(p -> within(p.path(), path)).toList();
        problems.setAll(found.stream().map(Problem::message).distinct().toList());
        for (int i = 0; i < rows.size(); i++) {
            String rowPath = path + "[" + i + "]";
            rows.get(i).error.set(found.stream().filter(p -> within(p.path(), rowPath)).map(Problem::message).findFirst().orElse(null));
        }
        changed.set(usingDefault.get() != startedWithDefault || !value.equals(startRows));
        updateBlocked();
    }

    private void updateBlocked() {
        blocked.set(problems.stream().anyMatch(m -> !errorsBefore.contains(m))
                || rows.stream().flatMap(r -> r.fields.stream()).anyMatch(f -> f.getError() != null));
    }

    private Set<String> messagesWithin(List<Problem> found) {
        return found.stream().filter(p -> within(p.path(), path)).map(Problem::message).collect(Collectors.toSet());
    }

    private static boolean within(String problemPath, String listPath) {
        return problemPath != null && (problemPath.equals(listPath) || problemPath.startsWith(listPath + "[") || problemPath.startsWith(listPath + "."));
    }

    /** The lists inside a row (an upstream's servers): each edits the row, checked as part of this list. */
    private RecordFields.Lists listsIn(Row row) {
        return (inner, value) -> {
            int index = rows.indexOf(row);
            List<String> innerCrumbs = new ArrayList<>(crumbs.subList(0, crumbs.size() - 1));
            innerCrumbs.add(ListWords.singular(noun()) + " " + row.label());
            innerCrumbs.add(inner.noun());
            Host innerHost = new Host() {
                @Override
                public List<Problem> check(List<Record> candidate) {
                    List<Record> outer = new ArrayList<>(value());
                    outer.set(rows.indexOf(row), RecordValues.with(row.record, inner.path(), candidate));
                    return host.check(outer);
                }

                @Override
                public void apply(List<Record> written, boolean toDefault) {
                    row.update(RecordValues.with(row.record, inner.path(), written));
                    row.field(inner.key()).ifPresent(f -> f.showCommitted(ListWords.count(written == null ? 0 : written.size(), inner.noun())));
                }
            };
            return new RecordListModel(innerCrumbs, path + "[" + index + "]." + inner.jsonPath(), inner, value, null, recordFields, innerHost);
        };
    }

    /** One element of the list, with its fields. */
    public final class Row {
        private Record record;
        private final List<FieldModel> fields;
        private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");

        private Row(Record initial) {
            record = initial;
            fields = recordFields.fields(initial, ListWords.singular(noun()), () -> record, (updated, what) -> update(updated), listsIn(this))
                    .stream().map(Field::model).toList();
            fields.forEach(f -> f.errorProperty().addListener((obs, was, now) -> updateBlocked()));
        }

        private void update(Record updated) {
            record = updated;
            edited();
        }

        public Record record() {
            return record;
        }

        public List<FieldModel> fields() {
            return fields;
        }

        public Optional<FieldModel> field(String key) {
            return fields.stream().filter(f -> f.key().equals(key)).findFirst();
        }

        /** The engine's first error about this row, or null. */
        public ReadOnlyStringProperty errorProperty() {
            return error.getReadOnlyProperty();
        }

        /** How people tell the row apart: its first text that is set (a name, an id, a prefix, a node), else its number. */
        public String label() {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                if (rc.getType() == String.class && RecordValues.read(record, rc) instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
            return "#" + (rows.indexOf(this) + 1);
        }
    }
}
