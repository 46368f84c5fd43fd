package dev.flowlab.app.edit;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's topology problems, indexed by what the canvas draws: a node's problems for its
 * badge, a link's for its marker. A problem on a link counts for the link only (its nodeId is the
 * link's source, but the node itself is fine).
 */
public final class ProblemIndex {
    public static final ProblemIndex EMPTY = new ProblemIndex(List.of(), Map.of(), Map.of());

    private final List<TopologyProblem> all;
    private final Map<String, List<TopologyProblem>> byNode;
    private final Map<LinkSpec, List<TopologyProblem>> byLink;

    private ProblemIndex(List<TopologyProblem> all, Map<String, List<TopologyProblem>> byNode, Map<LinkSpec, List<TopologyProblem>> byLink) {
        this.all = all;
        this.byNode = byNode;
        this.byLink = byLink;
    }

    public static ProblemIndex of(Scenario scenario, List<TopologyProblem> problems) {
        Map<String, List<TopologyProblem>> byNode = new HashMap<>();
        Map<LinkSpec, List<TopologyProblem>> byLink = new HashMap<>();
        for (TopologyProblem p : problems) {
            Integer link = p.linkIndex();
            if (link != null && link >= 0 && link < scenario.links().size()) {
                byLink.computeIfAbsent(scenario.links().get(link), k -> new ArrayList<>()).add(p);
            } else if (p.nodeId() != null) {
                byNode.computeIfAbsent(p.nodeId(), k -> new ArrayList<>()).add(p);
            }
        }
        return new ProblemIndex(List.copyOf(problems), byNode, byLink);
    }

    public List<TopologyProblem> all() {
        return all;
    }

    public List<TopologyProblem> errors() {
        return all.stream().filter(TopologyProblem::isError).toList();
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(TopologyProblem::isError);
    }

    public List<TopologyProblem> ofNode(String nodeId) {
        return byNode.getOrDefault(nodeId, List.of());
    }

    public List<TopologyProblem> ofLink(LinkSpec link) {
        return byLink.getOrDefault(link, List.of());
    }
}
