package dev.flowlab.app.inspect;

import dev.flowlab.app.inspect.InspectorViewModel.Field;
import dev.flowlab.topology.Param;
import dev.flowlab.topology.Params;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The property sheet's fields of one config record, from its {@link Param} metadata: one per
 * scalar component, nested records flattened ("serviceTime.mean"), each list of records one field
 * that opens a {@link RecordListModel}. A node's config in the inspector and one row of a list
 * being edited are built here alike, so both parse, default, range-check and resolve references
 * the same way.
 */
final class RecordFields {
    /** Takes the record with one value changed; {@code what} describes the change ("maxThreads to 400"). */
    interface RecordCommitter {
        void commit(Record updated, String what);
    }

    /** A list of records inside the record: its key, component path, path in the file (relative) and element type. */
    record ListPlace(String key, List<String> path, String jsonPath, Class<? extends Record> elementType, Param param) {
        /** The list's name as a noun: "servers", "real servers". */
        String noun() {
            return ListWords.noun(path.get(path.size() - 1));
        }
    }

    /** Where the record's lists of records are edited. */
    interface Lists {
        /** The field's text: "2 servers", or what applies while the list is unset. */
        default String summary(ListPlace place, List<Record> value) {
            return ListWords.count(value == null ? 0 : value.size(), place.noun());
        }

        RecordListModel open(ListPlace place, List<Record> value);
    }

    private final References references;

    RecordFields(References references) {
        this.references = references;
    }

    /**
     * The fields of {@code record}. {@code current} gives the record as it is when a field is checked
     * or committed (the sheet keeps a field while only values change), {@code committer} takes the
     * changed record.
     */
    List<Field> fields(Record record, String category, Supplier<Record> current, RecordCommitter committer, Lists lists) {
        List<Field> out = new ArrayList<>();
        add(out, record, List.of(), List.of(), category, current, committer, lists);
        return out;
    }

    private void add(List<Field> out, Record record, List<String> prefix, List<String> filePrefix, String category,
                     Supplier<Record> current, RecordCommitter committer, Lists lists) {
        for (Params.Field f : Params.fields(record)) {
            RecordComponent rc = componentNamed(record.getClass(), f);
            List<String> path = append(prefix, rc.getName());
            List<String> filePath = append(filePrefix, f.name());
            String key = String.join(".", path);
            if (f.type().isRecord()) {
                Record nested = f.value() instanceof Record r ? r : RecordValues.empty(castRecord(f.type()));
                add(out, nested, path, filePath, prefix.isEmpty() ? category + " · " + rc.getName() : category, current, committer, lists);
                continue;
            }
            Class<? extends Record> element = recordElement(rc.getGenericType());
            if (element != null) {
                ListPlace place = new ListPlace(key, path, String.join(".", filePath), element, f.param());
                String summary = lists.summary(place, castList(f.value()));
                FieldModel model = new FieldModel(key, category, List.class, f.param(), summary, false, v -> List.of(), v -> { })
                        .openingList(() -> lists.open(place, castList(RecordValues.get(current.get(), path))));
                out.add(new Field(model, summary));
                continue;
            }
            // Params.check names fields as the file does ("healthCheck.delay_loop").
            String checkedAt = String.join(".", filePath) + ": ";
            Function<Object, List<String>> checker = v -> {
                List<String> problems = new ArrayList<>(Params.check(RecordValues.with(current.get(), path, v), "").stream()
                        .filter(p -> p.startsWith(checkedAt)).map(p -> p.substring(checkedAt.length())).toList());
                problems.addAll(references.check(f.param(), v));
                return problems;
            };
            FieldModel.Committer commit = v -> committer.commit(RecordValues.with(current.get(), path, v),
                    key + (v == null ? " to default" : " to " + FieldModel.format(v)));
            FieldModel model = new FieldModel(key, category, f.type(), f.param(), f.value(), true, checker, commit);
            if (f.param() != null && f.param().refersTo().length > 0) {
                model.suggesting(() -> references.names(f.param()));
            }
            out.add(new Field(model, f.value()));
        }
    }

    static RecordComponent componentNamed(Class<?> type, Params.Field f) {
        for (RecordComponent rc : type.getRecordComponents()) {
            if (Params.jsonName(rc).equals(f.name())) {
                return rc;
            }
        }
        throw new IllegalStateException("no component " + f.name() + " in " + type.getSimpleName());
    }

    /** The element type of a {@code List<SomeRecord>} component, or null. */
    @SuppressWarnings("unchecked")
    static Class<? extends Record> recordElement(Type generic) {
        if (generic instanceof ParameterizedType pt && pt.getRawType() == List.class
                && pt.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
            return (Class<? extends Record>) c;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Record> castList(Object value) {
        return (List<Record>) value;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> castRecord(Class<?> type) {
        return (Class<? extends Record>) type;
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return List.copyOf(out);
    }
}
