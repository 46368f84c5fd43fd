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
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import dev.flowlab.topology.Traffic;
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
 * records' {@link Param} metadata ({@link RecordFields}), so a field added to the engine shows up here
 * by itself; a list of records (upstreams, real servers, routes...) opens a {@link RecordListModel}.
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
        RecordFields recordFields = new RecordFields(new References(document::scenario, id));
        out.addAll(recordFields.fields((Record) config, node.kind().displayName(),
                () -> document.scenario().node(id).map(n -> (Record) n.config()).orElse((Record) config),
                (updated, what) -> document.execute(Edits.setConfig(id, (NodeConfig) updated, what)), nodeLists(id, recordFields)));
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
                sc -> new Scenario(sc.format(), (String) v, sc.description(), sc.nodes(), sc.links(), sc.traffic(), sc.script(), sc.haGroups(), sc.lesson())))));
        out.add(plain("description", "Scenario", s.description(), "What the scenario shows", true, v -> document.execute(ScenarioEdit.of("Edit description",
                sc -> new Scenario(sc.format(), sc.name(), (String) v, sc.nodes(), sc.links(), sc.traffic(), sc.script(), sc.haGroups(), sc.lesson())))));
        Traffic traffic = s.traffic() != null ? s.traffic() : Traffic.DEFAULT;
        out.addAll(new RecordFields(new References(document::scenario, null)).fields(traffic, "Traffic",
                () -> document.scenario().traffic() != null ? document.scenario().traffic() : Traffic.DEFAULT,
                (updated, what) -> document.execute(ScenarioEdit.of("Set traffic " + what, sc -> sc.withTraffic((Traffic) updated))), NO_LISTS));
        return out;
    }

    /** The lists of records in a node's config: each edited in a {@link RecordListModel}, written as one edit of the node. */
    private RecordFields.Lists nodeLists(String id, RecordFields recordFields) {
        return new RecordFields.Lists() {
            @Override
            public String summary(RecordFields.ListPlace place, List<Record> value) {
                List<Record> implied = value == null ? impliedList(id, place) : null;
                // The count first, as the sheet's narrow column may cut the rest ("1 upstream (def…").
                return implied != null ? ListWords.count(implied.size(), place.noun()) + " (default)"
                        : RecordFields.Lists.super.summary(place, value);
            }

            @Override
            public RecordListModel open(RecordFields.ListPlace place, List<Record> value) {
                int index = nodeIndex(id);
                return new RecordListModel(List.of(id, place.noun()), "$.nodes[" + index + "].config." + place.jsonPath(), place, value,
                        impliedList(id, place), recordFields, new NodeListHost(id, place));
            }
        };
    }

    private List<Record> impliedList(String id, RecordFields.ListPlace place) {
        if (place.path().size() != 1) {
            return null;
        }
        Scenario s = document.scenario();
        return s.node(id).map(n -> ImpliedLists.of(s, n, place.path().get(0))).orElse(null);
    }

    private int nodeIndex(String id) {
        List<NodeSpec> nodes = document.scenario().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("no node " + id);
    }

    /** A list in a node's config: checked as the whole scenario would be with it, written as one edit of the node. */
    private final class NodeListHost implements RecordListModel.Host {
        private final String id;
        private final RecordFields.ListPlace place;

        NodeListHost(String id, RecordFields.ListPlace place) {
            this.id = id;
            this.place = place;
        }

        @Override
        public List<RecordListModel.Problem> check(List<Record> candidate) {
            Scenario s = document.scenario();
            int index = nodeIndex(id);
            NodeSpec node = s.nodes().get(index);
            NodeConfig config = (NodeConfig) RecordValues.with((Record) node.config(), place.path(), candidate);
            List<NodeSpec> nodes = new ArrayList<>(s.nodes());
            nodes.set(index, node.withConfig(config));
            List<RecordListModel.Problem> out = new ArrayList<>();
            TopologyValidator.validate(s.withNodes(nodes)).stream().filter(TopologyProblem::isError)
                    .forEach(p -> out.add(new RecordListModel.Problem(p.path(), p.message())));
            String configPath = "$.nodes[" + index + "].config.";
            for (String p : Params.check((Record) config, "")) {
                int colon = p.indexOf(": ");
                out.add(new RecordListModel.Problem(configPath + p.substring(0, colon), p.substring(0, colon) + ": " + p.substring(colon + 2)));
            }
            return out;
        }

        @Override
        public void apply(List<Record> value, boolean toDefault) {
            NodeSpec node = document.scenario().node(id).orElseThrow();
            document.execute(Edits.setConfigList(id, (NodeConfig) RecordValues.with((Record) node.config(), place.path(), value),
                    place.key(), toDefault));
        }
    }

    /** The scenario's own records (its traffic) hold no lists of records. */
    private static final RecordFields.Lists NO_LISTS = (place, value) -> {
        throw new IllegalStateException("no list editor for " + place.key());
    };

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

            @Override
            public String[] refersTo() {
                return new String[0];
            }
        };
    }
}
