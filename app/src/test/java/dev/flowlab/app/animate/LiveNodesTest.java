package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The live panels' node lists follow the topology, without the toolkit. */
class LiveNodesTest {

    private static Scenario scenario(String... ids) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            nodes.add(new NodeSpec(ids[i], ids[i].startsWith("client") ? NodeKind.CLIENT : NodeKind.TOMCAT, null,
                    new Position(40 + 300 * i, 60), null, null));
        }
        return new Scenario(Scenario.FORMAT, "t", null, nodes, List.<LinkSpec>of(), null, null);
    }

    @Test
    void editorNodesFirst_thenNodesOnlyTheRunningLabHas_andMovesChangeNothing() {
        LiveNodes nodes = new LiveNodes(scenario("client", "tomcat-1", "tomcat-2"));
        List<String> heard = new ArrayList<>();
        nodes.ids().addListener((ListChangeListener<String>) c -> heard.add(String.join(",", nodes.ids())));
        assertThat(nodes.ids()).containsExactly("client", "tomcat-1", "tomcat-2");

        nodes.setRunning(scenario("client", "tomcat-1", "tomcat-2"));
        Scenario moved = scenario("client", "tomcat-1", "tomcat-2").withNodes(List.of(
                new NodeSpec("client", NodeKind.CLIENT, null, new Position(999, 999), null, null),
                new NodeSpec("tomcat-1", NodeKind.TOMCAT, null, new Position(1, 1), null, null),
                new NodeSpec("tomcat-2", NodeKind.TOMCAT, null, new Position(2, 2), null, null)));
        nodes.setEdited(moved);
        assertThat(heard).as("a move or a start on the same topology is no change").isEmpty();

        nodes.setEdited(scenario("client", "tomcat-1", "tomcat-3"));
        assertThat(nodes.ids()).containsExactly("client", "tomcat-1", "tomcat-3", "tomcat-2");
        nodes.setRunning(null);
        assertThat(nodes.ids()).containsExactly("client", "tomcat-1", "tomcat-3");
        assertThat(heard).hasSize(2);
    }

    @Test
    void successor_keepsAListedNode_followsARename_elseNone() {
        LiveNodes nodes = new LiveNodes(scenario("client", "nginx-1", "tomcat-1"));
        List<String> heard = new ArrayList<>();
        nodes.ids().addListener((ListChangeListener<String>) c -> heard.add(nodes.successor("nginx-1") + " " + nodes.successor("client")));

        // The editor's rename: the same node under a new id.
        nodes.setEdited(renamed(scenario("client", "nginx-1", "tomcat-1"), "nginx-1", "edge"));
        assertThat(nodes.ids()).containsExactly("client", "edge", "tomcat-1");
        // Another topology where a node of another place and name took the slot: no rename.
        nodes.setEdited(scenario("client", "nginx-9", "tomcat-1").withNodes(List.of(
                new NodeSpec("client", NodeKind.CLIENT, null, new Position(40, 60), null, null),
                new NodeSpec("nginx-9", NodeKind.NGINX, "Edge proxy", new Position(40, 400), null, null))));
        assertThat(heard).containsExactly("edge client", "null client");
        assertThat(nodes.successor("nginx-1")).as("only while a change is heard").isNull();
        assertThat(nodes.successor("client")).isEqualTo("client");
    }

    private static Scenario renamed(Scenario s, String from, String to) {
        return s.withNodes(s.nodes().stream().map(n -> n.id().equals(from)
                ? new NodeSpec(to, n.kind(), n.label(), n.position(), n.address(), n.config()) : n).toList());
    }

    @Test
    void eventLogFilter_staysWhileItsNodeIsListed_followsARename_fallsBackToAny() {
        LiveNodes nodes = new LiveNodes(scenario("client", "nginx-1", "tomcat-1"));
        EventLogModel log = new EventLogModel(0);
        log.followNodes(nodes);
        assertThat(log.nodeChoices()).containsExactly(EventLogModel.ANY, "client", "nginx-1", "tomcat-1");
        log.nodeProperty().set("nginx-1");

        nodes.setEdited(scenario("client", "nginx-1", "tomcat-1", "tomcat-2"));
        assertThat(log.nodeChoices()).endsWith("tomcat-2");
        assertThat(log.nodeProperty().get()).isEqualTo("nginx-1");

        nodes.setEdited(renamed(scenario("client", "nginx-1", "tomcat-1", "tomcat-2"), "nginx-1", "edge"));
        assertThat(log.nodeChoices()).containsExactly(EventLogModel.ANY, "client", "edge", "tomcat-1", "tomcat-2");
        assertThat(log.nodeProperty().get()).isEqualTo("edge");

        nodes.setEdited(scenario("client", "tomcat-1"));
        assertThat(log.nodeChoices()).containsExactly(EventLogModel.ANY, "client", "tomcat-1");
        assertThat(log.nodeProperty().get()).isEqualTo(EventLogModel.ANY);
    }
}
