package dev.flowlab.app;

import dev.flowlab.app.edit.EditActions;
import dev.flowlab.app.lab.LabViewModel;
import java.util.List;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * A node's context menu: while the lab runs, the engine's node actions (kill, stop, start,
 * restart), each enabled only where it means something for the node's state now (no Kill for a
 * node already killed, no Start for one running); always copy, duplicate and delete. Item ids are
 * {@code menu-<action>}.
 */
final class NodeMenus {
    /** The actions {@code Lab.apply} knows, with what each does in words. */
    static final List<String[]> ACTIONS = List.of(
            new String[] {"kill", "Kill (abrupt: resets every connection)"},
            new String[] {"stop", "Stop (graceful: drains connections)"},
            new String[] {"start", "Start"},
            new String[] {"restart", "Restart"});

    private final LabViewModel lab;
    private final EditActions edits;

    NodeMenus(LabViewModel lab, EditActions edits) {
        this.lab = lab;
        this.edits = edits;
    }

    ContextMenu menuFor(String nodeId) {
        ContextMenu menu = new ContextMenu();
        boolean server = lab.node(nodeId).map(n -> n.kind().isLabServer()).orElse(false);
        if (lab.isRunning() && server) {
            String state = lab.node(nodeId).map(n -> n.getState()).orElse(null);
            for (String[] action : ACTIONS) {
                MenuItem item = new MenuItem(action[1]);
                item.setId("menu-" + action[0]);
                item.setDisable(!allowed(action[0], state));
                item.setOnAction(e -> lab.nodeAction(action[0], nodeId));
                menu.getItems().add(item);
            }
            menu.getItems().add(new SeparatorMenuItem());
        }
        MenuItem copy = new MenuItem("Copy");
        copy.setOnAction(e -> edits.copy());
        MenuItem duplicate = new MenuItem("Duplicate");
        duplicate.setOnAction(e -> edits.duplicate());
        MenuItem delete = new MenuItem("Delete");
        delete.setId("menu-delete");
        delete.setOnAction(e -> edits.deleteSelection());
        menu.getItems().addAll(copy, duplicate, delete);
        return menu;
    }

    /**
     * Whether a node action applies to a node in {@code state} (the engine's state words): kill and
     * stop a running node, start one that is not running (stopped, killed, failed), restart either.
     * While it is starting or stopping nothing but restart.
     */
    static boolean allowed(String action, String state) {
        boolean running = "running".equals(state);
        boolean down = "stopped".equals(state) || "killed".equals(state) || "failed".equals(state);
        return switch (action) {
            case "kill", "stop" -> running;
            case "start" -> down;
            default -> true;
        };
    }
}
