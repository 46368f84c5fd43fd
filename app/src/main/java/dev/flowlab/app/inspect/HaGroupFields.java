package dev.flowlab.app.inspect;

import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.inspect.InspectorViewModel.Field;
import dev.flowlab.topology.HaGroup;
import dev.flowlab.topology.HaMember;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.TopologyProblem;
import dev.flowlab.topology.TopologyValidator;
import dev.flowlab.topology.TrackScript;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The keepalived fields of a selected node that is a member of an {@link HaGroup}: the group's own
 * (id, vip, virtual_router_id, advert_int, vrrp_version), this member's (priority, state,
 * nopreempt, preempt_delay), the group's track_script, and the computed master_down_interval.
 * Keys start with "ha." ("ha.advert_int", "ha.priority", "ha.track_script.fall").
 *
 * <p>Every field finds its group through the node at check and commit time, never through the
 * group it was built from: the sheet keeps a field's model while only values change, and the
 * group's id is one of those values.
 */
final class HaGroupFields {
    static final String GROUP = "HA group";
    static final String MEMBER = "HA member";
    static final String TRACK = "HA track_script";
    private static final Duration KEEPALIVED_ADVERT_INT = Duration.ofSeconds(1);

    private final ScenarioDocument document;
    private final String nodeId;

    HaGroupFields(ScenarioDocument document, String nodeId) {
        this.document = document;
        this.nodeId = nodeId;
    }

    List<Field> fields(HaGroup group) {
        List<Field> out = new ArrayList<>();
        out.add(idField(group));
        for (Params.Field f : Params.fields(group)) {
            if (f.param() != null && !f.type().isRecord() && f.type() != List.class) {
                RecordComponent rc = RecordFields.componentNamed(HaGroup.class, f);
                String component = rc.getName();
                out.add(field("ha." + fileName(rc), GROUP, f, fileName(rc),
                        (g, v) -> RecordValues.with(g, List.of(component), v)));
            }
        }
        HaMember member = group.member(nodeId).orElseThrow();
        for (Params.Field f : Params.fields(member)) {
            if (f.param() != null) {
                RecordComponent rc = RecordFields.componentNamed(HaMember.class, f);
                String component = rc.getName();
                out.add(field("ha." + fileName(rc), MEMBER, f, fileName(rc) + " of " + nodeId,
                        (g, v) -> withMember(g, m -> RecordValues.with(m, List.of(component), v))));
            }
        }
        TrackScript track = group.trackScript() != null ? group.trackScript() : RecordValues.empty(TrackScript.class);
        for (Params.Field f : Params.fields(track)) {
            if (f.param() != null) {
                RecordComponent rc = RecordFields.componentNamed(TrackScript.class, f);
                String component = rc.getName();
                out.add(field("ha.track_script." + fileName(rc), TRACK, f, "track_script." + fileName(rc),
                        (g, v) -> withTrack(g, RecordValues.with(trackOf(g), List.of(component), v))));
            }
        }
        Duration down = masterDownInterval(group, member);
        out.add(InspectorViewModel.plain("ha.master_down_interval", MEMBER, seconds(down),
                "master_down_interval = 3 * advert_int + skew: how long this member, as a backup, waits without adverts "
                        + "before it takes the VIP, and how long it waits after it starts, state MASTER included (below "
                        + "priority 255; computed; change advert_int, priority or vrrp_version)",
                false, v -> { }));
        return out;
    }

    /**
     * The name in the scenario file ("virtual_router_id"). Jackson's {@code @JsonProperty} on a
     * record component lands on its accessor and field, not on the component itself.
     */
    static String fileName(RecordComponent rc) {
        return dev.flowlab.topology.Params.jsonName(rc);
    }

    /** "3.609s": keepalived's interval to the millisecond, as people read it. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "s";
    }

    static Duration masterDownInterval(HaGroup group, HaMember member) {
        return HaGroup.masterDownInterval(group.advertInt() != null ? group.advertInt() : KEEPALIVED_ADVERT_INT,
                member.priority() != null ? member.priority() : 100, group.vrrpVersion() != null ? group.vrrpVersion() : 2);
    }

    private interface GroupChange {
        HaGroup apply(HaGroup current, Object value);
    }

    /** A field whose value lives in the group (or its member, or its track script); {@code change} makes the group with the new value. */
    private Field field(String key, String category, Params.Field f, String what, GroupChange change) {
        Object value = f.value();
        Function<Object, List<String>> checker = v -> {
            HaGroup current = current();
            HaGroup candidate;
            try {
                candidate = change.apply(current, v);
            } catch (IllegalArgumentException e) {
                return List.of(e.getMessage());
            }
            return newProblems(current, candidate);
        };
        FieldModel.Committer commit = v -> {
            HaGroup current = current();
            document.execute(Edits.setHaGroup(current.id(), change.apply(current, v),
                    what + (v == null ? " to default" : " to " + FieldModel.format(v))));
        };
        return new Field(new FieldModel(key, category, f.type(), f.param(), value, true, checker, commit), value);
    }

    private Field idField(HaGroup group) {
        return InspectorViewModel.plain("ha.id", GROUP, group.id(), "The HA group's name (keepalived's vrrp_instance): unique, not a node's id", true,
                v -> {
                    HaGroup current = current();
                    if (v != null && !v.equals(current.id())) {
                        document.execute(Edits.setHaGroup(current.id(), renamed(current, (String) v), "id to " + v));
                    }
                },
                v -> {
                    HaGroup current = current();
                    if (v == null || v.equals(current.id())) {
                        return List.of();
                    }
                    Scenario s = document.scenario();
                    if (s.node((String) v).isPresent()) {
                        return List.of("'" + v + "' is a node's id");
                    }
                    return s.haGroups().stream().anyMatch(g -> v.equals(g.id())) ? List.of("HA group id '" + v + "' is taken") : List.of();
                });
    }

    private HaGroup current() {
        return document.scenario().haGroupOf(nodeId)
                .orElseThrow(() -> new IllegalStateException(nodeId + " is no longer in an HA group"));
    }

    /**
     * What would be wrong with the group after the change and is not wrong now: the record's own
     * range checks and the engine's HA rules (VRRPv2's whole-second advert_int, a taken
     * virtual_router_id...), each without its path.
     */
    private List<String> newProblems(HaGroup current, HaGroup candidate) {
        List<String> out = new ArrayList<>(Params.check(candidate, "").stream()
                .filter(p -> !Params.check(current, "").contains(p))
                .map(p -> p.substring(p.indexOf(": ") + 2)).toList());
        Scenario now = document.scenario();
        int index = now.haGroups().indexOf(current);
        String path = "$.haGroups[" + index + "]";
        Set<String> before = errorsAt(now, path);
        Scenario after = now.withHaGroups(now.haGroups().stream().map(g -> g == current ? candidate : g).toList());
        errorsAt(after, path).stream().filter(m -> !before.contains(m) && !out.contains(m)).forEach(out::add);
        return out;
    }

    private static Set<String> errorsAt(Scenario s, String groupPath) {
        return TopologyValidator.validate(s).stream()
                .filter(p -> p.isError() && p.path() != null && p.path().startsWith(groupPath))
                .map(TopologyProblem::message)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private HaGroup withMember(HaGroup g, UnaryOperator<HaMember> change) {
        return new HaGroup(g.id(), g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(),
                g.members().stream().map(m -> nodeId.equals(m.node()) ? change.apply(m) : m).toList(), g.trackScript());
    }

    private static TrackScript trackOf(HaGroup g) {
        return g.trackScript() != null ? g.trackScript() : RecordValues.empty(TrackScript.class);
    }

    private static HaGroup withTrack(HaGroup g, TrackScript track) {
        return new HaGroup(g.id(), g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(), g.members(),
                RecordValues.isEmpty(track) ? null : track);
    }

    private static HaGroup renamed(HaGroup g, String id) {
        return new HaGroup(id, g.vip(), g.virtualRouterId(), g.advertInt(), g.vrrpVersion(), g.members(), g.trackScript());
    }
}
