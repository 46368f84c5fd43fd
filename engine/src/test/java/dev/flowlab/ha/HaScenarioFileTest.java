package dev.flowlab.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.ScriptStep;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import dev.flowlab.topology.TrackScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HA groups in scenario files: strict reading, round trip, keepalived's formula, and the validator's rules. */
class HaScenarioFileTest {
    private static final String PAIR = """
            {
              "format": 1,
              "name": "pair",
              "nodes": [
                { "id": "client", "kind": "client" },
                { "id": "nginx-1", "kind": "nginx" },
                { "id": "nginx-2", "kind": "nginx" },
                { "id": "tomcat-1", "kind": "tomcat" }
              ],
              "links": [
                { "from": "client", "to": "nginx-1" },
                { "from": "nginx-1", "to": "tomcat-1" },
                { "from": "nginx-2", "to": "tomcat-1" }
              ],
              "haGroups": [
                {
                  "id": "nginx-ha",
                  "vip": "127.0.10.100",
                  "virtual_router_id": 51,
                  "advert_int": "1s",
                  "members": [
                    { "node": "nginx-1", "priority": 150, "state": "MASTER" },
                    { "node": "nginx-2", "priority": 100, "nopreempt": true, "preempt_delay": "5s" }
                  ],
                  "track_script": { "name": "chk_nginx", "interval": "1s", "rise": 2, "fall": 3, "weight": -60 }
                }
              ]
            }
            """;

    private static Scenario pair(List<HaMember> members, HaGroup template) {
        return new Scenario(Scenario.FORMAT, "pair", null,
                List.of(NodeSpec.of("client", NodeKind.CLIENT), NodeSpec.of("n1", NodeKind.NGINX), NodeSpec.of("n2", NodeKind.NGINX),
                        NodeSpec.of("t1", NodeKind.TOMCAT), NodeSpec.of("dns", NodeKind.DNS)),
                List.of(LinkSpec.of("client", "n1"), LinkSpec.of("n1", "t1"), LinkSpec.of("n2", "t1"), LinkSpec.of("dns", "n1")),
                null, null,
                List.of(new HaGroup("ha", template.vip(), template.virtualRouterId(), template.advertInt(), template.vrrpVersion(),
                        members, template.trackScript())));
    }

    private static final HaGroup PLAIN = new HaGroup("ha", null, null, null, null, null, null);

    private static List<String> errors(Scenario s) {
        return TopologyValidator.validate(s).stream().filter(TopologyProblem::isError).map(p -> p.path() + ": " + p.message()).toList();
    }

    private static List<String> warnings(Scenario s) {
        return TopologyValidator.validate(s).stream().filter(p -> !p.isError()).map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void readsEveryField_andWritesTheSameFileBack() throws Exception {
        Scenario s = ScenarioIO.read(PAIR, "pair.json");
        HaGroup g = s.haGroups().get(0);
        assertThat(g.vip()).isEqualTo("127.0.10.100");
        assertThat(g.advertInt()).isEqualTo(Duration.ofSeconds(1));
        assertThat(g.members()).extracting(HaMember::node, HaMember::priority).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nginx-1", 150), org.assertj.core.groups.Tuple.tuple("nginx-2", 100));
        assertThat(g.members().get(1).preemptDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.trackScript().weight()).isEqualTo(-60);
        assertThat(s.haGroupOf("nginx-2")).contains(g);

        String written = ScenarioIO.toJson(s);
        assertThat(written).contains("\"haGroups\"", "\"advert_int\": \"1s\"", "\"track_script\"");
        assertThat(ScenarioIO.read(written, "again.json")).isEqualTo(s);
        assertThat(ScenarioIO.toJson(ScenarioIO.read(written, "again.json"))).isEqualTo(written);
    }

    @Test
    void scenarioWithoutGroups_writesNoHaGroupsField() {
        Scenario s = new Scenario(Scenario.FORMAT, "x", null, List.of(NodeSpec.of("t", NodeKind.TOMCAT)), List.of(), null, null);
        assertThat(s.haGroups()).isEmpty();
        assertThat(ScenarioIO.toJson(s)).doesNotContain("haGroups");
    }

    @Test
    void unknownFieldInAMember_isAnErrorWithItsPathAndTheKnownFields() {
        String json = PAIR.replace("\"priority\": 150, \"state\"", "\"priorty\": 150, \"state\"");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read(json, "pair.json"));
        ScenarioProblem p = e.problems().get(0);
        assertThat(p.path()).isEqualTo("$.haGroups[0].members[0].priorty");
        assertThat(p.line()).isEqualTo(22);
        assertThat(p.message()).startsWith("unknown field 'priorty' (known: ").contains("nopreempt", "preempt_delay", "priority");
    }

    @Test
    void outOfRangePriority_andUnknownState_areErrors() {
        String json = PAIR.replace("\"priority\": 150, \"state\": \"MASTER\"", "\"priority\": 256, \"state\": \"LEADER\"");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioIO.read(json, "pair.json"));
        assertThat(e.problems()).extracting(ScenarioProblem::path, ScenarioProblem::message).contains(
                org.assertj.core.groups.Tuple.tuple("$.haGroups[0].members[0].priority", "256 is out of range 1..255"),
                org.assertj.core.groups.Tuple.tuple("$.haGroups[0].members[0].state", "'LEADER' is not one of MASTER, BACKUP"));
    }

    @Test
    void masterDownInterval_usesKeepalivedsFormula() {
        // VRRPv2: 3 * 1 s + (256 - 100)/256 s = 3.609375 s.
        assertThat(HaGroup.masterDownInterval(Duration.ofSeconds(1), 100, 2)).isEqualTo(Duration.ofNanos(3_609_375_000L));
        // VRRPv3 scales the skew with advert_int: 3 * 200 ms + 156 * 200 ms / 256 = 721.875 ms.
        assertThat(HaGroup.masterDownInterval(Duration.ofMillis(200), 100, 3)).isEqualTo(Duration.ofNanos(721_875_000L));
        assertThat(HaGroup.skew(Duration.ofSeconds(1), 255, 2)).isEqualTo(Duration.ofNanos(3_906_250L));
    }

    @Test
    void validPair_hasNoProblems_andTheStandbyCountsAsReached() {
        Scenario s = pair(List.of(HaMember.of("n1", 150).withState("MASTER"), HaMember.of("n2", 100)), PLAIN);
        assertThat(errors(s)).isEmpty();
        assertThat(warnings(s)).noneMatch(w -> w.contains("n2 is not reachable"));
    }

    @Test
    void membersMustBeKnownTcpNodesOfOneKind_inOneGroup() {
        Scenario s = pair(List.of(HaMember.of("n1", 150), HaMember.of("ghost", 100), HaMember.of("t1", 90),
                HaMember.of("dns", 80), HaMember.of("n1", 70)), PLAIN);
        assertThat(errors(s)).containsExactly(
                "$.haGroups[0].members[1].node: HA group ha names unknown node 'ghost'",
                "$.haGroups[0].members[2].node: HA group ha mixes a nginx and a tomcat (t1); members stand in for one another, so they are of one kind",
                "$.haGroups[0].members[3].node: a dns cannot be in an HA group (dns); keepalived fronts lvs, nginx, gateway or tomcat nodes",
                "$.haGroups[0].members[4].node: n1 is already a member of HA group ha");
    }

    @Test
    void subSecondAdvertsNeedVrrpVersion3() {
        HaGroup v2 = new HaGroup("ha", null, null, Duration.ofMillis(200), null, null, null);
        assertThat(errors(pair(List.of(HaMember.of("n1", 150), HaMember.of("n2", 100)), v2))).containsExactly(
                "$.haGroups[0].advert_int: HA group ha: VRRPv2 carries advert_int in whole seconds; set \"vrrp_version\": 3 "
                        + "for sub-second adverts such as 200ms");
        HaGroup v3 = new HaGroup("ha", null, null, Duration.ofMillis(200), 3, null, null);
        assertThat(errors(pair(List.of(HaMember.of("n1", 150), HaMember.of("n2", 100)), v3))).isEmpty();
    }

    @Test
    void vipMustBeLoopback() {
        HaGroup outside = new HaGroup("ha", "10.0.0.5:80", null, null, null, null, null);
        assertThat(errors(pair(List.of(HaMember.of("n1", 150), HaMember.of("n2", 100)), outside)))
                .containsExactly("$.haGroups[0].vip: HA group ha: vip 10.0.0.5 is not a loopback address; the lab binds loopback only");
    }

    @Test
    void nopreemptOnAnInitialMaster_isAWarning_likeKeepalivedsLog() {
        Scenario s = pair(List.of(HaMember.of("n1", 150).withState("MASTER").withNopreempt(true), HaMember.of("n2", 100)), PLAIN);
        assertThat(warnings(s)).contains("$.haGroups[0].members[0].state: keepalived ignores nopreempt and preempt_delay on an "
                + "instance whose initial state is MASTER; set \"state\": \"BACKUP\" on n1");
    }

    @Test
    void partitionStep_needsAPeerInTheSameGroup() {
        Scenario s = pair(List.of(HaMember.of("n1", 150), HaMember.of("n2", 100)), PLAIN)
                .withScript(List.of(new ScriptStep(Duration.ofSeconds(1), "partition", "n1", Map.of()),
                        new ScriptStep(Duration.ofSeconds(2), "partition", "n1", Map.of("peer", "t1")),
                        new ScriptStep(Duration.ofSeconds(3), "partition", "t1", Map.of("peer", "n1")),
                        new ScriptStep(Duration.ofSeconds(4), "partition", "n1", Map.of("peer", "n2")),
                        new ScriptStep(Duration.ofSeconds(5), "heal", "n1", Map.of())));
        assertThat(errors(s)).containsExactly(
                "$.script[0].params: partition needs params.peer: the other member whose adverts are cut",
                "$.script[1].params.peer: partition: t1 is not a member of HA group ha with n1",
                "$.script[2].node: partition: t1 is not a member of an HA group");
    }

    @Test
    void keepalivedSteps_needAMemberOfAnHaGroup() {
        Scenario s = pair(List.of(HaMember.of("n1", 150), HaMember.of("n2", 100)), PLAIN)
                .withScript(List.of(new ScriptStep(Duration.ofSeconds(1), "kill-keepalived", "t1", Map.of()),
                        new ScriptStep(Duration.ofSeconds(2), "kill-keepalived", "n1", Map.of()),
                        new ScriptStep(Duration.ofSeconds(3), "start-keepalived", "n1", Map.of()),
                        new ScriptStep(Duration.ofSeconds(4), "start-keepalived", "t1", Map.of())));
        assertThat(errors(s)).containsExactly(
                "$.script[0].node: kill-keepalived: t1 is not a member of an HA group, so it runs no keepalived",
                "$.script[3].node: start-keepalived: t1 is not a member of an HA group, so it runs no keepalived");
    }

    @Test
    void trackScriptDefaults_areKeepalivedsDefaults() {
        TrackScript t = dev.flowlab.topology.Params.withDefaults(new TrackScript(null, null, null, null, null, null));
        assertThat(t.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.rise()).isEqualTo(1);
        assertThat(t.fall()).isEqualTo(1);
        assertThat(t.weight()).isZero();
        HaGroup g = dev.flowlab.topology.Params.withDefaults(PLAIN);
        assertThat(g.advertInt()).isEqualTo(Duration.ofSeconds(1));
        assertThat(g.virtualRouterId()).isEqualTo(51);
        assertThat(g.vrrpVersion()).isEqualTo(2);
    }
}
