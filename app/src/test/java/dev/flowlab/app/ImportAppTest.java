package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.export.NginxImporter;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** File → Import nginx.conf: the topology opens in the editor, unsaved, and the report lists what the lab did not map. */
@ExtendWith(ApplicationExtension.class)
class ImportAppTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        fixture = new LiveWindowFixture(stage, DefaultScenario.load(), dir.resolve("home"));
        window = fixture.window;
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        fixture.close(robot, TIMEOUT_SECONDS);
    }

    @Test
    void importOpensTheTopologyInTheEditorAndShowsTheReport(FxRobot robot) throws Exception {
        Menu file = window.menu().bar().getMenus().stream().filter(m -> m.getText().equals("File")).findFirst().orElseThrow();
        assertThat(file.getItems()).extracting(MenuItem::getId).contains("menu-import", "menu-export");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                events { worker_connections 512; }
                http {
                    gzip on;
                    upstream app { server 10.0.0.1:8080 weight=2; server 10.0.0.2:8080; }
                    server {
                        listen 8080;
                        location / { proxy_pass http://app; }
                    }
                }
                """);
        robot.interact(() -> window.menu().importNginx(conf, NginxImporter.Upstreams.TOMCAT));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#import-report").tryQuery().isPresent()).get());
        String lines = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#import-report-lines").queryAs(TextArea.class).getText()).get();
        assertThat(lines).contains("nginx.conf:3: `gzip on` is not modelled by the lab");
        String header = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#import-report").queryAs(DialogPane.class).getHeaderText()).get();
        assertThat(header).startsWith("Imported nginx.conf: ");
        Scenario s = WaitForAsyncUtils.asyncFx(() -> window.document().scenario()).get();
        assertThat(s.nodesOfKind(NodeKind.NGINX)).hasSize(1);
        assertThat(s.nodesOfKind(NodeKind.TOMCAT)).hasSize(2);
        assertThat(WaitForAsyncUtils.asyncFx(() -> window.document().file()).get()).as("an import opens unsaved").isNull();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> window.canvas().cardCount()).get()).isEqualTo(s.nodes().size());
        robot.interact(() -> robot.lookup("#import-report").queryAs(DialogPane.class).getScene().getWindow().hide());
    }

    @Test
    void aSyntaxErrorLeavesTheScenarioAndSaysFileLineColumn(FxRobot robot) throws Exception {
        Scenario before = WaitForAsyncUtils.asyncFx(() -> window.document().scenario()).get();
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "http {\n    server {\n        listen 8080\n    }\n}\n");
        robot.interact(() -> window.menu().importNginx(conf, NginxImporter.Upstreams.TOMCAT));
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#import-report").tryQuery().isPresent()).get());
        String text = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#import-report").queryAs(DialogPane.class).getContentText()).get();
        assertThat(text).startsWith("broken.conf:4:5: unexpected \"}\"");
        assertThat(WaitForAsyncUtils.asyncFx(() -> window.document().scenario()).get()).isEqualTo(before);
        robot.interact(() -> robot.lookup("#import-report").queryAs(DialogPane.class).getScene().getWindow().hide());
    }
}
