package dev.flowlab.app.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.app.palette.PaletteEntry;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TrackScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HA groups in the editing kit: the palette's HA pair, and deletes and renames that keep the groups in step. */
class HaGroupEditsTest {
    private final ScenarioDocument document = new ScenarioDocument(TestScenarios.clientToTomcat(null), null);
    private final Selection selection = new Selection();
    private final EditActions actions = new EditActions(document, selection);

    @Test
    void haPair_addsBothNodesAndTheirKeepalivedGroup_inOneUndoStep() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));

        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1", "nginx-2");
        assertThat(document.scenario().haGroups()).containsExactly(new HaGroup("nginx-ha", null, 51, Duration.ofSeconds(1), null,
                List.of(new HaMember("nginx-1", 150, "MASTER", null, null), new HaMember("nginx-2", 100, "BACKUP", null, null)), null));
        assertThat(document.undoLabels()).containsExactly("Add Nginx HA pair");
        assertThat(document.problemList()).extracting(TopologyProblem::path).noneMatch(p -> p.startsWith("$.haGroups"));

        document.undo();
        assertThat(ids()).containsExactly("client", "tomcat-1");
        assertThat(document.scenario().haGroups()).isEmpty();
        assertThat(document.isDirty()).isFalse();
    }

    @Test
    void aSecondHaPair_getsItsOwnGroupIdAndVirtualRouterId() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(400, 100)));

        assertThat(document.scenario().haGroups()).extracting(HaGroup::id).containsExactly("nginx-ha", "nginx-ha-2");
        assertThat(document.scenario().haGroups()).extracting(HaGroup::virtualRouterId).containsExactly(51, 52);
        assertThat(document.scenario().haGroupOf("nginx-4").orElseThrow().id()).isEqualTo("nginx-ha-2");
        assertThat(document.problemList()).extracting(TopologyProblem::path).noneMatch(p -> p.startsWith("$.haGroups"));
    }

    @Test
    void deletingAMemberOfAPair_removesTheGroupToo_andOneUndoBringsBothBack() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        List<HaGroup> groups = document.scenario().haGroups();
        selection.selectOnly("nginx-2");

        actions.deleteSelection();

        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1");
        assertThat(document.scenario().haGroups()).isEmpty();
        document.undo();
        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1", "nginx-2");
        assertThat(document.scenario().haGroups()).isEqualTo(groups);
    }

    @Test
    void deletingOneOfThreeMembers_keepsTheGroupWithTheOtherTwo() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        document.execute(Edits.addNode(NodeKind.NGINX, new Position(100, 400)));
        HaGroup pair = document.scenario().haGroups().get(0);
        List<HaMember> three = List.of(pair.members().get(0), pair.members().get(1), HaMember.of("nginx-3", 50));
        document.execute(Edits.setHaGroup("nginx-ha", new HaGroup(pair.id(), pair.vip(), pair.virtualRouterId(), pair.advertInt(),
                pair.vrrpVersion(), three, pair.trackScript()), "members"));

        document.execute(Edits.delete(List.of("nginx-1"), List.of()));

        HaGroup left = document.scenario().haGroups().get(0);
        assertThat(left.members()).extracting(HaMember::node).containsExactly("nginx-2", "nginx-3");
        assertThat(left.advertInt()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void deletingOnlyALink_leavesTheGroupAlone() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        document.execute(Edits.addLink("client", "nginx-1"));
        List<HaGroup> groups = document.scenario().haGroups();

        document.execute(Edits.delete(List.of(), List.of(LinkSpec.of("client", "nginx-1"))));

        assertThat(document.scenario().haGroups()).isEqualTo(groups);
    }

    @Test
    void renamingAMember_renamesItInItsGroup_andUndoRenamesItBack() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));

        document.execute(Edits.renameNode("nginx-1", "edge-master"));

        HaGroup group = document.scenario().haGroups().get(0);
        assertThat(group.members()).extracting(HaMember::node).containsExactly("edge-master", "nginx-2");
        assertThat(group.member("edge-master").orElseThrow().priority()).isEqualTo(150);
        assertThat(document.problemList()).extracting(TopologyProblem::path).noneMatch(p -> p.startsWith("$.haGroups"));
        document.undo();
        assertThat(document.scenario().haGroups().get(0).members()).extracting(HaMember::node).containsExactly("nginx-1", "nginx-2");
    }

    @Test
    void copyPasteOfBothMembers_makesANewGroupOfTheCopies_withTheNextFreeIds_inOneUndoStep() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        selection.selectNodes(List.of("nginx-1", "nginx-2"), false);

        actions.copy();
        actions.paste();

        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1", "nginx-2", "nginx-3", "nginx-4");
        assertThat(selection.nodes()).containsExactly("nginx-3", "nginx-4");
        assertThat(document.scenario().haGroups()).hasSize(2);
        assertThat(document.scenario().haGroups().get(1)).isEqualTo(new HaGroup("nginx-ha-2", null, 52, Duration.ofSeconds(1), null,
                List.of(new HaMember("nginx-3", 150, "MASTER", null, null), new HaMember("nginx-4", 100, "BACKUP", null, null)), null));
        assertThat(document.problemList()).extracting(TopologyProblem::path).noneMatch(p -> p.startsWith("$.haGroups"));
        assertThat(document.undoLabelProperty().get()).isEqualTo("Paste 2 nodes and their HA group");

        document.undo();
        assertThat(ids()).containsExactly("client", "tomcat-1", "nginx-1", "nginx-2");
        assertThat(document.scenario().haGroups()).extracting(HaGroup::id).containsExactly("nginx-ha");
    }

    @Test
    void pastingOneMemberAlone_joinsNoGroup() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        List<HaGroup> groups = document.scenario().haGroups();
        selection.selectOnly("nginx-1");

        actions.duplicate();

        assertThat(ids()).contains("nginx-3");
        assertThat(document.scenario().haGroupOf("nginx-3")).isEmpty();
        assertThat(document.scenario().haGroups()).isEqualTo(groups);
        assertThat(document.undoLabelProperty().get()).isEqualTo("Paste node");
    }

    @Test
    void aCopiedVip_thatTheOriginalStillHolds_isLeftForTheUserToSet_butACutPairKeepsItsOwn() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        HaGroup pair = document.scenario().haGroups().get(0);
        HaGroup tuned = new HaGroup(pair.id(), "127.0.10.9:8080", 60, Duration.ofMillis(200), 3, pair.members(),
                TrackScript.tcp(Duration.ofMillis(500), 2, 2, -60));
        document.execute(Edits.setHaGroup("nginx-ha", tuned, "settings"));
        selection.selectNodes(List.of("nginx-1", "nginx-2"), false);

        actions.duplicate();
        HaGroup copy = document.scenario().haGroupOf("nginx-3").orElseThrow();
        assertThat(copy.vip()).isNull();
        assertThat(copy.virtualRouterId()).isEqualTo(51);
        assertThat(copy.advertInt()).isEqualTo(Duration.ofMillis(200));
        assertThat(copy.vrrpVersion()).isEqualTo(3);
        assertThat(copy.trackScript()).isEqualTo(tuned.trackScript());
        assertThat(document.problemList()).extracting(TopologyProblem::path).noneMatch(p -> p.startsWith("$.haGroups"));

        document.undo();
        selection.selectNodes(List.of("nginx-1", "nginx-2"), false);
        actions.cut();
        assertThat(document.scenario().haGroups()).isEmpty();
        actions.paste();
        HaGroup back = document.scenario().haGroups().get(0);
        assertThat(back.members()).extracting(HaMember::node).containsExactly("nginx-1", "nginx-2");
        assertThat(new HaGroup(back.id(), back.vip(), back.virtualRouterId(), back.advertInt(), back.vrrpVersion(), pair.members(),
                back.trackScript())).isEqualTo(tuned);
    }

    @Test
    void copyingTwoOfThreeMembers_pastesAPairOfThoseTwo() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
        document.execute(Edits.addNode(NodeKind.NGINX, new Position(100, 400)));
        HaGroup pair = document.scenario().haGroups().get(0);
        document.execute(Edits.setHaGroup("nginx-ha", new HaGroup(pair.id(), pair.vip(), pair.virtualRouterId(), pair.advertInt(),
                pair.vrrpVersion(), List.of(pair.members().get(0), pair.members().get(1), HaMember.of("nginx-3", 50)), null), "members"));
        selection.selectNodes(List.of("nginx-2", "nginx-3"), false);

        actions.duplicate();

        HaGroup copy = document.scenario().haGroups().get(1);
        assertThat(copy.members()).containsExactly(new HaMember("nginx-4", 100, "BACKUP", null, null), HaMember.of("nginx-5", 50));
        assertThat(document.scenario().haGroups().get(0).members()).hasSize(3);
    }

    private List<String> ids() {
        return document.scenario().nodes().stream().map(NodeSpec::id).toList();
    }
}
