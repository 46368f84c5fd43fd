package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.files.LibraryEntry;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** File → Open Library lists the library with each scenario's first sentence and opens one; Help → Keys lists the shortcuts. */
@ExtendWith(ApplicationExtension.class)
class LibraryAndKeysAppTest {
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
    void openLibrary_listsEveryScenarioWithItsFirstSentence_andOpensTheChosenOne(FxRobot robot) throws Exception {
        List<String> names = ScenarioLibrary.names();
        assertThat(names).contains("02-nginx-tomcats", "default");
        robot.interact(() -> menuItem("menu-open-library").fire());
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> robot.lookup("#library-list").tryQuery().isPresent()).get());
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<LibraryEntry> list = robot.lookup("#library-list").queryAs(javafx.scene.control.ListView.class);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> list.getItems().size() == names.size());
        for (LibraryEntry e : List.copyOf(list.getItems())) {
            Scenario s = ScenarioLibrary.load(e.name());
            assertThat(e.summary()).as(e.name()).isNotBlank().isEqualTo(LibraryEntry.firstSentence(s.description()));
            assertThat(s.description()).startsWith(e.summary());
            assertThat(e.title()).isEqualTo(s.name());
        }

        robot.clickOn("#library-02-nginx-tomcats");
        robot.clickOn("Open");
        Scenario expected = ScenarioLibrary.load("02-nginx-tomcats");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> expected.equals(window.document().scenario()));
        assertThat(window.document().file()).as("a library scenario opens unsaved").isNull();
        assertThat(robot.lookup("#library-list").tryQuery()).as("the dialog closed").isEmpty();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.canvas().cardCount()).isEqualTo(expected.nodes().size());
    }

    @Test
    void helpKeys_listsTheShortcuts_nextToAbout(FxRobot robot) {
        Menu help = window.menu().bar().getMenus().stream().filter(m -> m.getText().equals("Help")).findFirst().orElseThrow();
        assertThat(help.getItems()).extracting(MenuItem::getId).containsExactly("menu-lessons", "menu-keys", "menu-about");
        robot.interact(() -> menuItem("menu-keys").fire());
        WaitForAsyncUtils.waitForFxEvents();
        GridPane table = robot.lookup("#keys-table").queryAs(GridPane.class);
        List<String> texts = table.getChildren().stream().map(n -> ((Label) n).getText()).toList();
        assertThat(texts).contains("Ctrl+N / O / S", "new, open, save", "F5 / Shift+F5", "start, stop the lab", "Ctrl+0 / Ctrl+1");
        assertThat(texts).hasSize(2 * KeysBox.KEYS.size());
        robot.interact(() -> table.getScene().getWindow().hide());
    }

    @Test
    void helpAbout_showsVersionCommitJdkJavafxNettyAndTransport(FxRobot robot) {
        robot.interact(() -> menuItem("menu-about").fire());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup("#about").queryAs(javafx.scene.control.DialogPane.class);
        String text = pane.getContentText();
        assertThat(pane.getHeaderText()).startsWith("Request Flow Lab ");
        assertThat(text).containsPattern("Version \\S+ · commit \\S+");
        assertThat(text).contains("JDK " + System.getProperty("java.version"));
        assertThat(text).containsPattern("JavaFX 21\\.");
        assertThat(text).containsPattern("Netty 4\\.\\d+\\.\\d+\\S* · transport (epoll|NIO)");
        robot.interact(() -> pane.getScene().getWindow().hide());
    }

    private MenuItem menuItem(String id) {
        return window.menu().bar().getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(i -> id.equals(i.getId())).findFirst().orElseThrow(() -> new AssertionError("no menu item " + id));
    }
}
