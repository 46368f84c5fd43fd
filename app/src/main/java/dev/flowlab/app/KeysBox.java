package dev.flowlab.app;

import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Help → Keys: the keyboard shortcuts, as the README's table lists them. */
final class KeysBox {
    /** Keys and what they do, in the README's order. */
    static final List<String[]> KEYS = List.of(
            new String[] {"Ctrl+N / O / S", "new, open, save"},
            new String[] {"Ctrl+Shift+S", "save as"},
            new String[] {"Ctrl+Shift+O", "open a scenario of the library"},
            new String[] {"Ctrl+Z", "undo"},
            new String[] {"Ctrl+Shift+Z, Ctrl+Y", "redo"},
            new String[] {"Ctrl+X / C / V", "cut, copy, paste"},
            new String[] {"Ctrl+D", "duplicate"},
            new String[] {"Delete, Backspace", "delete the selection"},
            new String[] {"Ctrl+A", "select all"},
            new String[] {"arrow keys (Shift: further)", "nudge the selection"},
            new String[] {"Ctrl+= / Ctrl+-", "zoom in, out (or Ctrl+wheel)"},
            new String[] {"Ctrl+0 / Ctrl+1", "fit to view, actual size"},
            new String[] {"wheel, right-drag", "pan"},
            new String[] {"Ctrl+Shift+D", "dark theme"},
            new String[] {"F5 / Shift+F5", "start, stop the lab"},
            new String[] {"F11", "presentation mode: a larger UI, the canvas and one live panel (View menu: scale, panel)"},
            new String[] {"F1", "about"});

    private KeysBox() {
    }

    static Alert show(Window owner) {
        Alert keys = new Alert(Alert.AlertType.INFORMATION);
        if (owner != null) {
            keys.initOwner(owner);
        }
        keys.setTitle("Keys");
        keys.setHeaderText("Keyboard shortcuts");
        GridPane grid = new GridPane();
        grid.setId("keys-table");
        grid.getStyleClass().add("keys-table");
        for (int row = 0; row < KEYS.size(); row++) {
            Label key = new Label(KEYS.get(row)[0]);
            key.getStyleClass().add("keys-key");
            grid.add(key, 0, row);
            grid.add(new Label(KEYS.get(row)[1]), 1, row);
        }
        keys.getDialogPane().setContent(grid);
        keys.getDialogPane().setId("keys");
        keys.show();
        return keys;
    }
}
