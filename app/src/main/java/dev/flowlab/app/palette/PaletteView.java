package dev.flowlab.app.palette;

import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.app.canvas.KindIcons;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.HashSet;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;

/**
 * The palette: an entry per node kind and an HA pair. Drag an entry onto the canvas to add it
 * there, or click it (or press Enter on it) to add it in the middle of what the canvas shows.
 * The drag is a plain press-drag-release gesture (not the platform's drag and drop), so it
 * behaves the same on every desktop and under a headless robot.
 */
public final class PaletteView {
    private final VBox root = new VBox();
    private final ScenarioDocument document;
    private final Selection selection;
    private final EditorCanvas canvas;

    public PaletteView(ScenarioDocument document, Selection selection, EditorCanvas canvas) {
        this.document = document;
        this.selection = selection;
        this.canvas = canvas;
        root.setId("palette");
        root.getStyleClass().add("palette");
        Label title = new Label("Nodes");
        title.getStyleClass().add("palette-title");
        root.getChildren().add(title);
        for (PaletteEntry entry : PaletteEntry.values()) {
            root.getChildren().add(entryView(entry));
        }
        Label hint = new Label("Drag onto the canvas, or click. Drag from a node's dot to link.");
        hint.setWrapText(true);
        hint.getStyleClass().add("palette-hint");
        root.getChildren().add(hint);
    }

    public Parent root() {
        return root;
    }

    private Label entryView(PaletteEntry entry) {
        FontIcon icon = entry == PaletteEntry.HA_PAIR ? new FontIcon(MaterialDesignL.LAN_CONNECT) : new FontIcon(KindIcons.of(entry.kind()));
        icon.getStyleClass().add("kind-icon");
        Label item = new Label(entry.title(), icon);
        item.setId(entry.viewId());
        item.getStyleClass().addAll("palette-entry", "kind-" + entry.kind().id());
        item.setMaxWidth(Double.MAX_VALUE);
        item.setFocusTraversable(true);
        item.setTooltip(new Tooltip(entry.description()));
        item.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE) {
                add(entry, canvas.visibleCenter());
                e.consume();
            }
        });
        new DragToCanvas(item, entry).install();
        return item;
    }

    private void add(PaletteEntry entry, Position at) {
        Set<String> before = new HashSet<>();
        document.scenario().nodes().forEach(n -> before.add(n.id()));
        if (document.execute(entry.addAt(at))) {
            Scenario now = document.scenario();
            selection.selectNodes(now.nodes().stream().map(n -> n.id()).filter(id -> !before.contains(id)).toList(), false);
            canvas.requestFocus();
        }
    }

    private final class DragToCanvas {
        private final Label item;
        private final PaletteEntry entry;
        private Point2D pressedAt;
        private boolean dragging;

        DragToCanvas(Label item, PaletteEntry entry) {
            this.item = item;
            this.entry = entry;
        }

        void install() {
            item.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
                if (e.getButton() == MouseButton.PRIMARY) {
                    pressedAt = new Point2D(e.getSceneX(), e.getSceneY());
                    dragging = false;
                }
            });
            item.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
                if (pressedAt != null && pressedAt.distance(e.getSceneX(), e.getSceneY()) > 4) {
                    dragging = true;
                    item.getScene().setCursor(canvas.containsScenePoint(e.getSceneX(), e.getSceneY()) ? Cursor.CLOSED_HAND : Cursor.DEFAULT);
                }
            });
            item.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
                if (pressedAt == null) {
                    return;
                }
                pressedAt = null;
                item.getScene().setCursor(Cursor.DEFAULT);
                if (!dragging) {
                    add(entry, canvas.visibleCenter());
                } else if (canvas.containsScenePoint(e.getSceneX(), e.getSceneY())) {
                    add(entry, canvas.toCanvas(e.getSceneX(), e.getSceneY()));
                }
            });
        }
    }
}
