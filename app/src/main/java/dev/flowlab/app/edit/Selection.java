package dev.flowlab.app.edit;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * What is selected on the canvas: nodes by id and links. Kept in step with the document (a
 * deleted or undone node leaves the selection), in the order things were picked, so the first
 * picked node anchors an alignment.
 */
public final class Selection {
    private final ObservableSet<String> nodes = FXCollections.observableSet(new java.util.LinkedHashSet<>());
    private final ObservableSet<LinkSpec> links = FXCollections.observableSet(new java.util.LinkedHashSet<>());

    public ObservableSet<String> nodes() {
        return nodes;
    }

    public ObservableSet<LinkSpec> links() {
        return links;
    }

    public List<String> nodeList() {
        return new ArrayList<>(nodes);
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && links.isEmpty();
    }

    public void selectOnly(String nodeId) {
        links.clear();
        nodes.retainAll(List.of(nodeId));
        nodes.add(nodeId);
    }

    public void selectOnly(LinkSpec link) {
        nodes.clear();
        links.retainAll(List.of(link));
        links.add(link);
    }

    public void toggle(String nodeId) {
        if (!nodes.remove(nodeId)) {
            nodes.add(nodeId);
        }
    }

    public void selectNodes(Collection<String> ids, boolean add) {
        if (!add) {
            links.clear();
            nodes.retainAll(ids);
        }
        nodes.addAll(ids);
    }

    public void clear() {
        nodes.clear();
        links.clear();
    }

    /** Drops whatever the scenario no longer has. */
    public void retainExisting(Scenario scenario) {
        nodes.removeIf(id -> scenario.node(id).isEmpty());
        links.removeIf(l -> !scenario.links().contains(l));
    }
}
