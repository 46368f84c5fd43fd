package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.live.NodeBadge;
import java.util.List;
import javafx.geometry.BoundingBox;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A badge that has just changed (its border thickens to 3 px) still shows every line in full. */
@ExtendWith(ApplicationExtension.class)
class BadgeOverlayAppTest {
    private BadgeOverlay overlay;

    @Start
    void start(Stage stage) {
        // A narrow card (the default topology's Tomcats at fit), so the badge wraps.
        overlay = new BadgeOverlay(id -> new BoundingBox(10, 80, 140, 60));
        Pane root = new Pane(overlay);
        Scene scene = new Scene(root, 400, 300);
        scene.getStylesheets().add(LiveView.class.getResource("live.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aServerJustMarkedDown_readsInFull_notCutToAnEllipsis(FxRobot robot) {
        robot.interact(() -> overlay.show(List.of(new NodeBadge("tomcat-1", "tomcat", "running", null, 3, 1, 12.5, 0, null))));
        robot.interact(() -> overlay.show(List.of(new NodeBadge("tomcat-1", "tomcat", "running", null, 3, 1, 12.5, 0.25, "gateway-1"))));
        robot.interact(() -> {
            Label badge = robot.lookup("#live-badge-tomcat-1").queryAs(Label.class);
            assertThat(badge.getText()).startsWith("marked down by\u00a0gateway-1\n");
            assertThat(badge.getPseudoClassStates().toString()).contains("changed");
            for (Node n : badge.lookupAll(".text")) {
                String shown = ((Text) n).getText();
                assertThat(shown).as("the badge as drawn").doesNotContain("...").doesNotContain("…");
            }
            assertThat(badge.getHeight()).isGreaterThanOrEqualTo(badge.prefHeight(badge.getWidth()) - 0.5);
        });
    }
}
