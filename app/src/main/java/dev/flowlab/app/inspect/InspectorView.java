package dev.flowlab.app.inspect;

import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The property sheet (ControlsFX {@link PropertySheet}) over an {@link InspectorViewModel}: one
 * row per field, the real default as the empty field's prompt, units and range in the tooltip,
 * and validation as you type (the {@code :invalid} pseudo-class and the message below the
 * sheet). Enter or leaving the field commits; Escape reverts. Each editor's id is
 * {@code field-<key>} ("field-maxThreads").
 */
public final class InspectorView {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private final VBox root = new VBox();
    private final PropertySheet sheet = new PropertySheet();
    private final Label problem = new Label();

    public InspectorView(InspectorViewModel viewModel) {
        root.setId("inspector");
        root.getStyleClass().add("inspector");
        Label title = new Label();
        title.setId("inspector-title");
        title.getStyleClass().add("inspector-title");
        title.textProperty().bind(viewModel.titleProperty());
        title.setWrapText(true);
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setPropertyEditorFactory(item -> editorFor(((FieldItem) item).model()));
        VBox.setVgrow(sheet, Priority.ALWAYS);
        problem.setId("inspector-problem");
        problem.getStyleClass().add("inspector-problem");
        problem.setWrapText(true);
        problem.setVisible(false);
        problem.managedProperty().bind(problem.visibleProperty());
        root.getChildren().addAll(title, problem, sheet);
        show(viewModel);
        viewModel.fields().addListener((ListChangeListener<FieldModel>) c -> show(viewModel));
    }

    public Parent root() {
        return root;
    }

    private void show(InspectorViewModel viewModel) {
        problem.setVisible(false);
        sheet.getItems().setAll(viewModel.fields().stream().map(FieldItem::new).toList());
    }

    private PropertyEditor<?> editorFor(FieldModel model) {
        Node control;
        if (!model.choices().isEmpty()) {
            ComboBox<String> box = new ComboBox<>();
            box.getItems().add("");
            box.getItems().addAll(model.choices());
            box.setPromptText(model.prompt());
            box.setValue(model.getText());
            box.valueProperty().addListener((obs, was, now) -> {
                model.setText(now == null ? "" : now);
                model.commit();
            });
            model.textProperty().addListener((obs, was, now) -> box.setValue(now));
            control = box;
        } else {
            TextField field = new TextField();
            field.textProperty().bindBidirectional(model.textProperty());
            field.setPromptText(model.prompt());
            field.setEditable(model.isEditable());
            field.setOnAction(e -> model.commit());
            field.focusedProperty().addListener((obs, was, focused) -> {
                if (!focused) {
                    model.commit();
                }
            });
            field.setOnKeyPressed(e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    model.revert();
                    e.consume();
                }
            });
            control = field;
        }
        control.setId("field-" + model.key());
        control.getStyleClass().add("field-editor");
        String help = model.description();
        if (!help.isEmpty()) {
            Tooltip.install(control, new Tooltip(help));
        }
        showError(control, model.getError());
        model.errorProperty().addListener((obs, was, now) -> showError(control, now));
        Node shown = control;
        return new PropertyEditor<String>() {
            @Override
            public Node getEditor() {
                return shown;
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

    private void showError(Node control, String error) {
        control.pseudoClassStateChanged(INVALID, error != null);
        problem.setText(error == null ? "" : error);
        problem.setVisible(error != null);
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
            return model.unit().isEmpty() || "duration".equals(model.unit()) ? model.key() : model.key() + " (" + model.unit() + ")";
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
            return model.isEditable();
        }
    }
}
