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

    private List<String> ids() {
        return document.scenario().nodes().stream().map(NodeSpec::id).toList();
    }
}
