package dev.flowlab.app;

import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.topology.TopologyProblem;
import java.util.stream.Collectors;
import javafx.scene.control.Alert;
import javafx.stage.Window;

/** Start with a reason when refused: the lab view-model checks the topology, this shows the list. */
final class RunControl {
    private final LabViewModel lab;

    RunControl(LabViewModel lab) {
        this.lab = lab;
    }

    void start(Window owner) {
        lab.start();
        if (!lab.startRefusal().isEmpty()) {
            Alert refused = new Alert(Alert.AlertType.WARNING);
            refused.initOwner(owner);
            refused.setTitle("Cannot start the lab");
            refused.setHeaderText("The topology cannot run: " + lab.startRefusal().size()
                    + (lab.startRefusal().size() == 1 ? " problem" : " problems"));
            refused.setContentText(lab.startRefusal().stream().map(TopologyProblem::message).collect(Collectors.joining("\n• ", "• ", "")));
            refused.getDialogPane().setId("start-refused");
            refused.show();
        }
    }

    void stop() {
        lab.stop();
    }

    LabViewModel lab() {
        return lab;
    }
}
