package dev.flowlab.app.edit;

import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** The editor's edits, each a {@link ScenarioEdit}: what a drop, a drag, a key or the inspector asks for. */
public final class Edits {
    /** Where pasted nodes land relative to the originals, in canvas units. */
    public static final double PASTE_OFFSET = 40;

    public enum Alignment {
        LEFT("left"), CENTER("centre"), RIGHT("right"), TOP("top"), MIDDLE("middle"), BOTTOM("bottom");

        private final String word;

        Alignment(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    private Edits() {
    }

    /** A new node of {@code kind} at {@code at}, with a free id ("tomcat-4"). */
    public static ScenarioEdit addNode(NodeKind kind, Position at) {
        return ScenarioEdit.of("Add " + kind.displayName(), s -> {
            String id = NodeIds.free(s, kind.id());
            return s.withNodes(append(s.nodes(), new NodeSpec(id, kind, null, at, null, null)));
        });
    }

    /** The master's and the backup's priority in a new HA pair (keepalived's usual 150/100). */
    public static final int MASTER_PRIORITY = 150;
    public static final int BACKUP_PRIORITY = 100;
    /** A new HA pair's advert interval: keepalived's default, written out so the file says it. */
    public static final Duration PAIR_ADVERT_INT = Duration.ofSeconds(1);

    /**
     * Two nodes of {@code kind} side by side and the keepalived group that makes them an
     * active-standby pair ("HA pair" in the palette): the first starts as MASTER (priority 150),
     * the second as BACKUP (100), {@code advert_int} 1s, a free {@code virtual_router_id} and
     * keepalived's defaults for the rest. One edit, so one undo step.
     */
    public static ScenarioEdit addPair(NodeKind kind, Position at, double spacing) {
        return ScenarioEdit.of("Add " + kind.displayName() + " HA pair", s -> {
            String master = NodeIds.free(s, kind.id());
            List<NodeSpec> nodes = append(s.nodes(), new NodeSpec(master, kind, kind.displayName() + " (master)", at, null, null));
            Scenario withMaster = s.withNodes(nodes);
            String backup = NodeIds.free(withMaster, kind.id());
            Position below = new Position(at.x(), at.y() + spacing);
            Scenario withBoth = withMaster.withNodes(append(nodes, new NodeSpec(backup, kind, kind.displayName() + " (backup)", below, null, null)));
            HaGroup group = new HaGroup(freeGroupId(withBoth, kind.id() + "-ha"), null, freeRouterId(withBoth), PAIR_ADVERT_INT, null,
                    List.of(HaMember.of(master, MASTER_PRIORITY).withState("MASTER"), HaMember.of(backup, BACKUP_PRIORITY).withState("BACKUP")),
                    null);
            return withBoth.withHaGroups(append(withBoth.haGroups(), group));
        });
    }

    /** Replaces the HA group called {@code groupId} (its id may change with it). */
    public static ScenarioEdit setHaGroup(String groupId, HaGroup updated, String what) {
        return ScenarioEdit.of("Set HA group " + groupId + " " + what, s -> s.withHaGroups(s.haGroups().stream()
                .map(g -> groupId.equals(g.id()) ? updated : g).toList()));
    }

    /** "nginx-ha", then "nginx-ha-2"...: not a group's id and not a node's (the validator refuses both). */
    static String freeGroupId(Scenario s, String base) {
        Set<String> taken = ids(s);
        s.haGroups().forEach(g -> taken.add(g.id()));
        if (!taken.contains(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            if (!taken.contains(base + "-" + i)) {
                return base + "-" + i;
            }
        }
    }

    /** keepalived's default 51 when free, else the next one no group uses (each VRRP instance needs its own). */
    static int freeRouterId(Scenario s) {
        Set<Integer> taken = new HashSet<>();
        s.haGroups().forEach(g -> taken.add(g.virtualRouterId() == null ? 51 : g.virtualRouterId()));
        for (int i = 0; i < 255; i++) {
            int candidate = (51 - 1 + i) % 255 + 1;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        return 51;
    }

    public static ScenarioEdit addLink(String from, String to) {
        return ScenarioEdit.of("Link " + from + " → " + to, s -> {
            LinkSpec link = LinkSpec.of(from, to);
            boolean exists = s.links().stream().anyMatch(l -> l.from().equals(from) && l.to().equals(to));
            return exists || from.equals(to) ? s : s.withLinks(append(s.links(), link));
        });
    }

    /**
     * Deletes nodes (and every link touching them, and their HA group memberships; a group left
     * with fewer than two members goes too) and links.
     */
    public static ScenarioEdit delete(Collection<String> nodeIds, Collection<LinkSpec> links) {
        Set<String> gone = Set.copyOf(nodeIds);
        Set<LinkSpec> goneLinks = Set.copyOf(links);
        return ScenarioEdit.of("Delete " + describe(gone.size(), goneLinks.size()), s -> s
                .withNodes(s.nodes().stream().filter(n -> !gone.contains(n.id())).toList())
                .withLinks(s.links().stream()
                        .filter(l -> !goneLinks.contains(l) && !gone.contains(l.from()) && !gone.contains(l.to())).toList())
                .withHaGroups(withoutMembers(s.haGroups(), gone)));
    }

    private static List<HaGroup> withoutMembers(List<HaGroup> groups, Set<String> gone) {
        List<HaGroup> out = new ArrayList<>();
        for (HaGroup g : groups) {
            if (g.members().stream().noneMatch(m -> gone.contains(m.node()))) {
                out.add(g);
                continue;
            }
            List<HaMember> left = g.members().stream().filter(m -> !gone.contains(m.node())).toList();
            // One member has nothing to fail over to: the group has lost its point.
            if (left.size() >= 2) {
                out.add(new HaGroup(g.id(), g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(), left, g.trackScript()));
            }
        }
        return out;
    }

    /** Moves nodes to new places: one drag of a selection is one call, so one undo step. */
    public static ScenarioEdit move(Map<String, Position> to) {
        Map<String, Position> targets = Map.copyOf(to);
        return ScenarioEdit.of("Move " + nodes(targets.size()), s -> s.withNodes(s.nodes().stream()
                .map(n -> targets.containsKey(n.id()) ? n.withPosition(targets.get(n.id())) : n).toList()));
    }

    /** Moves nodes by an offset; repeated nudges of the same selection merge into one step. */
    public static ScenarioEdit nudge(Collection<String> nodeIds, Map<String, Position> current, double dx, double dy) {
        Map<String, Position> to = new LinkedHashMap<>();
        for (String id : nodeIds) {
            Position p = current.getOrDefault(id, Position.ORIGIN);
            to.put(id, new Position(p.x() + dx, p.y() + dy));
        }
        ScenarioEdit move = move(to);
        return new ScenarioEdit(move.label(), move.change(), "nudge:" + String.join(",", new java.util.TreeSet<>(nodeIds)));
    }

    /** Lines up nodes on the first's edge or centre line; {@code current} gives positions, {@code sizes} widths and heights. */
    public static ScenarioEdit align(List<String> nodeIds, Map<String, Position> current, Map<String, double[]> sizes, Alignment how) {
        Map<String, Position> to = new LinkedHashMap<>();
        ToDoubleFunction<String> w = id -> sizes.getOrDefault(id, new double[] {0, 0})[0];
        ToDoubleFunction<String> h = id -> sizes.getOrDefault(id, new double[] {0, 0})[1];
        if (!nodeIds.isEmpty()) {
            String anchor = nodeIds.get(0);
            Position a = current.getOrDefault(anchor, Position.ORIGIN);
            for (String id : nodeIds) {
                Position p = current.getOrDefault(id, Position.ORIGIN);
                to.put(id, switch (how) {
                    case LEFT -> new Position(a.x(), p.y());
                    case CENTER -> new Position(a.x() + w.applyAsDouble(anchor) / 2 - w.applyAsDouble(id) / 2, p.y());
                    case RIGHT -> new Position(a.x() + w.applyAsDouble(anchor) - w.applyAsDouble(id), p.y());
                    case TOP -> new Position(p.x(), a.y());
                    case MIDDLE -> new Position(p.x(), a.y() + h.applyAsDouble(anchor) / 2 - h.applyAsDouble(id) / 2);
                    case BOTTOM -> new Position(p.x(), a.y() + h.applyAsDouble(anchor) - h.applyAsDouble(id));
                });
            }
        }
        ScenarioEdit move = move(to);
        return ScenarioEdit.of("Align " + nodes(to.size()) + " " + how.word(), move.change());
    }

    public static ScenarioEdit setConfig(String nodeId, NodeConfig config, String what) {
        return ScenarioEdit.of("Set " + nodeId + " " + what, s -> s.withNodes(s.nodes().stream()
                .map(n -> n.id().equals(nodeId) ? n.withConfig(config) : n).toList()));
    }

    /**
     * A node's config with one of its lists rewritten as the list editor left it ({@code listKey}:
     * "upstreams", "defaultFilters.riskControl.rules"); {@code toDefault}: the list was taken out of
     * the file, so the default applies again. One step, however many rows changed.
     */
    public static ScenarioEdit setConfigList(String nodeId, NodeConfig config, String listKey, boolean toDefault) {
        String label = toDefault ? "Reset " + nodeId + " " + listKey + " to default" : "Edit " + nodeId + " " + listKey;
        return ScenarioEdit.of(label, setConfig(nodeId, config, listKey).change());
    }

    public static ScenarioEdit setLabel(String nodeId, String label) {
        String value = label == null || label.isBlank() ? null : label;
        return ScenarioEdit.of("Rename " + nodeId + " label", s -> s.withNodes(s.nodes().stream()
                .map(n -> n.id().equals(nodeId) ? new NodeSpec(n.id(), n.kind(), value, n.position(), n.address(), n.config()) : n).toList()));
    }

    public static ScenarioEdit setAddress(String nodeId, String address) {
        String value = address == null || address.isBlank() ? null : address;
        return ScenarioEdit.of("Set " + nodeId + " address", s -> s.withNodes(s.nodes().stream()
                .map(n -> n.id().equals(nodeId) ? n.withAddress(value) : n).toList()));
    }

    /** Changes a node's id, and every link to or from it and its HA group membership. */
    public static ScenarioEdit renameNode(String oldId, String newId) {
        return ScenarioEdit.of("Rename " + oldId + " to " + newId, s -> s
                .withNodes(s.nodes().stream()
                        .map(n -> n.id().equals(oldId) ? new NodeSpec(newId, n.kind(), n.label(), n.position(), n.address(), n.config()) : n).toList())
                .withLinks(s.links().stream()
                        .map(l -> new LinkSpec(l.from().equals(oldId) ? newId : l.from(), l.to().equals(oldId) ? newId : l.to(), l.label())).toList())
                .withHaGroups(s.haGroups().stream()
                        .map(g -> g.member(oldId).isEmpty() ? g : new HaGroup(g.id(), g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(),
                                g.members().stream().map(m -> oldId.equals(m.node())
                                        ? new HaMember(newId, m.priority(), m.state(), m.nopreempt(), m.preemptDelay()) : m).toList(),
                                g.trackScript()))
                        .toList()));
    }

    public static ScenarioEdit setLinkLabel(LinkSpec link, String label) {
        String value = label == null || label.isBlank() ? null : label;
        return ScenarioEdit.of("Label link " + link.from() + " → " + link.to(), s -> s.withLinks(s.links().stream()
                .map(l -> l.equals(link) ? new LinkSpec(l.from(), l.to(), value) : l).toList()));
    }

    /**
     * Adds copies of {@code nodes} (fresh ids, shifted by {@link #PASTE_OFFSET}) and of the links
     * among them. {@code pastedIds} receives old id → new id, so the caller can select the copies.
     */
    public static ScenarioEdit paste(List<NodeSpec> nodes, List<LinkSpec> links, Map<String, String> pastedIds) {
        return paste(nodes, links, List.of(), pastedIds);
    }

    /**
     * As above, and each of {@code groups} (HA groups among the copied nodes, each with at least two
     * of them) becomes a new group of the copies: the members' priorities and states, the group's
     * advert_int, version and track_script as they were; its id, virtual_router_id and vip too
     * unless another group has them by now (after a cut they are free again), else a free id, the
     * next free virtual_router_id and no vip (the lab picks one; the user may set it). The copies of
     * a lone member join no group: not the original's, whose pair it would silently turn into three.
     */
    public static ScenarioEdit paste(List<NodeSpec> nodes, List<LinkSpec> links, List<HaGroup> groups, Map<String, String> pastedIds) {
        String label = "Paste " + nodes(nodes.size()) + (groups.isEmpty() ? "" : groups.size() == 1 ? " and their HA group" : " and their HA groups");
        return ScenarioEdit.of(label, s -> {
            pastedIds.clear();
            List<NodeSpec> out = new ArrayList<>(s.nodes());
            Scenario growing = s;
            Map<String, String> ids = new LinkedHashMap<>();
            for (NodeSpec n : nodes) {
                String id = NodeIds.free(growing, n.kind().id());
                Position p = n.position() == null ? Position.ORIGIN : n.position();
                out.add(new NodeSpec(id, n.kind(), n.label(), new Position(p.x() + PASTE_OFFSET, p.y() + PASTE_OFFSET), null, n.config()));
                ids.put(n.id(), id);
                growing = growing.withNodes(out);
            }
            List<LinkSpec> outLinks = new ArrayList<>(s.links());
            for (LinkSpec l : links) {
                if (ids.containsKey(l.from()) && ids.containsKey(l.to())) {
                    outLinks.add(new LinkSpec(ids.get(l.from()), ids.get(l.to()), l.label()));
                }
            }
            pastedIds.putAll(ids);
            Scenario withLinks = growing.withLinks(outLinks);
            for (HaGroup g : groups) {
                withLinks = withLinks.withHaGroups(append(withLinks.haGroups(), copyOf(g, ids, withLinks)));
            }
            return withLinks;
        });
    }

    /** {@code g} for the pasted copies of its members, with an id, virtual_router_id and vip no group in {@code s} has. */
    private static HaGroup copyOf(HaGroup g, Map<String, String> ids, Scenario s) {
        int routerId = g.virtualRouterId() == null ? 51 : g.virtualRouterId();
        boolean routerIdTaken = s.haGroups().stream().anyMatch(o -> (o.virtualRouterId() == null ? 51 : o.virtualRouterId()) == routerId);
        boolean vipTaken = g.vip() != null && s.haGroups().stream().anyMatch(o -> g.vip().equals(o.vip()));
        List<HaMember> members = g.members().stream()
                .map(m -> new HaMember(ids.get(m.node()), m.priority(), m.state(), m.nopreempt(), m.preemptDelay())).toList();
        return new HaGroup(freeGroupId(s, g.id() == null ? "ha" : g.id()), vipTaken ? null : g.vip(),
                routerIdTaken ? Integer.valueOf(freeRouterId(s)) : g.virtualRouterId(), g.advertInt(), g.vrrpVersion(), members, g.trackScript());
    }

    private static String describe(int nodeCount, int linkCount) {
        if (linkCount == 0) {
            return nodes(nodeCount);
        }
        if (nodeCount == 0) {
            return linkCount == 1 ? "link" : linkCount + " links";
        }
        return nodes(nodeCount) + " and " + (linkCount == 1 ? "1 link" : linkCount + " links");
    }

    static String nodes(int n) {
        return n == 1 ? "node" : n + " nodes";
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(item);
        return out;
    }

    /** Node ids in a scenario, for membership tests. */
    static Set<String> ids(Scenario s) {
        Set<String> out = new HashSet<>();
        s.nodes().forEach(n -> out.add(n.id()));
        return out;
    }
}
