package dev.flowlab.app.inspect;

import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * A ControlsFX {@link PropertySheet} over field models, one row per field, each edited by the
 * {@link FieldEditors} control (id {@code field-<key>}), with the message of a field typed wrong
 * above it. The inspector's sheet and the list editor's sheet of the selected row.
 */
final class FieldSheet {
    private final VBox root = new VBox();
    private final PropertySheet sheet = new PropertySheet() {
        @Override
        protected void layoutChildren() {
            // The rows live in the skin's scroll pane: reachable once laid out, rebuilt with the items.
            keepNamesWhole();
            super.layoutChildren();
        }
    };
    private final Label problem = new Label();
    private final FieldEditors editors;

    FieldSheet(ObservableList<FieldModel> fields, FieldEditors editors, String problemId) {
        this.editors = editors;
        root.getStyleClass().add("field-sheet");
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setPropertyEditorFactory(item -> editorFor(((FieldItem) item).model()));
        VBox.setVgrow(sheet, Priority.ALWAYS);
        problem.setId(problemId);
        problem.getStyleClass().add("inspector-problem");
        problem.setWrapText(true);
        problem.setVisible(false);
        problem.managedProperty().bind(problem.visibleProperty());
        root.getChildren().addAll(problem, sheet);
        show(fields);
        fields.addListener((ListChangeListener<FieldModel>) c -> show(fields));
    }

    /**
     * ControlsFX lets a name shrink to 100 px when the row is short of room, cutting "concurrency
     * (users)": a name keeps its full width and the editor beside it gives way instead.
     */
    private void keepNamesWhole() {
        for (Node pane : sheet.lookupAll(".property-pane")) {
            if (pane instanceof javafx.scene.layout.GridPane grid) {
                for (Node child : grid.getChildren()) {
                    Integer column = javafx.scene.layout.GridPane.getColumnIndex(child);
                    if ((column == null || column == 0) && child instanceof Label name) {
                        name.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                    }
                }
            }
        }
    }

    VBox root() {
        return root;
    }

    private void show(ObservableList<FieldModel> fields) {
        problem.setVisible(false);
        sheet.getItems().setAll(fields.stream().map(FieldItem::new).toList());
    }

    private PropertyEditor<?> editorFor(FieldModel model) {
        Node control = editors.control(model, "field-" + model.key());
        showError(model.getError());
        model.errorProperty().addListener((obs, was, now) -> showError(now));
        return new PropertyEditor<String>() {
            @Override
            public Node getEditor() {
                return control;
            }

            @Override
            public String getValue() {
                return model.getText();
            }

            @Override
            public void setValue(String value) {
                // The control is bound to the model already.
            }
        };
    }

    private void showError(String error) {
        problem.setText(error == null ? "" : error);
        problem.setVisible(error != null);
    }

    /**
     * A field's name in the sheet: its key, and its unit where the key does not say it already
     * ("rps (requests/s)", but "maxThreads", not "maxThreads (threads)": the unit stays in the tooltip).
     */
    static String name(String key, String unit) {
        if (unit.isEmpty() || "duration".equals(unit)) {
            return key;
        }
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        String word = unit.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(word) || (word.endsWith("s") && lower.endsWith(word.substring(0, word.length() - 1)))) {
            return key;
        }
        return key + " (" + unit + ")";
    }

    /** Adapts a field model to ControlsFX's item interface. */
    private static final class FieldItem implements PropertySheet.Item {
        private final FieldModel model;

        FieldItem(FieldModel model) {
            this.model = model;
        }

        FieldModel model() {
            return model;
        }

        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return model.category();
        }

        @Override
        public String getName() {
            return name(model.key(), model.unit());
        }

        @Override
        public String getDescription() {
            return model.description();
        }

        @Override
        public Object getValue() {
            return model.getText();
        }

        @Override
        public void setValue(Object value) {
            model.setText(value == null ? "" : value.toString());
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.of(model.textProperty());
        }

        @Override
        public boolean isEditable() {
            // The sheet disables the editor of an item that is not: a list's button must stay clickable.
            return model.isEditable() || model.isList();
        }
    }
}
