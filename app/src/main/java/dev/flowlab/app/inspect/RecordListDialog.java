package dev.flowlab.app.inspect;

import java.time.Duration;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

/**
 * The editor of a list of records, over a {@link RecordListModel}: a table with a row per element
 * and a column per field, each cell the property sheet's own control for that field (so the same
 * prompts, checks and node pickers; a list inside a row is a button that opens the next such
 * dialog); add, remove, move up and down; the selected row's nested fields (a location's cache, a
 * route's filters) in a sheet below; the engine's findings at the bottom. OK applies the whole
 * list as one undoable edit and is refused while something is wrong; Cancel forgets it.
 *
 * <p>Ids for tests: {@code list-table}, {@code list-add}, {@code list-remove}, {@code list-up},
 * {@code list-down}, {@code list-reset}, {@code list-ok}; a cell's control is
 * {@code cell-<key>-<row>} ("cell-weight-1").
 */
final class RecordListDialog {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    private static final double CELL_HEIGHT = 36;
    private static final double NESTED_OFFSET = 40;
    private static final double WIDTH = 1040;
    private static final double HEIGHT = 500;
    private static final double HEIGHT_WITH_DETAILS = 720;

    private final RecordListModel model;
    private final ObservableBooleanValue running;
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final TableView<RecordListModel.Row> table = new TableView<>();
    private final ObservableList<FieldModel> selectedDetails = FXCollections.observableArrayList();
    private final Label cellProblem = new Label();
    private final FieldEditors editors;

    private RecordListDialog(Window owner, RecordListModel model, ObservableBooleanValue running) {
        this.model = model;
        this.running = running;
        this.editors = new FieldEditors(field -> open(dialog.getDialogPane().getScene().getWindow(), field.openList(), running));
        dialog.initOwner(owner);
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setResizable(true);
        dialog.setTitle("Edit " + model.noun());
        dialog.setHeaderText(model.title());
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        dialog.getDialogPane().getStyleClass().add("record-list");
        dialog.getDialogPane().setId("list-dialog");
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.getDialogPane().setContent(content());
        dialog.getDialogPane().setPrefSize(WIDTH, model.details().isEmpty() ? HEIGHT : HEIGHT_WITH_DETAILS);
        Button ok = (Button) dialog.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("list-ok");
        ok.disableProperty().bind(model.blockedProperty());
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            // What is still typed in a cell counts; if it is wrong, the dialog stays open and says why.
            if (!model.apply() && model.isBlocked()) {
                e.consume();
            }
        });
        dialog.getDialogPane().lookupButton(ButtonType.CANCEL).setId("list-cancel");
    }

    /** Shows the editor of {@code model}'s list over {@code owner}; OK writes it (one edit), Cancel forgets it. */
    static Dialog<ButtonType> open(Window owner, RecordListModel model, ObservableBooleanValue running) {
        RecordListDialog d = new RecordListDialog(owner, model, running);
        boolean nested = owner != null && owner.getScene() != null && owner.getScene().getRoot() instanceof javafx.scene.control.DialogPane;
        d.dialog.setOnShown(e -> {
            if (nested) {
                // A list inside a row opens over its row's dialog: offset, so both stay in sight.
                d.dialog.setX(owner.getX() + NESTED_OFFSET);
                d.dialog.setY(owner.getY() + NESTED_OFFSET);
            }
            // The table, not the first cell's control, starts with the focus (focusing a cell selects its row).
            d.table.requestFocus();
        });
        d.dialog.show();
        return d.dialog;
    }

    private VBox content() {
        Label note = new Label();
        note.setId("list-note");
        note.getStyleClass().add("list-note");
        note.setWrapText(true);
        // A wrapped label in a VBox keeps one line unless told its height is what its text needs.
        note.setMinHeight(Region.USE_PREF_SIZE);
        Runnable describe = () -> note.setText(model.description() + (model.isUsingDefault()
                ? "\nNot set in the file: these rows are the default that applies. Any change writes the whole list to the file."
                : ""));
        describe.run();
        model.usingDefaultProperty().addListener((obs, was, now) -> describe.run());
        Label runningNote = new Label("The lab is running: OK changes the scenario, and a restart (Stop, Start) runs it.");
        runningNote.setId("list-running");
        runningNote.getStyleClass().add("list-running");
        runningNote.visibleProperty().bind(running);
        runningNote.managedProperty().bind(running);

        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);

        cellProblem.setId("list-cell-problem");
        cellProblem.getStyleClass().add("inspector-problem");
        cellProblem.setWrapText(true);
        cellProblem.setMinHeight(Region.USE_PREF_SIZE);
        cellProblem.managedProperty().bind(cellProblem.visibleProperty());
        cellProblem.setVisible(false);

        ListView<String> problems = new ListView<>(model.problems());
        problems.setId("list-problems");
        problems.getStyleClass().add("list-problems");
        problems.setPrefHeight(64);
        problems.setMinHeight(Region.USE_PREF_SIZE);
        problems.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        VBox box = new VBox(8, note, runningNote, toolbar(), table, cellProblem);
        if (!model.details().isEmpty()) {
            Label detailsTitle = new Label();
            detailsTitle.getStyleClass().add("inspector-title");
            detailsTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
                RecordListModel.Row row = table.getSelectionModel().getSelectedItem();
                return row == null ? "Select a " + ListWords.singular(model.noun()) + " to see its nested settings"
                        : ListWords.singular(model.noun()) + " " + row.label() + ": nested settings";
            }, table.getSelectionModel().selectedItemProperty()));
            VBox details = new FieldSheet(selectedDetails, editors, "list-details-problem").root();
            details.setId("list-details");
            details.setPrefHeight(220);
            box.getChildren().addAll(detailsTitle, details);
        }
        box.getChildren().add(problems);
        box.getStyleClass().add("record-list-content");
        return box;
    }

    private ToolBar toolbar() {
        String one = ListWords.singular(model.noun());
        Button add = button("list-add", "Add " + one, new FontIcon(MaterialDesignP.PLUS), "Append a new " + one + " (every field unset)");
        add.setOnAction(e -> {
            RecordListModel.Row row = model.add();
            table.getSelectionModel().select(row);
            table.scrollTo(row);
        });
        Button remove = button("list-remove", "Remove", new FontIcon(MaterialDesignD.DELETE_OUTLINE), "Remove the selected " + one);
        remove.setOnAction(e -> selected(model::remove));
        Button up = button("list-up", null, new FontIcon(MaterialDesignA.ARROW_UP), "Move the selected " + one + " up");
        up.setOnAction(e -> selected(row -> {
            model.moveUp(row);
            table.getSelectionModel().select(row);
        }));
        Button down = button("list-down", null, new FontIcon(MaterialDesignA.ARROW_DOWN), "Move the selected " + one + " down");
        down.setOnAction(e -> selected(row -> {
            model.moveDown(row);
            table.getSelectionModel().select(row);
        }));
        var nothingSelected = table.getSelectionModel().selectedItemProperty().isNull();
        remove.disableProperty().bind(nothingSelected);
        up.disableProperty().bind(nothingSelected.or(table.getSelectionModel().selectedIndexProperty().isEqualTo(0)));
        down.disableProperty().bind(nothingSelected.or(table.getSelectionModel().selectedIndexProperty()
                .isEqualTo(javafx.beans.binding.Bindings.size(model.rows()).subtract(1))));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(add, remove, up, down, spacer);
        if (model.hasDefault()) {
            Button reset = button("list-reset", "Use default", new FontIcon(MaterialDesignR.RESTORE),
                    "Take the list out of the file: the default applies again");
            reset.disableProperty().bind(model.usingDefaultProperty());
            reset.setOnAction(e -> model.resetToDefault());
            bar.getItems().add(reset);
        }
        return bar;
    }

    private void selected(java.util.function.Consumer<RecordListModel.Row> action) {
        RecordListModel.Row row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            action.accept(row);
        }
    }

    private static Button button(String id, String text, FontIcon icon, String tip) {
        Button b = new Button(text, icon);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private void buildTable() {
        table.setId("list-table");
        table.setItems(model.rows());
        table.setEditable(false);
        table.setFixedCellSize(CELL_HEIGHT);
        // The columns share the dialog's width; the sum of their preferred widths must not widen the dialog.
        table.setPrefWidth(WIDTH - 40);
        table.setPlaceholder(new Label("No " + model.noun() + ": Add one"));
        // Every column in view (a list's button last in a row must not hide to the right); widths share the space.
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        for (String key : model.columns()) {
            table.getColumns().add(column(key));
        }
        table.setRowFactory(t -> new TableRow<>() {
            private final ChangeListener<String> onError = (obs, was, now) -> showRowError(this, now);

            @Override
            protected void updateItem(RecordListModel.Row row, boolean empty) {
                if (getItem() != null) {
                    getItem().errorProperty().removeListener(onError);
                }
                super.updateItem(row, empty);
                if (empty || row == null) {
                    showRowError(this, null);
                    return;
                }
                row.errorProperty().addListener(onError);
                showRowError(this, row.errorProperty().get());
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> selectedDetails.setAll(
                now == null ? List.of() : now.fields().stream().filter(f -> model.details().contains(f.key())).toList()));
        model.rows().addListener((ListChangeListener<RecordListModel.Row>) c -> {
            RecordListModel.Row row = table.getSelectionModel().getSelectedItem();
            if (row != null && !model.rows().contains(row)) {
                table.getSelectionModel().clearSelection();
            }
        });
        if (!model.rows().isEmpty()) {
            table.getSelectionModel().select(0);
        }
    }

    private static void showRowError(TableRow<?> row, String error) {
        row.pseudoClassStateChanged(INVALID, error != null);
        row.setTooltip(error == null ? null : new Tooltip(error));
    }

    private TableColumn<RecordListModel.Row, RecordListModel.Row> column(String key) {
        TableColumn<RecordListModel.Row, RecordListModel.Row> column = new TableColumn<>();
        Label heading = new Label(model.header(key));
        String help = model.help(key);
        if (!help.isEmpty()) {
            heading.setTooltip(new Tooltip(help));
        }
        column.setGraphic(heading);
        column.setSortable(false);
        column.setReorderable(false);
        column.setPrefWidth(width(key));
        column.setMinWidth(70);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(RecordListModel.Row row, boolean empty) {
                super.updateItem(row, empty);
                if (empty || row == null) {
                    setGraphic(null);
                    return;
                }
                FieldModel field = row.field(key).orElseThrow();
                Node control = editors.control(field, "cell-" + key + "-" + getIndex());
                // Clicking into a cell selects its row, so Remove, the moves and the nested settings act on it.
                control.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> getTableView().getSelectionModel().select(row));
                field.errorProperty().addListener((obs, was, now) -> showCellError(now));
                if (control instanceof Region r) {
                    r.setMaxWidth(Double.MAX_VALUE);
                }
                setGraphic(control);
            }
        });
        return column;
    }

    private void showCellError(String error) {
        cellProblem.setText(error == null ? "" : error);
        cellProblem.setVisible(error != null);
    }

    private double width(String key) {
        if (model.isListColumn(key)) {
            return 170;
        }
        Class<?> type = model.type(key);
        if (type == Boolean.class) {
            return 100;
        }
        if (type == Integer.class || type == Long.class || type == Double.class || type == Duration.class) {
            return Math.max(100, model.header(key).length() * 7.5 + 20);
        }
        return 140;
    }
}
