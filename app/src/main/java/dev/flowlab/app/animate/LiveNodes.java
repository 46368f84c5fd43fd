package dev.flowlab.app.animate;

import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The nodes the live panels list (the charts' rows, the event log's node filter), following the
 * topology: the editor's nodes in its order (another file opened, a node added, deleted or
 * renamed), then any node of the running lab the editor no longer has (its events and figures
 * still arrive until a restart). The list changes only when the ids do, so moving a card costs
 * the panels nothing. While listeners hear a change, {@link #successor} tells them what a
 * selected node became. FX thread only; no toolkit needed.
 */
public final class LiveNodes {
    private final ObservableList<String> ids = FXCollections.observableArrayList();
    private final ObservableList<String> readOnly = FXCollections.unmodifiableObservableList(ids);
    private Scenario editedScenario;
    private List<String> edited = List.of();
    private List<String> running = List.of();
    /** Old id to new id for the change being heard. */
    private Map<String, String> renames = Map.of();

    public LiveNodes(Scenario initial) {
        setEdited(initial);
    }

    /** The ids, in order; listeners hear one change per topology change. */
    public ObservableList<String> ids() {
        return readOnly;
    }

    /** The editor's topology changed (or was replaced). */
    public void setEdited(Scenario scenario) {
        Map<String, String> renamed = renamesBetween(editedScenario, scenario);
        editedScenario = scenario;
        edited = idsOf(scenario);
        renames = renamed;
        try {
            update();
        } finally {
            renames = Map.of();
        }
    }

    /** The lab started on this topology; {@code null} when it stopped. */
    public void setRunning(Scenario scenario) {
        running = idsOf(scenario);
        update();
    }

    private void update() {
        Set<String> merged = new LinkedHashSet<>(edited);
        merged.addAll(running);
        List<String> next = new ArrayList<>(merged);
        if (!next.equals(ids)) {
            ids.setAll(next);
        }
    }

    private static List<String> idsOf(Scenario scenario) {
        return scenario == null ? List.of() : scenario.nodes().stream().map(NodeSpec::id).toList();
    }

    /**
     * What a selection of {@code selected} becomes with the current ids: itself while it is
     * listed; its new name when the change being heard renamed it; otherwise null.
     */
    public String successor(String selected) {
        if (selected == null || ids.contains(selected)) {
            return selected;
        }
        String renamed = renames.get(selected);
        return renamed != null && ids.contains(renamed) ? renamed : null;
    }

    /**
     * The nodes that only changed their id from one topology to the next (what the editor's
     * rename does): the same kind, label, place, address and settings under a new id.
     */
    static Map<String, String> renamesBetween(Scenario before, Scenario after) {
        if (before == null || after == null) {
            return Map.of();
        }
        Set<String> afterIds = new LinkedHashSet<>(idsOf(after));
        Set<String> beforeIds = new LinkedHashSet<>(idsOf(before));
        Map<String, String> out = new HashMap<>();
        for (NodeSpec gone : before.nodes()) {
            if (afterIds.contains(gone.id())) {
                continue;
            }
            for (NodeSpec added : after.nodes()) {
                if (!beforeIds.contains(added.id()) && !out.containsValue(added.id()) && sameButId(gone, added)) {
                    out.put(gone.id(), added.id());
                    break;
                }
            }
        }
        return out;
    }

    private static boolean sameButId(NodeSpec a, NodeSpec b) {
        return a.kind() == b.kind() && Objects.equals(a.label(), b.label()) && Objects.equals(a.position(), b.position())
                && Objects.equals(a.address(), b.address()) && Objects.equals(a.config(), b.config());
    }
}
