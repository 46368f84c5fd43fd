package dev.flowlab.app.inspect;

import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.ScenarioEdit;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeConfig;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Param;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.Traffic;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The property sheet's content for what is selected: a node (its id, label, address and every
 * config field of its kind, nested records flattened as "serviceTime.mean"), a link, or, with
 * nothing selected, the scenario itself (name and traffic). A node in an HA group also shows
 * its group's and its own keepalived fields ({@link HaGroupFields}). Built generically from the config
 * records' {@link Param} metadata, so a field added to the engine shows up here by itself.
 */
public final class InspectorViewModel {
    private final ScenarioDocument document;
    private final Selection selection;
    private final ObservableList<FieldModel> fields = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
    private Object subject;

    public InspectorViewModel(ScenarioDocument document, Selection selection) {
        this.document = document;
        this.selection = selection;
        document.scenarioProperty().addListener((obs, was, now) -> rebuild());
        selection.nodes().addListener((javafx.collections.SetChangeListener<String>) c -> rebuild());
        selection.links().addListener((javafx.collections.SetChangeListener<LinkSpec>) c -> rebuild());
        rebuild();
    }

    public ObservableList<FieldModel> fields() {
        return fields;
    }

    public Optional<FieldModel> field(String key) {
        return fields.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    private void rebuild() {
        Scenario s = document.scenario();
        List<Field> next;
        Object nextSubject;
        if (selection.nodes().size() == 1 && selection.links().isEmpty()) {
            NodeSpec node = s.node(selection.nodes().iterator().next()).orElse(null);
            if (node == null) {
                return;
            }
            nextSubject = node.id();
            title.set(node.kind().displayName() + " · " + node.id());
            next = nodeFields(node);
        } else if (selection.links().size() == 1 && selection.nodes().isEmpty()) {
            LinkSpec link = selection.links().iterator().next();
            nextSubject = link;
            title.set("Link · " + link.from() + " → " + link.to());
            next = linkFields(link);
        } else if (selection.isEmpty()) {
            nextSubject = "scenario";
            title.set("Scenario · " + (s.name() == null ? "untitled" : s.name()));
            next = scenarioFields(s);
        } else {
            nextSubject = null;
            title.set(selection.nodes().size() + selection.links().size() + " items selected");
            next = List.of();
        }
        if (nextSubject != null && nextSubject.equals(subject) && sameKeys(next)) {
            for (int i = 0; i < next.size(); i++) {
                fields.get(i).showCommitted(next.get(i).value());
            }
            return;
        }
        subject = nextSubject;
        fields.setAll(next.stream().map(Field::model).toList());
    }

    private boolean sameKeys(List<Field> next) {
        if (next.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < next.size(); i++) {
            if (!next.get(i).model().key().equals(fields.get(i).key())) {
                return false;
            }
        }
        return true;
    }

    /** A field as built for one rebuild: its model and the value it shows. */
    record Field(FieldModel model, Object value) {
    }

    static Field plain(String key, String category, Object value, String doc, boolean editable, FieldModel.Committer committer) {
        return plain(key, category, value, doc, editable, committer, v -> List.of());
    }

    static Field plain(String key, String category, Object value, String doc, boolean editable,
                       FieldModel.Committer committer, Function<Object, List<String>> checker) {
        Param param = docOnly(doc);
        return new Field(new FieldModel(key, category, String.class, param, value, editable, checker, committer), value);
    }

    private List<Field> nodeFields(NodeSpec node) {
        String id = node.id();
        List<Field> out = new ArrayList<>();
        String category = "Node";
        out.add(plain("id", category, id, "The node's id: unique, letters, digits, '-', '_' and '.'", true,
                v -> {
                    String newId = v == null ? id : (String) v;
                    document.execute(Edits.renameNode(id, newId));
                    selection.selectOnly(newId);
                },
                v -> v == null || document.scenario().node((String) v).isEmpty() || v.equals(id) ? List.of() : List.of("id '" + v + "' is taken")));
        out.add(plain("label", category, node.label(), "What the canvas shows (default: the id)", true,
                v -> document.execute(Edits.setLabel(id, (String) v))));
        out.add(plain("address", category, node.address(), "host:port to bind; empty or port 0: chosen automatically", true,
                v -> document.execute(Edits.setAddress(id, (String) v))));
        NodeConfig config = node.config();
        String configCategory = node.kind().displayName();
        addRecordFields(out, (Record) config, List.of(), configCategory,
                () -> document.scenario().node(id).map(n -> (Record) n.config()).orElse((Record) config),
                (updated, what) -> document.execute(Edits.setConfig(id, (NodeConfig) updated, what)));
        document.scenario().haGroupOf(id).ifPresent(group -> out.addAll(new HaGroupFields(document, id).fields(group)));
        return out;
    }

    private List<Field> linkFields(LinkSpec link) {
        List<Field> out = new ArrayList<>();
        out.add(plain("from", "Link", link.from(), "The node that opens connections", false, v -> { }));
        out.add(plain("to", "Link", link.to(), "The node that accepts them", false, v -> { }));
        out.add(plain("label", "Link", link.label(), "Shown beside the arrow", true, v -> {
            document.execute(Edits.setLinkLabel(link, (String) v));
            selection.selectOnly(new LinkSpec(link.from(), link.to(), (String) v));
        }));
        return out;
    }

    private List<Field> scenarioFields(Scenario s) {
        List<Field> out = new ArrayList<>();
        out.add(plain("name", "Scenario", s.name(), "The scenario's title", true, v -> document.execute(ScenarioEdit.of("Rename scenario",
                sc -> new Scenario(sc.format(), (String) v, sc.description(), sc.nodes(), sc.links(), sc.traffic(), sc.script(), sc.haGroups())))));
        out.add(plain("description", "Scenario", s.description(), "What the scenario shows", true, v -> document.execute(ScenarioEdit.of("Edit description",
                sc -> new Scenario(sc.format(), sc.name(), (String) v, sc.nodes(), sc.links(), sc.traffic(), sc.script(), sc.haGroups())))));
        Traffic traffic = s.traffic() != null ? s.traffic() : Traffic.DEFAULT;
        addRecordFields(out, traffic, List.of(), "Traffic",
                () -> document.scenario().traffic() != null ? document.scenario().traffic() : Traffic.DEFAULT,
                (updated, what) -> document.execute(ScenarioEdit.of("Set traffic " + what, sc -> sc.withTraffic((Traffic) updated))));
        return out;
    }

    private interface RecordCommitter {
        void commit(Record updated, String what);
    }

    private void addRecordFields(List<Field> out, Record record, List<String> prefix, String category,
                                 java.util.function.Supplier<Record> current, RecordCommitter committer) {
        for (Params.Field f : Params.fields(record)) {
            RecordComponent rc = componentNamed(record.getClass(), f);
            List<String> path = new ArrayList<>(prefix);
            path.add(rc.getName());
            String key = String.join(".", path);
            if (f.type().isRecord()) {
                Record nested = f.value() instanceof Record r ? r : RecordValues.empty(castRecord(f.type()));
                addRecordFields(out, nested, path, prefix.isEmpty() ? category + " · " + rc.getName() : category, current, committer);
                continue;
            }
            boolean listOfRecords = f.type() == List.class && elementIsRecord(rc.getGenericType());
            Object value = listOfRecords ? summary(f.value()) : f.value();
            Function<Object, List<String>> checker = v -> {
                Record candidate = RecordValues.with(current.get(), path, v);
                String prefixText = key + ": ";
                return Params.check(candidate, "").stream().filter(p -> p.startsWith(prefixText))
                        .map(p -> p.substring(prefixText.length())).toList();
            };
            FieldModel.Committer commit = v -> committer.commit(RecordValues.with(current.get(), path, v),
                    key + (v == null ? " to default" : " to " + FieldModel.format(v)));
            out.add(new Field(new FieldModel(key, category, f.type(), f.param(), value, !listOfRecords, checker, commit), value));
        }
    }

    private static String summary(Object list) {
        if (!(list instanceof List<?> l) || l.isEmpty()) {
            return null;
        }
        return l.size() + (l.size() == 1 ? " entry" : " entries") + " (edit in the file)";
    }

    static RecordComponent componentNamed(Class<?> type, Params.Field f) {
        for (RecordComponent rc : type.getRecordComponents()) {
            if (Params.jsonName(rc).equals(f.name())) {
                return rc;
            }
        }
        throw new IllegalStateException("no component " + f.name() + " in " + type.getSimpleName());
    }

    private static boolean elementIsRecord(Type generic) {
        return generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> castRecord(Class<?> type) {
        return (Class<? extends Record>) type;
    }

    private static Param docOnly(String doc) {
        return new Param() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Param.class;
            }

            @Override
            public String def() {
                return "";
            }

            @Override
            public String unit() {
                return "";
            }

            @Override
            public double min() {
                return Double.NEGATIVE_INFINITY;
            }

            @Override
            public double max() {
                return Double.POSITIVE_INFINITY;
            }

            @Override
            public String[] oneOf() {
                return new String[0];
            }

            @Override
            public String doc() {
                return doc;
            }
        };
    }
}
