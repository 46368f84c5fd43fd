package dev.flowlab.app.canvas;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each node sits on the canvas: its own {@link NodeSpec#position()} when the scenario gives
 * one, else a left-to-right layered place: the column is the node's link depth from the clients
 * (clients first, then what they connect to...), the row its order within that column. Nodes no
 * client reaches go in the column after the deepest one.
 */
public final class LayeredLayout {
    public static final double MARGIN = 40;
    public static final double COLUMN_WIDTH = 320;
    public static final double ROW_HEIGHT = 170;

    private LayeredLayout() {
    }

    public static Map<String, Position> positions(Scenario scenario) {
        Map<String, Integer> depth = depths(scenario);
        int unreachedColumn = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        Map<Integer, Integer> rowsUsed = new HashMap<>();
        Map<String, Position> out = new LinkedHashMap<>();
        for (NodeSpec n : scenario.nodes()) {
            if (n.position() != null) {
                out.put(n.id(), n.position());
                continue;
            }
            int column = depth.getOrDefault(n.id(), unreachedColumn);
            int row = rowsUsed.merge(column, 1, Integer::sum) - 1;
            out.put(n.id(), new Position(MARGIN + column * COLUMN_WIDTH, MARGIN + row * ROW_HEIGHT));
        }
        return out;
    }

    /** Shortest link distance from any client (breadth first, so a cycle cannot loop). */
    static Map<String, Integer> depths(Scenario scenario) {
        Map<String, Integer> depth = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (NodeSpec c : scenario.nodesOfKind(NodeKind.CLIENT)) {
            depth.put(c.id(), 0);
            queue.add(c.id());
        }
        while (!queue.isEmpty()) {
            String from = queue.poll();
            int next = depth.get(from) + 1;
            for (LinkSpec l : scenario.links()) {
                if (l.from().equals(from) && scenario.node(l.to()).isPresent() && !depth.containsKey(l.to())) {
                    depth.put(l.to(), next);
                    queue.add(l.to());
                }
            }
        }
        return depth;
    }
}
