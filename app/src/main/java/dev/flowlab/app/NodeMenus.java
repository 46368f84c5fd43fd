package dev.flowlab.app;

import dev.flowlab.app.edit.EditActions;
import dev.flowlab.app.lab.LabViewModel;
import java.util.List;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * A node's context menu: while the lab runs, the engine's node actions (kill, stop, start,
 * restart, and for a keepalived member the host kill apart from the keepalived process kill), each
 * enabled only where it means something for the node's state now (no Kill for a node already
 * killed, no Start for one running); always copy, duplicate and delete. Item ids are
 * {@code menu-<action>}.
 */
final class NodeMenus {
    /** The actions {@code Lab.apply} knows for a node outside any HA group, with what each does in words. */
    static final List<String[]> ACTIONS = List.of(
            new String[] {"kill", "Kill (abrupt: resets every connection)"},
            new String[] {"stop", "Stop (graceful: drains connections)"},
            new String[] {"start", "Start"},
            new String[] {"restart", "Restart"});

    /**
     * For a member of an HA group: a dead host takes keepalived and the VIP with it, a killed
     * keepalived process leaves the VIP bound on the still-running node (two members then hold it
     * once the backup takes over), a killed service leaves keepalived running.
     */
    static final List<String[]> HA_ACTIONS = List.of(
            new String[] {"kill", "Kill host (node and keepalived)"},
            new String[] {"kill-keepalived", "Kill keepalived process only (VIP stays)"},
            new String[] {"start-keepalived", "Start keepalived"},
            new String[] {"kill-service", "Kill service only (keepalived lives)"},
            new String[] {"stop", "Stop (graceful: keepalived resigns, connections drain)"},
            new String[] {"start", "Start"},
            new String[] {"restart", "Restart"});

    private final LabViewModel lab;
    private final EditActions edits;

    NodeMenus(LabViewModel lab, EditActions edits) {
        this.lab = lab;
        this.edits = edits;
    }

    static List<String[]> actionsFor(boolean haMember) {
        return haMember ? HA_ACTIONS : ACTIONS;
    }

    /** Whether an action can do something now: keepalived is killed while it runs and started while it does not, on a running node. */
    static boolean applicable(String action, boolean nodeRunning, boolean keepalivedRunning) {
        return switch (action) {
            case "kill-keepalived" -> nodeRunning && keepalivedRunning;
            case "start-keepalived" -> nodeRunning && !keepalivedRunning;
            default -> true;
        };
    }

    /** Whether a node action means something in the node's state now (kill and stop a running node, start a down one). */
    static boolean allowed(String action, String state) {
        boolean running = "running".equals(state);
        boolean down = "stopped".equals(state) || "killed".equals(state) || "failed".equals(state);
        return switch (action) {
            case "kill", "stop", "kill-service" -> running;
            case "start" -> down;
            default -> true;
        };
    }

    ContextMenu menuFor(String nodeId) {
        ContextMenu menu = new ContextMenu();
        boolean server = lab.node(nodeId).map(n -> n.kind().isLabServer()).orElse(false);
        if (lab.isRunning() && server) {
            boolean nodeRunning = lab.node(nodeId).map(n -> "running".equals(n.getState())).orElse(false);
            boolean keepalived = lab.isKeepalivedRunning(nodeId);
            for (String[] action : actionsFor(lab.isHaMember(nodeId))) {
                MenuItem item = new MenuItem(action[1]);
                item.setId("menu-" + action[0]);
                String state = lab.node(nodeId).map(n -> n.getState()).orElse(null);
                item.setDisable(!applicable(action[0], nodeRunning, keepalived) || !allowed(action[0], state));
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
}
