package dev.flowlab.app.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.TestScenarios;
import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.scenario.ScenarioProblem;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files without a display (same-thread executors): open, broken files, save, recent files, autosave and recovery. */
class FileViewModelTest {
    @TempDir
    Path dir;

    private final Scenario initial = TestScenarios.clientToTomcat(null);

    private FileViewModel files(ScenarioDocument document) {
        return new FileViewModel(document, Runnable::run, Runnable::run, dir.resolve("home"));
    }

    @Test
    void aBrokenFile_listsFileLineColumnAndMessage_andTheCurrentWorkStays() throws Exception {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        document.execute(Edits.addNode(NodeKind.TOMCAT, Position.ORIGIN));
        Scenario work = document.scenario();
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"format\": 1,\n  \"nodes\": [\n    { \"id\": \"a\", \"kind\": \"tomcat\", \"colour\": \"red\" }\n  ]\n}\n");
        FileViewModel files = files(document);

        files.open(broken);

        assertThat(document.scenario()).isSameAs(work);
        assertThat(document.isDirty()).isTrue();
        assertThat(files.loadProblems()).isNotEmpty();
        ScenarioProblem p = files.loadProblems().get(0);
        assertThat(p.file()).isEqualTo(broken.toString());
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.column()).isPositive();
        assertThat(p.message()).contains("colour");
        assertThat(files.messageProperty().get()).contains("Could not open broken.json").contains("unchanged");
    }

    @Test
    void saveAs_writesTheCanonicalFile_marksClean_andRemembersIt() throws Exception {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        document.execute(Edits.addNode(NodeKind.NGINX, new Position(10, 20)));
        FileViewModel files = files(document);
        Path target = dir.resolve("shop.json");

        files.saveAs(target);

        assertThat(Files.readString(target)).isEqualTo(ScenarioIO.toJson(document.scenario()));
        assertThat(document.isDirty()).isFalse();
        assertThat(document.file()).isEqualTo(target);
        assertThat(files.recentFiles()).containsExactly(target.toAbsolutePath().normalize());
        assertThat(files(new ScenarioDocument(initial, null)).recentFiles()).containsExactly(target.toAbsolutePath().normalize());

        ScenarioDocument reopened = new ScenarioDocument(initial, null);
        files(reopened).open(target);
        assertThat(reopened.scenario()).isEqualTo(document.scenario());
        assertThat(reopened.isDirty()).isFalse();
    }

    @Test
    void save_withoutAFile_asksForOne() {
        assertThat(files(new ScenarioDocument(initial, null)).save()).isFalse();
    }

    @Test
    void afterACrash_theAutosavedWorkIsRecovered_asUnsavedChangesToItsFile() throws Exception {
        Path file = dir.resolve("shop.json");
        ScenarioIO.write(file, initial);
        ScenarioDocument crashed = new ScenarioDocument(initial, file);
        crashed.execute(Edits.addNode(NodeKind.TOMCAT, new Position(5, 5)));
        files(crashed).autosave();
        // No clean exit: the autosave stays behind.

        ScenarioDocument next = new ScenarioDocument(TestScenarios.clientToTomcat(null).withNodes(java.util.List.of()), null);
        FileViewModel files = files(next);
        assertThat(files.recoverIfCrashed()).isTrue();

        assertThat(next.scenario()).isEqualTo(crashed.scenario());
        assertThat(next.file()).isEqualTo(file.toAbsolutePath());
        assertThat(next.isDirty()).isTrue();
        assertThat(files.messageProperty().get()).contains("Recovered");
        next.undo();
        assertThat(next.scenario()).isEqualTo(crashed.scenario());
    }

    @Test
    void aCleanExit_leavesNothingToRecover() {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        document.execute(Edits.addNode(NodeKind.TOMCAT, Position.ORIGIN));
        FileViewModel files = files(document);
        files.autosave();
        files.discardAutosave();
        assertThat(files(new ScenarioDocument(initial, null)).recoverIfCrashed()).isFalse();
    }

    @Test
    void export_writesTheSameFilesAsLabExport_andTheStatusLineSaysWhat() throws Exception {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        document.execute(Edits.addNode(NodeKind.NGINX, new Position(10, 20)));
        FileViewModel files = files(document);
        Path out = dir.resolve("export");

        files.export(out);

        assertThat(out.resolve("README.md")).exists();
        assertThat(out.resolve("docker-compose.yml")).exists();
        String nginx = document.scenario().nodesOfKind(NodeKind.NGINX).get(0).id();
        assertThat(out.resolve("nginx").resolve(nginx + ".conf")).exists();
        assertThat(files.messageProperty().get()).startsWith("Exported ").contains(" files to " + out)
                .contains("nginx 1").contains("tomcat 1").contains("README.md");
        assertThat(files.busyProperty().get()).isFalse();
    }

    @Test
    void anExportThatCannotWrite_saysWhyOnTheStatusLine() throws Exception {
        FileViewModel files = files(new ScenarioDocument(initial, null));
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");

        files.export(notADir);

        assertThat(files.messageProperty().get()).startsWith("Could not export to " + notADir);
    }

    @Test
    void importNginx_opensTheTopologyUnsaved_andHandsOverTheReport() throws Exception {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        FileViewModel files = files(document);
        Path conf = Files.writeString(dir.resolve("site.conf"),
                "http {\n    sendfile on;\n    server {\n        listen 127.0.0.1:18080;\n        location / { proxy_pass http://10.0.0.9:8080; }\n    }\n}\n");
        java.util.List<FileViewModel.ImportOutcome> outcome = new java.util.ArrayList<>();

        files.importNginx(conf, dev.flowlab.export.NginxImporter.Upstreams.EXTERNAL, outcome::add);

        assertThat(outcome).hasSize(1);
        assertThat(outcome.get(0).imported()).isTrue();
        assertThat(outcome.get(0).report()).containsExactly("site.conf:2: `sendfile on` is not modelled by the lab");
        assertThat(document.scenario().nodesOfKind(NodeKind.EXTERNAL)).hasSize(1);
        assertThat(document.file()).isNull();
        assertThat(files.messageProperty().get()).startsWith("Imported site.conf: 3 nodes, 1 directive not mapped");
    }

    @Test
    void anImportThatDoesNotParse_leavesTheScenario_andSaysWhere() throws Exception {
        ScenarioDocument document = new ScenarioDocument(initial, null);
        FileViewModel files = files(document);
        Path conf = Files.writeString(dir.resolve("bad.conf"), "http {\n");
        java.util.List<FileViewModel.ImportOutcome> outcome = new java.util.ArrayList<>();

        files.importNginx(conf, dev.flowlab.export.NginxImporter.Upstreams.TOMCAT, outcome::add);

        assertThat(outcome.get(0).imported()).isFalse();
        assertThat(outcome.get(0).failure()).startsWith("bad.conf:2:1: unexpected end of file");
        assertThat(document.scenario()).isEqualTo(initial);
        assertThat(files.messageProperty().get()).startsWith("Could not import bad.conf: bad.conf:2:1:");
    }
}
