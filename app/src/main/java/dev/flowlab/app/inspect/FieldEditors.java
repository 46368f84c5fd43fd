package dev.flowlab.app.inspect;

import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * The control that edits one {@link FieldModel}, for the property sheet and for the list editor's
 * cells alike: a text field (the default as prompt), a combo box of the allowed words, an editable
 * combo box of the nodes a reference may name (a text field with a picker for a list of them), or
 * a button that opens a list of records. Enter or leaving commits, Escape reverts; units and range
 * in the tooltip; the {@code :invalid} pseudo-class while the typed text is refused.
 */
final class FieldEditors {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private final Consumer<FieldModel> openList;

    /** {@code openList} shows the editor of a list field's rows. */
    FieldEditors(Consumer<FieldModel> openList) {
        this.openList = openList;
    }

    /** The control for {@code model}; {@code id} goes on the part one types into (or clicks). */
    Node control(FieldModel model, String id) {
        Node input;
        Node control;
        if (model.isList()) {
            input = listButton(model);
            control = input;
        } else if (!model.choices().isEmpty()) {
            input = choiceBox(model);
            control = input;
        } else if (model.isReference() && model.type() == List.class) {
            TextField names = textField(model);
            input = names;
            control = withPicker(model, names, id);
        } else if (model.isReference()) {
            input = nameBox(model);
            control = input;
        } else {
            input = textField(model);
            control = input;
        }
        input.setId(id);
        input.getStyleClass().add("field-editor");
        String help = model.description();
        if (!help.isEmpty()) {
            Tooltip.install(input, new Tooltip(help));
        }
        input.pseudoClassStateChanged(INVALID, model.getError() != null);
        model.errorProperty().addListener((obs, was, now) -> input.pseudoClassStateChanged(INVALID, now != null));
        return control;
    }

    private Button listButton(FieldModel model) {
        Button button = new Button();
        button.textProperty().bind(Bindings.concat(model.textProperty(), "…"));
        button.getStyleClass().add("list-field");
        button.setMaxWidth(Double.MAX_VALUE);
        button.setOnAction(e -> openList.accept(model));
        return button;
    }

    private static ComboBox<String> choiceBox(FieldModel model) {
        ComboBox<String> box = new ComboBox<>();
        box.getItems().add("");
        box.getItems().addAll(model.choices());
        box.setPromptText(model.prompt());
        // A choice this machine cannot run (engine nginx without an nginx binary) is listed, greyed, with the reason.
        box.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                String why = empty || item == null ? null : model.unavailable(item);
                setText(empty ? null : item);
                setDisable(why != null);
                setTooltip(why == null ? null : new Tooltip(why));
            }
        });
        box.setValue(model.getText());
        box.valueProperty().addListener((obs, was, now) -> {
            model.setText(now == null ? "" : now);
            model.commit();
        });
        model.textProperty().addListener((obs, was, now) -> box.setValue(now));
        return box;
    }

    /** The names it may take in the list, typed or picked; the text stays the committed value's until a pick or Enter. */
    private static ComboBox<String> nameBox(FieldModel model) {
        ComboBox<String> box = new ComboBox<>();
        box.setEditable(true);
        box.getItems().setAll(model.suggestions());
        box.setOnShowing(e -> box.getItems().setAll(model.suggestions()));
        box.setPromptText(model.prompt());
        box.getEditor().setText(model.getText());
        box.getEditor().textProperty().bindBidirectional(model.textProperty());
        box.valueProperty().addListener((obs, was, now) -> {
            if (now != null) {
                model.setText(now);
                model.commit();
            }
        });
        box.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused) {
                model.commit();
            }
        });
        box.getEditor().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !box.isShowing()) {
                model.revert();
                e.consume();
            }
        });
        return box;
    }

    private static TextField textField(FieldModel model) {
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
        return field;
    }

    /** A list of names: typed comma-separated, or each added from the menu of those it may name. */
    private static HBox withPicker(FieldModel model, TextField names, String id) {
        MenuButton pick = new MenuButton("+");
        pick.setId("pick-" + id);
        pick.getStyleClass().add("name-picker");
        pick.setTooltip(new Tooltip("Add a node"));
        pick.setOnShowing(e -> pick.getItems().setAll(model.suggestions().stream().map(name -> {
            MenuItem item = new MenuItem(name);
            item.setOnAction(a -> {
                List<Object> current = model.getText().isBlank() ? List.of() : List.of((Object[]) model.getText().split("\\s*,\\s*"));
                if (!current.contains(name)) {
                    model.setText(model.getText().isBlank() ? name : model.getText().trim() + ", " + name);
                    model.commit();
                }
            });
            return item;
        }).toList()));
        HBox.setHgrow(names, Priority.ALWAYS);
        HBox box = new HBox(2, names, pick);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }
}
