package dev.flowlab.app.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TomcatConfig;
import dev.flowlab.topology.TopologyProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The editing kit without a display: edits, undo and redo, merging, selection, clipboard, live validation. */
class ScenarioDocumentTest {
    private final ScenarioDocument document = new ScenarioDocument(TestScenarios.clientToTomcat(null), null);
    private final Selection selection = new Selection();
    private final EditActions actions = new EditActions(document, selection);

    @Test
    void addNode_takesTheNextFreeId_andUndoRemovesIt() {
        document.execute(Edits.addNode(NodeKind.TOMCAT, new Position(300, 40)));

        assertThat(ids()).containsExactly("client", "tomcat-1", "tomcat-2");
        assertThat(document.scenario().node("tomcat-2").orElseThrow().position()).isEqualTo(new Position(300, 40));
        assertThat(document.undoLabelProperty().get()).isEqualTo("Add Tomcat");
        assertThat(document.isDirty()).isTrue();

        document.undo();
        assertThat(ids()).containsExactly("client", "tomcat-1");
        assertThat(document.redoLabelProperty().get()).isEqualTo("Add Tomcat");
        assertThat(document.isDirty()).isFalse();

        document.redo();
        assertThat(ids()).containsExactly("client", "tomcat-1", "tomcat-2");
    }

    @Test
    void anEditThatChangesNothing_leavesNoUndoStep() {
        assertThat(document.execute(Edits.addLink("client", "tomcat-1"))).isFalse();
        assertThat(document.undoLabelProperty().get()).isNull();
    }

    @Test
    void aNewEdit_clearsRedo() {
        document.execute(Edits.addNode(NodeKind.NGINX, Position.ORIGIN));
        document.undo();
        document.execute(Edits.addNode(NodeKind.DNS, Position.ORIGIN));
        assertThat(document.redoLabelProperty().get()).isNull();
        assertThat(document.redo()).isFalse();
    }

    @Test
    void deletingANode_deletesItsLinks_inOneStep() {
        document.execute(Edits.addNode(NodeKind.NGINX, Position.ORIGIN));
        document.execute(Edits.addLink("client", "nginx-1"));
        document.execute(Edits.addLink("nginx-1", "tomcat-1"));
        selection.selectOnly("nginx-1");

        actions.deleteSelection();

        assertThat(ids()).containsExactly("client", "tomcat-1");
        assertThat(document.scenario().links()).containsExactly(LinkSpec.of("client", "tomcat-1"));
        assertThat(document.undoLabelProperty().get()).isEqualTo("Delete node");
        document.undo();
        assertThat(document.scenario().links()).hasSize(3);
    }

    @Test
    void aMoveOfASelection_isOneStep_andNudgesOfTheSameSelectionMerge() {
        Scenario before = document.scenario();
        document.execute(Edits.move(Map.of("client", new Position(10, 10), "tomcat-1", new Position(300, 10))));
        assertThat(document.undoLabels()).containsExactly("Move 2 nodes");

        Map<String, Position> at = Map.of("client", new Position(10, 10));
        document.execute(Edits.nudge(List.of("client"), at, 10, 0));
        document.execute(Edits.nudge(List.of("client"), Map.of("client", new Position(20, 10)), 10, 0));
        document.execute(Edits.nudge(List.of("client"), Map.of("client", new Position(30, 10)), 0, 10));

        assertThat(document.undoLabels()).containsExactly("Move node", "Move 2 nodes");
        assertThat(document.scenario().node("client").orElseThrow().position()).isEqualTo(new Position(30, 20));
        document.undo();
        assertThat(document.scenario().node("client").orElseThrow().position()).isEqualTo(new Position(10, 10));
        document.undo();
        assertThat(document.scenario()).isEqualTo(before);
    }

    @Test
    void copyPaste_copiesNodesWithConfigAndTheLinksAmongThem_underFreshIds_offset() {
        TomcatConfig fast = TomcatConfig.EMPTY.withMaxThreads(50);
        document.execute(Edits.setConfig("tomcat-1", fast, "maxThreads to 50"));
        document.execute(Edits.move(Map.of("client", new Position(0, 0), "tomcat-1", new Position(300, 0))));
        selection.selectNodes(List.of("client", "tomcat-1"), false);

        actions.copy();
        actions.paste();

        assertThat(ids()).containsExactly("client", "tomcat-1", "client-1", "tomcat-2");
        NodeSpec pasted = document.scenario().node("tomcat-2").orElseThrow();
        assertThat(pasted.config()).isEqualTo(fast);
        assertThat(pasted.position()).isEqualTo(new Position(300 + Edits.PASTE_OFFSET, Edits.PASTE_OFFSET));
        assertThat(document.scenario().links()).contains(LinkSpec.of("client-1", "tomcat-2"));
        assertThat(selection.nodes()).containsExactly("client-1", "tomcat-2");
        assertThat(document.undoLabelProperty().get()).isEqualTo("Paste 2 nodes");

        actions.paste();
        assertThat(document.scenario().node("tomcat-3").orElseThrow().position()).isEqualTo(new Position(300 + 2 * Edits.PASTE_OFFSET, 2 * Edits.PASTE_OFFSET));
    }

    @Test
    void align_linesTheSelectionUpOnTheFirstPicked() {
        document.execute(Edits.move(Map.of("client", new Position(40, 100), "tomcat-1", new Position(300, 260))));
        selection.selectNodes(List.of("client", "tomcat-1"), false);

        actions.align(Edits.Alignment.TOP, Map.of("client", new Position(40, 100), "tomcat-1", new Position(300, 260)), Map.of());

        assertThat(document.scenario().node("tomcat-1").orElseThrow().position()).isEqualTo(new Position(300, 100));
        assertThat(document.undoLabelProperty().get()).isEqualTo("Align 2 nodes top");
    }

    @Test
    void renamingANode_rewiresItsLinks() {
        document.execute(Edits.renameNode("tomcat-1", "app"));
        assertThat(document.scenario().links()).containsExactly(LinkSpec.of("client", "app"));
    }

    @Test
    void liveValidation_marksTheNodeAndTheLinkTheEngineComplainsAbout() {
        assertThat(document.problems().hasErrors()).isFalse();

        document.execute(Edits.addNode(NodeKind.NGINX, Position.ORIGIN));
        // An nginx with no upstream cannot forward anything.
        assertThat(document.problems().ofNode("nginx-1")).isNotEmpty();

        document.execute(Edits.addLink("tomcat-1", "client"));
        LinkSpec backwards = LinkSpec.of("tomcat-1", "client");
        assertThat(document.problems().ofLink(backwards)).extracting(TopologyProblem::message)
                .anySatisfy(m -> assertThat(m).contains("cannot link to a client"));
        assertThat(document.problems().hasErrors()).isTrue();

        document.undo();
        assertThat(document.problems().ofLink(backwards)).isEmpty();
    }

    @Test
    void selection_dropsWhatAnUndoRemoved() {
        document.execute(Edits.addNode(NodeKind.TOMCAT, Position.ORIGIN));
        selection.selectOnly("tomcat-2");
        document.undo();
        selection.retainExisting(document.scenario());
        assertThat(selection.nodes()).isEmpty();
    }

    @Test
    void haPair_addsTwoNodesInOneStep() {
        document.execute(Edits.addPair(NodeKind.NGINX, new Position(100, 100), 150));
        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1", "nginx-2");
        assertThat(document.scenario().node("nginx-2").orElseThrow().position()).isEqualTo(new Position(100, 250));
        assertThat(document.undoLabels()).containsExactly("Add Nginx HA pair");
    }

    private List<String> ids() {
        return document.scenario().nodes().stream().map(NodeSpec::id).toList();
    }
}
