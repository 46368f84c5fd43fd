package dev.flowlab.app;

import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.files.LibraryEntry;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * File → Open Library: the library's scenarios, each with its title, its library name and the first
 * sentence of its description; Open (or a double click) opens the chosen one as an unsaved document.
 * The list fills in the background. Ids: {@code library}, {@code library-list}, rows {@code library-<name>}.
 */
final class LibraryDialog {
    static final ButtonType OPEN = new ButtonType("Open", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<String> dialog = new Dialog<>();
    private final ListView<LibraryEntry> list = new ListView<>();

    LibraryDialog(Window owner, FileViewModel files) {
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle("Open Library");
        dialog.setHeaderText("The scenario library: the article's evolution, step by step, and the Taobao question");
        dialog.getDialogPane().setId("library");
        dialog.getDialogPane().getButtonTypes().addAll(OPEN, ButtonType.CANCEL);
        list.setId("library-list");
        list.setPrefSize(640, 420);
        list.setPlaceholder(new Label("Reading the library…"));
        list.setCellFactory(v -> new EntryCell(list));
        dialog.getDialogPane().setContent(list);
        dialog.getDialogPane().lookupButton(OPEN).disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        dialog.setResultConverter(b -> b == OPEN && list.getSelectionModel().getSelectedItem() != null
                ? list.getSelectionModel().getSelectedItem().name() : null);
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && list.getSelectionModel().getSelectedItem() != null) {
                ((javafx.scene.control.Button) dialog.getDialogPane().lookupButton(OPEN)).fire();
            }
        });
        dialog.resultProperty().addListener((obs, was, name) -> {
            if (name != null) {
                files.openLibrary(name);
            }
        });
        files.libraryEntries(entries -> {
            list.getItems().setAll(entries);
            if (entries.isEmpty()) {
                list.setPlaceholder(new Label("No scenario library on the classpath"));
            }
        });
    }

    /** Shows it without waiting (the menu's action returns at once). */
    LibraryDialog show() {
        dialog.show();
        return this;
    }

    Dialog<String> dialog() {
        return dialog;
    }

    ListView<LibraryEntry> list() {
        return list;
    }

    private static final class EntryCell extends ListCell<LibraryEntry> {
        private final Label title = new Label();
        private final Label summary = new Label();
        private final VBox box = new VBox(2, title, summary);

        EntryCell(ListView<LibraryEntry> list) {
            title.getStyleClass().add("library-title");
            summary.getStyleClass().add("library-summary");
            summary.setWrapText(true);
            box.getStyleClass().add("library-entry");
            // Wrapped to the list's width (less its scroll bar and padding), so the cell is as tall as the sentence.
            summary.prefWidthProperty().bind(list.widthProperty().subtract(48));
            summary.maxWidthProperty().bind(list.widthProperty().subtract(48));
            summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(LibraryEntry entry, boolean empty) {
            super.updateItem(entry, empty);
            if (empty || entry == null) {
                setGraphic(null);
                setId(null);
                return;
            }
            setId("library-" + entry.name());
            title.setText(entry.title() + "  ·  " + entry.name());
            summary.setText(entry.summary());
            setGraphic(box);
        }
    }
}
