package dev.flowlab.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.topology.ServiceTime;
import dev.flowlab.topology.TomcatConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The property sheet's model without a display: fields from @Param metadata, validation as you type, commits as edits. */
class InspectorViewModelTest {
    private final ScenarioDocument document = new ScenarioDocument(TestScenarios.clientToTomcat(null), null);
    private final Selection selection = new Selection();
    private final InspectorViewModel inspector = new InspectorViewModel(document, selection);

    @Test
    void aTomcat_showsEveryConfigField_withTheRealDefaultAndUnit() {
        selection.selectOnly("tomcat-1");

        assertThat(inspector.titleProperty().get()).isEqualTo("Tomcat · tomcat-1");
        assertThat(inspector.fields()).extracting(FieldModel::key).contains("id", "label", "address",
                "maxThreads", "acceptCount", "maxConnections", "connectionTimeout", "keepAliveTimeout",
                "serviceTime.distribution", "serviceTime.mean", "docBase");
        FieldModel maxThreads = inspector.field("maxThreads").orElseThrow();
        assertThat(maxThreads.getText()).isEmpty();
        assertThat(maxThreads.prompt()).isEqualTo("200 (default)");
        assertThat(maxThreads.unit()).isEqualTo("threads");
        assertThat(maxThreads.description()).contains("maxThreads:").contains("Default: 200 threads").contains("Range: 1..100000");
        assertThat(inspector.field("connectionTimeout").orElseThrow().prompt()).isEqualTo("60s (default)");
        assertThat(inspector.field("serviceTime.distribution").orElseThrow().choices()).containsExactly("fixed", "uniform", "exponential");
    }

    @Test
    void anNginx_offersTheEngine_nginxOnlyWhenTheBinaryIsInstalled() {
        dev.flowlab.topology.Scenario s = new dev.flowlab.topology.Scenario(dev.flowlab.topology.Scenario.FORMAT, "n", null,
                java.util.List.of(dev.flowlab.topology.NodeSpec.of("nginx-1", dev.flowlab.topology.NodeKind.NGINX)), java.util.List.of(), null, null);
        ScenarioDocument doc = new ScenarioDocument(s, null);
        Selection sel = new Selection();
        InspectorViewModel sheet = new InspectorViewModel(doc, sel);
        sel.selectOnly("nginx-1");
        FieldModel engine = sheet.field("engine").orElseThrow();
        assertThat(engine.choices()).containsExactly("lab", "nginx");
        assertThat(engine.prompt()).isEqualTo("lab (default)");
        assertThat(engine.unavailable("lab")).isNull();

        String before = System.getProperty(dev.flowlab.export.NginxBinary.PROPERTY);
        System.setProperty(dev.flowlab.export.NginxBinary.PROPERTY, "/nonexistent/nginx");
        try {
            assertThat(engine.unavailable("nginx")).contains("nginx is not installed").contains("/nonexistent/nginx");
            engine.setText("nginx");
            assertThat(engine.getError()).contains("nginx is not installed");
            assertThat(engine.commit()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(dev.flowlab.export.NginxBinary.PROPERTY);
            } else {
                System.setProperty(dev.flowlab.export.NginxBinary.PROPERTY, before);
            }
        }
        engine.setText("");
        if (dev.flowlab.export.NginxBinary.installed()) {
            engine.setText("nginx");
            assertThat(engine.getError()).isNull();
            assertThat(engine.commit()).isTrue();
            assertThat(doc.scenario().node("nginx-1").orElseThrow().configAs(dev.flowlab.topology.NginxConfig.class).engine()).isEqualTo("nginx");
        }
    }

    @Test
    void typing_isValidatedAtEachKeystroke_withTheEnginesRangeCheck_andNothingChangesUntilCommit() {
        selection.selectOnly("tomcat-1");
        FieldModel maxThreads = inspector.field("maxThreads").orElseThrow();

        maxThreads.setText("lots");
        assertThat(maxThreads.getError()).isEqualTo("not a whole number: 'lots'");
        maxThreads.setText("0");
        assertThat(maxThreads.getError()).contains("out of range 1..100000");
        assertThat(maxThreads.commit()).isFalse();
        assertThat(document.isDirty()).isFalse();

        maxThreads.setText("400");
        assertThat(maxThreads.getError()).isNull();
        assertThat(document.scenario().node("tomcat-1").orElseThrow().configAs(TomcatConfig.class).maxThreads()).isNull();
        assertThat(maxThreads.commit()).isTrue();

        assertThat(document.scenario().node("tomcat-1").orElseThrow().configAs(TomcatConfig.class).maxThreads()).isEqualTo(400);
        assertThat(document.undoLabelProperty().get()).isEqualTo("Set tomcat-1 maxThreads to 400");
    }

    @Test
    void undo_showsTheOldValueInTheSheet() {
        selection.selectOnly("tomcat-1");
        FieldModel maxThreads = inspector.field("maxThreads").orElseThrow();
        maxThreads.setText("400");
        maxThreads.commit();

        document.undo();

        assertThat(inspector.field("maxThreads").orElseThrow().getText()).isEmpty();
    }

    @Test
    void aNestedField_createsItsRecord_andEmptyingItRemovesIt() {
        selection.selectOnly("tomcat-1");
        FieldModel mean = inspector.field("serviceTime.mean").orElseThrow();
        mean.setText("soon");
        assertThat(mean.getError()).startsWith("not a duration");
        mean.setText("25ms");
        mean.commit();
        assertThat(document.scenario().node("tomcat-1").orElseThrow().configAs(TomcatConfig.class).serviceTime())
                .isEqualTo(new ServiceTime(null, Duration.ofMillis(25), null, null, null));

        inspector.field("serviceTime.mean").orElseThrow().setText("");
        inspector.field("serviceTime.mean").orElseThrow().commit();
        assertThat(document.scenario().node("tomcat-1").orElseThrow().configAs(TomcatConfig.class)).isEqualTo(TomcatConfig.EMPTY);
    }

    @Test
    void aWordOutsideTheAllowedOnes_isRefused() {
        selection.selectOnly("tomcat-1");
        FieldModel distribution = inspector.field("serviceTime.distribution").orElseThrow();
        distribution.setText("gaussian");
        assertThat(distribution.getError()).contains("'gaussian' is not one of fixed, uniform, exponential");
    }

    @Test
    void renamingById_keepsTheNodeSelected() {
        selection.selectOnly("tomcat-1");
        FieldModel id = inspector.field("id").orElseThrow();
        id.setText("client");
        assertThat(id.getError()).isEqualTo("id 'client' is taken");
        id.setText("shop");
        id.commit();
        assertThat(selection.nodes()).containsExactly("shop");
        assertThat(inspector.titleProperty().get()).isEqualTo("Tomcat · shop");
    }

    @Test
    void nothingSelected_showsTheScenarioAndItsTraffic() {
        assertThat(inspector.titleProperty().get()).isEqualTo("Scenario · one tomcat");
        assertThat(inspector.fields()).extracting(FieldModel::key).contains("name", "mode", "rps", "concurrency", "duration");
    }

    @Test
    void aFieldTheFileNamesOtherwise_isRangeCheckedToo() {
        document.execute(dev.flowlab.app.edit.Edits.addNode(dev.flowlab.topology.NodeKind.LVS, new dev.flowlab.topology.Position(0, 0)));
        selection.selectOnly("lvs-1");
        FieldModel status = inspector.field("healthCheck.statusCode").orElseThrow();

        status.setText("700");

        assertThat(status.getError()).isEqualTo("700 is out of range 100..599");
    }
}
