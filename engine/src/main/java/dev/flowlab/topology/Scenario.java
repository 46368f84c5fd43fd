package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Optional;

/**
 * A scenario file's content: a topology (nodes and links), the traffic its clients send, and a
 * timed fault script. Immutable; edits make new instances. {@code format} is the file format's
 * version ({@link #FORMAT}); {@code lesson} is the optional lesson or challenge ({@link Lesson}, versioned on its own).
 */
@JsonPropertyOrder({"format", "name", "description", "nodes", "links", "haGroups", "traffic", "script", "lesson"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scenario(
        int format,
        String name,
        String description,
        List<NodeSpec> nodes,
        List<LinkSpec> links,
        Traffic traffic,
        List<ScriptStep> script,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<HaGroup> haGroups,
        Lesson lesson) {

    public static final int FORMAT = 1;

    public Scenario {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        links = links == null ? List.of() : List.copyOf(links);
        script = script == null ? null : List.copyOf(script);
        haGroups = haGroups == null ? List.of() : List.copyOf(haGroups);
    }

    /** A scenario without a lesson. */
    public Scenario(int format, String name, String description, List<NodeSpec> nodes, List<LinkSpec> links,
                    Traffic traffic, List<ScriptStep> script, List<HaGroup> haGroups) {
        this(format, name, description, nodes, links, traffic, script, haGroups, null);
    }

    /** A scenario without HA groups (the form most code builds). */
    public Scenario(int format, String name, String description, List<NodeSpec> nodes, List<LinkSpec> links,
                    Traffic traffic, List<ScriptStep> script) {
        this(format, name, description, nodes, links, traffic, script, List.of());
    }

    /** The HA group a node is a member of, if any. */
    public Optional<HaGroup> haGroupOf(String nodeId) {
        return haGroups.stream().filter(g -> g.member(nodeId).isPresent()).findFirst();
    }

    public Optional<NodeSpec> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** Nodes this node connects to (its outgoing links), in link order. */
    @JsonIgnore
    public List<NodeSpec> downstreamOf(String id) {
        return links.stream().filter(l -> l.from().equals(id))
                .map(l -> node(l.to()).orElse(null)).filter(n -> n != null).toList();
    }

    @JsonIgnore
    public List<NodeSpec> nodesOfKind(NodeKind kind) {
        return nodes.stream().filter(n -> n.kind() == kind).toList();
    }

    @JsonIgnore
    public Traffic effectiveTraffic() {
        return Params.withDefaults(traffic != null ? traffic : Traffic.DEFAULT);
    }

    @JsonIgnore
    public List<ScriptStep> scriptSteps() {
        return script == null ? List.of() : script;
    }

    public Scenario withNodes(List<NodeSpec> value) {
        return new Scenario(format, name, description, value, links, traffic, script, haGroups, lesson);
    }

    public Scenario withLinks(List<LinkSpec> value) {
        return new Scenario(format, name, description, nodes, value, traffic, script, haGroups, lesson);
    }

    public Scenario withTraffic(Traffic value) {
        return new Scenario(format, name, description, nodes, links, value, script, haGroups, lesson);
    }

    public Scenario withScript(List<ScriptStep> value) {
        return new Scenario(format, name, description, nodes, links, traffic, value, haGroups, lesson);
    }

    public Scenario withLesson(Lesson value) {
        return new Scenario(format, name, description, nodes, links, traffic, script, haGroups, value);
    }

    public Scenario withHaGroups(List<HaGroup> value) {
        return new Scenario(format, name, description, nodes, links, traffic, script, value, lesson);
    }
}
