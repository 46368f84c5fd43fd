package dev.flowlab.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.GatewayConfig;
import dev.flowlab.topology.LvsConfig;
import dev.flowlab.topology.NginxConfig;
import dev.flowlab.topology.RealServerSpec;
import dev.flowlab.topology.TopologyProblem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list editor's model without a display: rows from the default that applies, cells checked as the sheet's, one edit per apply. */
class RecordListModelTest {
    private final ScenarioDocument document = new ScenarioDocument(defaultScenario(), null);
    private final Selection selection = new Selection();
    private final InspectorViewModel inspector = new InspectorViewModel(document, selection);

    @Test
    void anUnsetList_showsTheDefaultThatApplies_andApplyingItUnchangedWritesNothing() {
        selection.selectOnly("nginx-1");
        FieldModel upstreams = field("upstreams");

        assertThat(upstreams.isList()).isTrue();
        assertThat(upstreams.getText()).isEqualTo("1 upstream (default)");
        assertThat(field("locations").getText()).isEqualTo("2 locations (default)");
        RecordListModel list = upstreams.openList();

        assertThat(list.title()).isEqualTo("nginx-1 · upstreams");
        assertThat(list.isUsingDefault()).isTrue();
        assertThat(list.value()).containsExactly(new NginxConfig.Upstream("nginx-1", null, null, null, 32, null, null,
                List.of(NginxConfig.Server.node("gateway-1"))));
        assertThat(list.columns()).containsExactly("name", "balance", "hashKey", "consistent", "keepalive", "keepaliveTimeout",
                "keepaliveRequests", "servers");
        assertThat(list.rows().get(0).field("servers").orElseThrow().getText()).isEqualTo("1 server");
        assertThat(list.apply()).isFalse();
        assertThat(document.undoLabels()).isEmpty();
    }

    @Test
    void addingAnUpstreamServer_andSettingItsWeight_isOneUndoableEdit() {
        selection.selectOnly("nginx-1");
        RecordListModel upstreams = field("upstreams").openList();
        RecordListModel servers = upstreams.rows().get(0).field("servers").orElseThrow().openList();
        assertThat(servers.title()).isEqualTo("nginx-1 · upstream nginx-1 · servers");

        RecordListModel.Row added = servers.add();
        FieldModel node = added.field("node").orElseThrow();
        node.setText("tomcat-1");
        assertThat(node.commit()).isTrue();
        FieldModel weight = added.field("weight").orElseThrow();
        assertThat(weight.prompt()).isEqualTo("1 (default)");
        weight.setText("0");
        assertThat(weight.getError()).isEqualTo("0 is out of range 1..1000000");
        assertThat(weight.commit()).isFalse();
        assertThat(servers.isBlocked()).isTrue();
        weight.setText("3");
        assertThat(weight.commit()).isTrue();
        assertThat(servers.isBlocked()).isFalse();
        assertThat(servers.apply()).isTrue();

        assertThat(upstreams.rows().get(0).field("servers").orElseThrow().getText()).isEqualTo("2 servers");
        assertThat(document.undoLabels()).as("nothing written before the outer list is applied").isEmpty();
        assertThat(upstreams.apply()).isTrue();

        NginxConfig.Upstream expected = new NginxConfig.Upstream("nginx-1", null, null, null, 32, null, null,
                List.of(NginxConfig.Server.node("gateway-1"), NginxConfig.Server.node("tomcat-1").withWeight(3)));
        assertThat(nginx1().upstreams()).containsExactly(expected);
        assertThat(document.undoLabels()).containsExactly("Edit nginx-1 upstreams");
        assertThat(field("upstreams").getText()).isEqualTo("1 upstream");

        document.undo();
        assertThat(nginx1().upstreams()).isNull();
        assertThat(field("upstreams").getText()).isEqualTo("1 upstream (default)");
        document.redo();
        assertThat(nginx1().upstreams()).containsExactly(expected);
    }

    @Test
    void aServersNode_isOneTheNginxMayForwardTo_andTheSuggestionsAreExactlyThose() {
        selection.selectOnly("nginx-1");
        RecordListModel servers = field("upstreams").openList().rows().get(0).field("servers").orElseThrow().openList();
        FieldModel node = servers.rows().get(0).field("node").orElseThrow();

        assertThat(node.isReference()).isTrue();
        assertThat(node.suggestions()).containsExactly("nginx-2", "gateway-1", "tomcat-1", "tomcat-2", "tomcat-3");
        node.setText("tomact-1");
        assertThat(node.getError()).isEqualTo("no node 'tomact-1'");
        node.setText("lvs-1");
        assertThat(node.getError()).isEqualTo("'lvs-1' is a lvs, which a nginx does not forward to");
        node.setText("nginx-1");
        assertThat(node.getError()).isEqualTo("'nginx-1' is this node itself");
        assertThat(node.commit()).isFalse();
        assertThat(servers.isBlocked()).isTrue();
        node.revert();
        assertThat(servers.isBlocked()).isFalse();
    }

    @Test
    void aNewEmptyRow_showsTheEnginesError_andCannotBeApplied() {
        selection.selectOnly("nginx-1");
        RecordListModel upstreams = field("upstreams").openList();
        RecordListModel servers = upstreams.rows().get(0).field("servers").orElseThrow().openList();

        RecordListModel.Row added = servers.add();

        assertThat(servers.problems()).containsExactly("upstream nginx-1 of nginx-1: server #2 names neither a node nor an address; give one");
        assertThat(added.errorProperty().get()).isEqualTo(servers.problems().get(0));
        assertThat(servers.rows().get(0).errorProperty().get()).isNull();
        assertThat(servers.isBlocked()).isTrue();
        assertThat(servers.apply()).isFalse();
        added.field("address").orElseThrow().setText("10.0.0.7:8080");
        added.field("address").orElseThrow().commit();
        assertThat(servers.problems()).isEmpty();
        assertThat(servers.apply()).isTrue();
    }

    @Test
    void realServers_moveRemoveAndResetToTheDefault_eachApplyOneStep() {
        selection.selectOnly("lvs-1");
        RecordListModel list = field("realServers").openList();
        assertThat(list.value()).extracting(r -> ((RealServerSpec) r).node()).containsExactly("nginx-1", "nginx-2");

        list.moveUp(list.rows().get(1));
        list.rows().get(1).field("weight").orElseThrow().setText("2");
        list.rows().get(1).field("weight").orElseThrow().commit();
        assertThat(list.isUsingDefault()).isFalse();
        assertThat(list.apply()).isTrue();
        assertThat(lvs1().realServers()).containsExactly(new RealServerSpec("nginx-2", null, null, null, null, null),
                new RealServerSpec("nginx-1", null, null, 2, null, null));

        RecordListModel again = field("realServers").openList();
        again.remove(again.rows().get(0));
        assertThat(again.apply()).isTrue();
        assertThat(lvs1().realServers()).extracting(RealServerSpec::node).containsExactly("nginx-1");

        RecordListModel reset = field("realServers").openList();
        assertThat(reset.hasDefault()).isTrue();
        reset.resetToDefault();
        assertThat(reset.value()).extracting(r -> ((RealServerSpec) r).node()).containsExactly("nginx-1", "nginx-2");
        assertThat(reset.apply()).isTrue();
        assertThat(lvs1().realServers()).isNull();
        assertThat(document.undoLabels()).containsExactly("Reset lvs-1 realServers to default", "Edit lvs-1 realServers", "Edit lvs-1 realServers");
    }

    @Test
    void aDirectRoutingRealServerOutsideTheLab_isRefusedWithTheEnginesReason() {
        selection.selectOnly("lvs-1");
        RecordListModel list = field("realServers").openList();

        RecordListModel.Row row = list.add();
        row.field("address").orElseThrow().setText("10.0.0.9:80");
        row.field("address").orElseThrow().commit();

        assertThat(list.problems()).containsExactly(
                "lvs-1: real server #3 is outside the lab: direct routing (mode dr) hands connections to lab servers only; use mode nat");
        assertThat(list.apply()).isFalse();
    }

    @Test
    void gatewayRoutes_showTheirFiltersForTheSelectedRow_andTheirServersAreNodes() {
        selection.selectOnly("gateway-1");
        RecordListModel routes = field("routes").openList();

        assertThat(routes.isUsingDefault()).isFalse();
        assertThat(routes.rows()).extracting(RecordListModel.Row::label).containsExactly("cart", "account", "api", "web");
        assertThat(routes.columns()).containsExactly("id", "path", "servers", "balance", "maxFails", "failTimeout");
        assertThat(routes.details()).contains("filters.auth.realm", "filters.rateLimit.replenishRate", "filters.riskControl.rules");
        RecordListModel.Row cart = routes.rows().get(0);
        assertThat(cart.field("filters.rateLimit.replenishRate").orElseThrow().getText()).isEqualTo("10");
        FieldModel servers = cart.field("servers").orElseThrow();
        assertThat(servers.suggestions()).containsExactly("nginx-1", "nginx-2", "tomcat-1", "tomcat-2", "tomcat-3");
        servers.setText("tomcat-1, tomcat-9");
        assertThat(servers.getError()).isEqualTo("no node 'tomcat-9'");
        servers.setText("tomcat-1, tomcat-2");
        assertThat(servers.commit()).isTrue();
        cart.field("filters.rateLimit.replenishRate").orElseThrow().setText("5");
        cart.field("filters.rateLimit.replenishRate").orElseThrow().commit();
        assertThat(routes.apply()).isTrue();

        GatewayConfig.Route written = gateway().routes().get(0);
        assertThat(written.servers()).containsExactly("tomcat-1", "tomcat-2");
        assertThat(written.filters().rateLimit().replenishRate()).isEqualTo(5);
        assertThat(written.filters().rateLimit().burstCapacity()).isEqualTo(20);
        assertThat(written.filters().auth()).as("the route's auth filter, on with its defaults, stays on").isNotNull();
        assertThat(document.undoLabels()).containsExactly("Edit gateway-1 routes");
    }

    @Test
    void aListInsideANestedRecord_opensItsOwnEditor_andEmptyingItTakesItOutOfTheFile() {
        selection.selectOnly("gateway-1");
        FieldModel rules = field("defaultFilters.riskControl.rules");
        assertThat(rules.getText()).isEqualTo("2 rules");
        RecordListModel list = rules.openList();
        assertThat(list.title()).isEqualTo("gateway-1 · rules");

        list.remove(list.rows().get(1));
        list.remove(list.rows().get(0));
        assertThat(list.apply()).isTrue();

        GatewayConfig.RiskControl risk = gateway().defaultFilters().riskControl();
        assertThat(risk.rules()).isNull();
        assertThat(risk.denyCidrs()).containsExactly("127.66.0.0/16");
        assertThat(document.undoLabels()).containsExactly("Edit gateway-1 defaultFilters.riskControl.rules");
    }

    @Test
    void aLocationProxiesToAnUpstreamOrANode() {
        selection.selectOnly("nginx-1");
        RecordListModel locations = field("locations").openList();
        assertThat(locations.value()).extracting(r -> ((NginxConfig.Location) r).prefix()).containsExactly("/static/", "/");
        assertThat(locations.details()).contains("cache.valid", "cache.maxEntries");
        FieldModel proxyPass = locations.rows().get(1).field("proxyPass").orElseThrow();
        assertThat(proxyPass.getText()).isEqualTo("nginx-1");

        assertThat(proxyPass.suggestions()).startsWith("nginx-1", "nginx-2", "gateway-1");
        proxyPass.setText("nowhere");
        assertThat(proxyPass.getError()).isEqualTo("'nowhere' is neither an upstream of nginx-1 nor a node nor a host:port");
        proxyPass.setText("127.0.0.1:0");
        assertThat(proxyPass.getError()).isEqualTo("'127.0.0.1:0' is neither an upstream of nginx-1 nor a node nor a host:port");
        proxyPass.setText("127.0.0.1:8080/app/");
        assertThat(proxyPass.getError()).as("a host:port, as the engine takes it (nginx's implicit upstream)").isNull();
        proxyPass.setText("gateway-1");
        assertThat(proxyPass.commit()).isTrue();
        // the cache on the proxied location: on the root one (/static/) nginx would ignore it
        FieldModel valid = locations.rows().get(1).field("cache.valid").orElseThrow();
        assertThat(valid.prompt()).isEqualTo("10m (default)");
        valid.setText("30s");
        valid.commit();
        assertThat(locations.apply()).isTrue();

        assertThat(nginx1().locations()).containsExactly(
                NginxConfig.Location.files("/static/", "", null),
                new NginxConfig.Location("/", "gateway-1", null, new NginxConfig.Cache(Duration.ofSeconds(30), null, null, null)));
    }

    @Test
    void afterApplying_theEnginesChecksFollowTheScenario_soDeletingAServersNodeMarksTheNginx() {
        selection.selectOnly("nginx-1");
        RecordListModel upstreams = field("upstreams").openList();
        RecordListModel inner = upstreams.rows().get(0).field("servers").orElseThrow().openList();
        RecordListModel.Row added = inner.add();
        added.field("node").orElseThrow().setText("tomcat-3");
        added.field("node").orElseThrow().commit();
        inner.apply();
        upstreams.apply();
        assertThat(document.problems().ofNode("nginx-1")).isEmpty();

        document.execute(Edits.delete(List.of("tomcat-3"), List.of()));

        assertThat(document.problems().ofNode("nginx-1")).extracting(TopologyProblem::message)
                .containsExactly("upstream nginx-1 of nginx-1: server #2 names unknown node 'tomcat-3'");
        document.undo();
        assertThat(document.problems().ofNode("nginx-1")).isEmpty();
    }

    private static dev.flowlab.topology.Scenario defaultScenario() {
        try {
            return ScenarioLibrary.load("default");
        } catch (dev.flowlab.scenario.ScenarioException e) {
            throw new IllegalStateException(e);
        }
    }

    private FieldModel field(String key) {
        return inspector.field(key).orElseThrow(() -> new AssertionError("no field " + key + " in " + inspector.fields().stream().map(FieldModel::key).toList()));
    }

    private NginxConfig nginx1() {
        return document.scenario().node("nginx-1").orElseThrow().configAs(NginxConfig.class);
    }

    private LvsConfig lvs1() {
        return document.scenario().node("lvs-1").orElseThrow().configAs(LvsConfig.class);
    }

    private GatewayConfig gateway() {
        return document.scenario().node("gateway-1").orElseThrow().configAs(GatewayConfig.class);
    }
}
