package dev.flowlab.app.edit;

import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copy and paste of nodes inside the app: the copied nodes (with their config), the links among
 * them, and the HA groups two or more of them are members of (pasted as new groups of the copies,
 * see {@link Edits#paste(List, List, List, Map)}). Each paste lands one offset further, so
 * repeated pastes do not stack up.
 */
public final class ScenarioClipboard {
    private List<NodeSpec> nodes = List.of();
    private List<LinkSpec> links = List.of();
    private List<HaGroup> groups = List.of();

    public void copy(Scenario scenario, Collection<String> nodeIds) {
        Set<String> ids = Set.copyOf(nodeIds);
        nodes = scenario.nodes().stream().filter(n -> ids.contains(n.id())).toList();
        links = scenario.links().stream().filter(l -> ids.contains(l.from()) && ids.contains(l.to())).toList();
        // A group of the copied members only; one copied member alone has nothing to fail over to.
        groups = scenario.haGroups().stream()
                .map(g -> new HaGroup(g.id(), g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(),
                        g.members().stream().filter(m -> ids.contains(m.node())).toList(), g.trackScript()))
                .filter(g -> g.members().size() >= 2)
                .toList();
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** Pastes into the document and returns the new nodes' ids (to select them). */
    public List<String> pasteInto(ScenarioDocument document) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        Map<String, String> pasted = new LinkedHashMap<>();
        document.execute(Edits.paste(nodes, links, groups, pasted));
        // The next paste goes one step further, from where this one landed.
        Scenario now = document.scenario();
        nodes = nodes.stream().map(n -> now.node(pasted.get(n.id())).map(p -> n.withPosition(p.position())).orElse(n)).toList();
        return List.copyOf(pasted.values());
    }
}
