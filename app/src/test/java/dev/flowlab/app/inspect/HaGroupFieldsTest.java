package dev.flowlab.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.app.palette.PaletteEntry;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Position;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The property sheet of an HA group's member, without a display: the group's and the member's keepalived fields. */
class HaGroupFieldsTest {
    private final ScenarioDocument document = new ScenarioDocument(TestScenarios.clientToTomcat(null), null);
    private final Selection selection = new Selection();
    private final InspectorViewModel inspector = new InspectorViewModel(document, selection);

    HaGroupFieldsTest() {
        document.execute(PaletteEntry.HA_PAIR.addAt(new Position(100, 100)));
    }

    @Test
    void aMember_showsTheGroupsAndItsOwnFields_belowTheNodesOwn() {
        selection.selectOnly("nginx-2");

        List<String> keys = inspector.fields().stream().map(FieldModel::key).toList();
        assertThat(keys).containsSubsequence("id", "label", "address", "ha.id", "ha.vip", "ha.virtual_router_id", "ha.advert_int",
                "ha.vrrp_version", "ha.priority", "ha.state", "ha.nopreempt", "ha.preempt_delay", "ha.track_script.name",
                "ha.track_script.fall", "ha.master_down_interval");
        assertThat(keys.indexOf("ha.id")).isGreaterThan(keys.indexOf(keys.stream().filter(k -> !k.startsWith("ha.")).reduce((a, b) -> b).orElseThrow()));
        assertThat(text("ha.id")).isEqualTo("nginx-ha");
        assertThat(text("ha.virtual_router_id")).isEqualTo("51");
        assertThat(text("ha.advert_int")).isEqualTo("1s");
        assertThat(text("ha.vrrp_version")).isEmpty();
        assertThat(field("ha.vrrp_version").prompt()).isEqualTo("2 (default)");
        assertThat(text("ha.priority")).isEqualTo("100");
        assertThat(text("ha.state")).isEqualTo("BACKUP");
        assertThat(field("ha.state").choices()).containsExactly("MASTER", "BACKUP");
        assertThat(field("ha.priority").description()).contains("Range: 1..255");
        assertThat(field("ha.master_down_interval").isEditable()).isFalse();
        assertThat(text("ha.master_down_interval")).isEqualTo("3.609s");
        assertThat(field("ha.master_down_interval").category()).isEqualTo(HaGroupFields.MEMBER);
    }

    @Test
    void aNodeOutsideAnyGroup_hasNoHaFields() {
        selection.selectOnly("tomcat-1");
        assertThat(inspector.fields()).extracting(FieldModel::key).noneMatch(k -> k.startsWith("ha."));
    }

    @Test
    void editingTheMembersPriority_isOneUndoableEdit_andTheComputedIntervalFollows() {
        selection.selectOnly("nginx-2");
        FieldModel priority = field("ha.priority");
        priority.setText("256");
        assertThat(priority.getError()).contains("out of range 1..255");
        assertThat(priority.commit()).isFalse();

        priority.setText("200");
        assertThat(priority.getError()).isNull();
        assertThat(priority.commit()).isTrue();

        assertThat(member("nginx-2").priority()).isEqualTo(200);
        assertThat(member("nginx-1").priority()).isEqualTo(150);
        assertThat(document.undoLabelProperty().get()).isEqualTo("Set HA group nginx-ha priority of nginx-2 to 200");
        assertThat(text("ha.master_down_interval")).isEqualTo(expectedDown(Duration.ofSeconds(1), 200, 2));

        document.undo();
        assertThat(member("nginx-2").priority()).isEqualTo(100);
        assertThat(text("ha.priority")).isEqualTo("100");
        assertThat(text("ha.master_down_interval")).isEqualTo("3.609s");
    }

    @Test
    void advertInt_isCheckedWithTheEnginesVrrpRules() {
        selection.selectOnly("nginx-1");
        FieldModel advert = field("ha.advert_int");
        advert.setText("soon");
        assertThat(advert.getError()).startsWith("not a duration");
        advert.setText("500ms");
        assertThat(advert.getError()).contains("VRRPv2 carries advert_int in whole seconds");

        field("ha.vrrp_version").setText("3");
        assertThat(field("ha.vrrp_version").commit()).isTrue();
        advert = field("ha.advert_int");
        advert.setText("500ms");
        assertThat(advert.getError()).isNull();
        assertThat(advert.commit()).isTrue();

        HaGroup group = document.scenario().haGroups().get(0);
        assertThat(group.vrrpVersion()).isEqualTo(3);
        assertThat(group.advertInt()).isEqualTo(Duration.ofMillis(500));
        assertThat(text("ha.master_down_interval")).isEqualTo(expectedDown(Duration.ofMillis(500), 150, 3));
        assertThat(document.undoLabels()).startsWith("Set HA group nginx-ha advert_int to 500ms", "Set HA group nginx-ha vrrp_version to 3");
    }

    @Test
    void renamingTheGroup_keepsTheMemberSelected_andLaterEditsReachTheRenamedGroup() {
        selection.selectOnly("nginx-1");
        FieldModel id = field("ha.id");
        id.setText("tomcat-1");
        assertThat(id.getError()).isEqualTo("'tomcat-1' is a node's id");
        id.setText("edge-ha");
        assertThat(id.commit()).isTrue();
        assertThat(document.scenario().haGroups()).extracting(HaGroup::id).containsExactly("edge-ha");
        assertThat(selection.nodes()).containsExactly("nginx-1");

        field("ha.vip").setText("127.0.0.1:8080");
        assertThat(field("ha.vip").commit()).isTrue();
        assertThat(document.scenario().haGroups().get(0).vip()).isEqualTo("127.0.0.1:8080");
        assertThat(document.scenario().haGroups().get(0).id()).isEqualTo("edge-ha");

        document.undo();
        document.undo();
        assertThat(text("ha.id")).isEqualTo("nginx-ha");
        assertThat(text("ha.vip")).isEmpty();
    }

    @Test
    void trackScriptFields_createTheTrackScript_andEmptyingThemRemovesIt() {
        selection.selectOnly("nginx-1");
        FieldModel fall = field("ha.track_script.fall");
        fall.setText("0");
        assertThat(fall.getError()).contains("out of range 1..1000");
        fall.setText("2");
        assertThat(fall.commit()).isTrue();
        assertThat(document.scenario().haGroups().get(0).trackScript().fall()).isEqualTo(2);

        field("ha.track_script.fall").setText("");
        assertThat(field("ha.track_script.fall").commit()).isTrue();
        assertThat(document.scenario().haGroups().get(0).trackScript()).isNull();
    }

    @Test
    void aMasterStateWithNopreempt_isAllowed_butTheStateChoiceIsChecked() {
        selection.selectOnly("nginx-2");
        field("ha.state").setText("LEADER");
        assertThat(field("ha.state").getError()).contains("'LEADER' is not one of MASTER, BACKUP");
        field("ha.nopreempt").setText("true");
        assertThat(field("ha.nopreempt").commit()).isTrue();
        assertThat(member("nginx-2").nopreempt()).isTrue();
    }

    @Test
    void renamingTheScenario_keepsItsHaGroups() {
        List<HaGroup> groups = document.scenario().haGroups();
        FieldModel name = field("name");
        name.setText("shop with HA");
        assertThat(name.commit()).isTrue();
        assertThat(document.scenario().haGroups()).isEqualTo(groups);
        field("description").setText("two Nginx");
        assertThat(field("description").commit()).isTrue();
        assertThat(document.scenario().haGroups()).isEqualTo(groups);
    }

    private static String expectedDown(Duration advert, int priority, int version) {
        return HaGroupFields.seconds(HaGroup.masterDownInterval(advert, priority, version));
    }

    private HaMember member(String node) {
        return document.scenario().haGroupOf(node).orElseThrow().member(node).orElseThrow();
    }

    private FieldModel field(String key) {
        return inspector.field(key).orElseThrow();
    }

    private String text(String key) {
        return field(key).getText();
    }
}
