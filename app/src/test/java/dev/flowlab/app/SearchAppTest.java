package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.animate.EventLogModel;
import dev.flowlab.runtime.Lab;
import dev.flowlab.trace.TraceHop;
import dev.flowlab.visit.Visit;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** "Search the shop": type a keyword, press Enter, and the traced visit opens with the why of every hop. */
@ExtendWith(ApplicationExtension.class)
class SearchAppTest {
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path dir;

    private LiveWindowFixture fixture;
    private List<Lab> labs;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        // The default stack with light background traffic: on a busy test machine 200 rps could queue the search behind it.
        dev.flowlab.topology.Scenario scenario = DefaultScenario.load();
        scenario = scenario.withTraffic(new dev.flowlab.topology.Traffic("open", 20.0, null, null, scenario.traffic().mix()));
        fixture = new LiveWindowFixture(stage, scenario, dir.resolve("home"));
        labs = fixture.labs;
        window = fixture.window;
    }

    @AfterEach
    void close(FxRobot robot) throws InterruptedException {
        fixture.close(robot, TIMEOUT_SECONDS);
    }

    private static void writePng(javafx.scene.image.Image image, Path file) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        javafx.scene.image.PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        try {
            javax.imageio.ImageIO.write(out, "png", file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void typeAKeyword_pressEnter_theTraceOpensWithTheWhyOfEveryHop_andThePageShows(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#shop-search").queryAs(TextField.class).isDisabled()).as("disabled while editing").isTrue();
        robot.clickOn("#start-button");
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().session() != null);
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> !robot.lookup("#shop-search").queryAs(TextField.class).isDisabled()).get());

        robot.clickOn("#shop-search").write("phone").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> window.live().shownVisit() != null);
        WaitForAsyncUtils.waitForFxEvents();

        Visit visit = window.live().shownVisit();
        assertThat(visit.keyword()).isEqualTo("phone");
        assertThat(visit.page().status()).as("page error: %s", visit.page().error()).isEqualTo(200);
        assertThat(visit.assets()).hasSize(3);
        List<String> kinds = visit.page().hops().stream().map(TraceHop::kind).toList();
        assertThat(kinds).startsWith("dns", "client").contains("lvs", "nginx", "gateway", "tomcat");

        List<String> why = WaitForAsyncUtils.asyncFx(() -> window.live().inspector().whyLines()).get();
        assertThat(why.get(0)).startsWith("GET /search?q=phone -> 200 text/html");
        assertThat(why.get(1)).startsWith("DNS: www.taobao.lab -> ");
        assertThat(String.join("\n", why)).contains("lvs-1 (DR, wlc): ", "location / -> upstream", "gateway-1: route web",
                "a worker took it after", "(modelled: fixed 20 ms, not measured)");
        int rows = WaitForAsyncUtils.asyncFx(() -> robot.lookup(".trace-hop").queryAll().size()).get();
        assertThat(rows).isEqualTo(visit.page().hops().size());
        String details = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#trace-details").queryAs(TextArea.class).getText()).get();
        assertThat(details).as("the DNS hop is selected first").contains("why: DNS: www.taobao.lab -> ");

        // -Dflowlab.screenshot=FILE.png (through -Dtest.jvm.extra) writes the window as it is now: the README's picture.
        String shot = System.getProperty("flowlab.screenshot");
        if (shot != null) {
            // Taller, the panels given room, so the why lines and the waterfall both show.
            robot.interact(() -> {
                fixture.stage.setWidth(1400);
                fixture.stage.setHeight(1250);
            });
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> robot.lookup("#work-area").queryAs(javafx.scene.control.SplitPane.class).setDividerPositions(0.4));
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> writePng(window.root().getScene().snapshot(null), Path.of(shot)));
        }

        // Each asset is one entry of the chooser: picking the style sheet shows its trace and why.
        int requests = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#trace-request").queryAs(ComboBox.class).getItems().size()).get();
        assertThat(requests).isEqualTo(4);
        robot.interact(() -> robot.lookup("#trace-request").queryAs(ComboBox.class).getSelectionModel().select(1));
        List<String> css = WaitForAsyncUtils.asyncFx(() -> window.live().inspector().whyLines()).get();
        assertThat(css.get(0)).startsWith("GET /static/css/shop.css -> 200 text/css").containsPattern("served from disk by nginx-\\d");
        // location /static/ has a root: the file comes from the Nginx's disk every time, no proxy cache involved.
        assertThat(String.join("\n", css)).containsPattern("nginx-\\d: served shop.css from disk itself \\(200\\): no upstream involved")
                .doesNotContain("cache HIT", "cache MISS");

        // The page is the bytes the stack returned.
        String source = WaitForAsyncUtils.asyncFx(() -> robot.lookup("#page-source").queryAs(TextArea.class).getText()).get();
        assertThat(source).isEqualTo(visit.page().bodyText()).contains("results for &ldquo;phone&rdquo;");

        // The event log has the why of the visit's events.
        List<String> logged = WaitForAsyncUtils.asyncFx(() -> {
            window.live().eventLog().flush();
            return window.live().eventLog().shown().stream().map(EventLogModel.Row::why).filter(w -> w != null).toList();
        }).get();
        assertThat(logged).anyMatch(w -> w.startsWith("DNS: www.taobao.lab -> "));

        // A second search from the same browser.
        robot.clickOn("#shop-search").eraseText(5).write("tea").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> "tea".equals(window.live().shownVisit().keyword()));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> again = WaitForAsyncUtils.asyncFx(() -> window.live().inspector().whyLines()).get();
        // Within the TTL the client's cache answers (SearchVisitTest pins that with a clock); on a slow machine it may have run out.
        Visit second = window.live().shownVisit();
        assertThat(again.get(1)).contains(second.lookup().fromCache() ? "more seconds (TTL 10): the client's resolver answered"
                : "the client keeps it for its TTL 10 s");
    }
}
