package dev.flowlab.app.canvas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.lab.NodeViewModel;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** At 1:1 a card shows its whole name beside its state badge: a long name wraps, it is never cut to "...". */
@ExtendWith(ApplicationExtension.class)
class NodeCardAppTest {

    @Start
    void start(Stage stage) {
        atlantafx.base.theme.PrimerLight theme = new atlantafx.base.theme.PrimerLight();
        javafx.application.Application.setUserAgentStylesheet(theme.getUserAgentStylesheet());
        VBox cards = new VBox(20);
        for (String[] n : List.of(new String[]{"dns", "DNS www.taobao.lab"}, new String[]{"lvs-1", "LVS 1 (master)"},
                new String[]{"lvs-2", "LVS 2 (backup director of the pair)"})) {
            NodeKind kind = n[0].startsWith("dns") ? NodeKind.DNS : NodeKind.LVS;
            cards.getChildren().add(new NodeCard(new NodeViewModel(new NodeSpec(n[0], kind, n[1], null, null, null))));
        }
        Scene scene = new Scene(cards, 400, 600);
        scene.getStylesheets().add(NodeCard.class.getResource("/dev/flowlab/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void longNames_wrapBesideTheStateBadge_noneEndsInAnEllipsis(FxRobot robot) {
        robot.interact(() -> {
            List<Label> names = robot.lookup(".node-label").queryAllAs(Label.class).stream().toList();
            assertThat(names).hasSize(3);
            for (Label l : names) {
                for (Node t : l.lookupAll(".text")) {
                    assertThat(((Text) t).getText()).as(l.getText()).doesNotContain("...").doesNotContain("…");
                }
            }
        });
    }
}
