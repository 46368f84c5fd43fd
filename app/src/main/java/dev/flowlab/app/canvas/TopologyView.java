package dev.flowlab.app.canvas;

import dev.flowlab.app.lab.NodeViewModel;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.scene.Group;
import javafx.scene.layout.Pane;

/**
 * The read-only topology: a card per node at its canvas position (or a layered place, see
 * {@link LayeredLayout}), an arrow per link beneath the cards. Canvas units are pixels for now.
 */
public final class TopologyView extends Pane {
    private final Map<String, NodeCard> cards = new LinkedHashMap<>();

    public TopologyView(Scenario scenario, List<NodeViewModel> nodes) {
        setId("topology");
        getStyleClass().add("topology");
        Map<String, Position> positions = LayeredLayout.positions(scenario);
        for (NodeViewModel n : nodes) {
            NodeCard card = new NodeCard(n);
            Position p = positions.getOrDefault(n.id(), Position.ORIGIN);
            card.relocate(p.x(), p.y());
            cards.put(n.id(), card);
        }
        Group links = new Group();
        links.getStyleClass().add("links");
        links.setManaged(false);
        for (LinkSpec l : scenario.links()) {
            NodeCard from = cards.get(l.from());
            NodeCard to = cards.get(l.to());
            if (from != null && to != null) {
                links.getChildren().add(new LinkArrow(from, to));
            }
        }
        getChildren().add(links);
        getChildren().addAll(cards.values());
    }

    public Optional<NodeCard> card(String nodeId) {
        return Optional.ofNullable(cards.get(nodeId));
    }
}
