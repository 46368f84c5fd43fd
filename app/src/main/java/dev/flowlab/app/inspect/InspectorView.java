package dev.flowlab.app.inspect;

import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The property sheet over an {@link InspectorViewModel}: one row per field, the real default as
 * the empty field's prompt, units and range in the tooltip, and validation as you type (the
 * {@code :invalid} pseudo-class and the message above the sheet). Enter or leaving the field
 * commits; Escape reverts. Each editor's id is {@code field-<key>} ("field-maxThreads"); a list of
 * records is a button that opens its {@link RecordListDialog}.
 */
public final class InspectorView {
    private final VBox root = new VBox();

    /** {@code running}: whether the lab runs (the list editor then says a restart applies its changes). */
    public InspectorView(InspectorViewModel viewModel, ObservableBooleanValue running) {
        root.setId("inspector");
        root.getStyleClass().add("inspector");
        Label title = new Label();
        title.setId("inspector-title");
        title.getStyleClass().add("inspector-title");
        title.textProperty().bind(viewModel.titleProperty());
        title.setWrapText(true);
        FieldEditors editors = new FieldEditors(field -> RecordListDialog.open(root.getScene().getWindow(), field.openList(), running));
        VBox sheet = new FieldSheet(viewModel.fields(), editors, "inspector-problem").root();
        VBox.setVgrow(sheet, Priority.ALWAYS);
        root.getChildren().addAll(title, sheet);
    }

    public Parent root() {
        return root;
    }
}
