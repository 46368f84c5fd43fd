package dev.flowlab.app.script;

import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;

/**
 * The live panels' "Script" tab: the fault script's steps with what became of each, Play / Pause /
 * Restart, the script's clock, and a row to add a step (action, node, time). Play is offered while
 * the lab runs; the lab's stop pauses the script and its next Start begins from a restart.
 */
public final class FaultScriptView extends VBox {
    /** The node actions a script step may take (the lab's own and keepalived's). */
    static final List<String> ACTIONS = List.of("kill", "stop", "start", "restart", "kill-service", "kill-keepalived",
            "start-keepalived", "partition", "heal");
    private static final javafx.util.Duration TICK = javafx.util.Duration.millis(100);

    private final FaultScript script;
    private final Timeline ticker;

    /**
     * @param nodeIds the scenario's node ids now (the node choice is refilled from it when the add row is used)
     * @param running whether the lab runs (Play needs it)
     */
    public FaultScriptView(FaultScript script, Supplier<List<String>> nodeIds, ObservableBooleanValue running) {
        this.script = script;
        setId("fault-script");
        getStyleClass().add("fault-script");
        ticker = new Timeline(new KeyFrame(TICK, e -> script.tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
        script.stateProperty().addListener((o, was, now) -> {
            if (now == FaultScript.State.PLAYING) {
                ticker.play();
            } else {
                ticker.stop();
            }
        });

        Button play = new Button("Play", new FontIcon(MaterialDesignP.PLAY));
        play.setId("script-play");
        play.setTooltip(new Tooltip("Play the script against the running lab: each step runs when the script's clock reaches it"));
        play.disableProperty().bind(Bindings.createBooleanBinding(() -> !running.get()
                        || script.getState() == FaultScript.State.PLAYING || script.getState() == FaultScript.State.DONE
                        || script.rows().isEmpty(),
                running, script.stateProperty(), script.rows()));
        play.setOnAction(e -> script.play());
        Button pause = new Button("Pause", new FontIcon(MaterialDesignP.PAUSE));
        pause.setId("script-pause");
        pause.disableProperty().bind(script.stateProperty().isNotEqualTo(FaultScript.State.PLAYING));
        pause.setOnAction(e -> script.pause());
        Button restart = new Button("Restart", new FontIcon(MaterialDesignR.RESTART));
        restart.setId("script-restart");
        restart.setTooltip(new Tooltip("Back to +0 s with every step pending (nodes stay as they are: add a start step to bring one back)"));
        restart.disableProperty().bind(script.stateProperty().isEqualTo(FaultScript.State.READY));
        restart.setOnAction(e -> script.restart());
        Label clock = new Label();
        clock.setId("script-clock");
        clock.getStyleClass().add("script-clock");
        clock.textProperty().bind(Bindings.createStringBinding(() -> script.clockProperty().get() + " · "
                + script.getState().name().toLowerCase(java.util.Locale.ROOT), script.clockProperty(), script.stateProperty()));
        clock.setMinWidth(Region.USE_PREF_SIZE);
        ToolBar bar = new ToolBar(play, pause, restart, clock);

        ListView<FaultScript.Row> list = new ListView<>(script.rows());
        list.setId("script-steps");
        list.setPlaceholder(new Label("No steps: add one below (kill tomcat-2 at 5s, start it at 15s), "
                + "or give the scenario a script"));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FaultScript.Row row, boolean empty) {
                super.updateItem(row, empty);
                textProperty().unbind();
                if (empty || row == null) {
                    setText(null);
                } else {
                    textProperty().bind(Bindings.createStringBinding(() -> row.describe()
                            + (row.getOutcome().isEmpty() ? "" : "   — " + row.getOutcome()), row.outcomeProperty()));
                }
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        ChoiceBox<String> action = new ChoiceBox<>(FXCollections.observableArrayList(ACTIONS));
        action.setId("script-action");
        action.setValue("kill");
        ChoiceBox<String> node = new ChoiceBox<>();
        node.setId("script-node");
        ChoiceBox<String> peer = new ChoiceBox<>();
        peer.setId("script-peer");
        peer.visibleProperty().bind(action.valueProperty().isEqualTo("partition"));
        peer.managedProperty().bind(peer.visibleProperty());
        Runnable refillNodes = () -> {
            List<String> ids = nodeIds.get();
            String was = node.getValue();
            node.getItems().setAll(ids);
            peer.getItems().setAll(ids);
            node.setValue(ids.contains(was) ? was : ids.isEmpty() ? null : ids.get(0));
        };
        refillNodes.run();
        node.setOnShowing(e -> refillNodes.run());
        TextField at = new TextField("5s");
        at.setId("script-at");
        at.setPrefColumnCount(5);
        at.setTooltip(new Tooltip("When, from the script's start: 5s, 1.5s, 500ms"));
        Label problem = new Label();
        problem.setId("script-problem");
        problem.getStyleClass().add("script-problem");
        Button add = new Button("Add step");
        add.setId("script-add");
        add.setOnAction(e -> {
            try {
                Duration when = FaultScript.parseAt(at.getText());
                if (node.getValue() == null) {
                    throw new IllegalArgumentException("choose a node");
                }
                Map<String, String> params = "partition".equals(action.getValue()) && peer.getValue() != null
                        ? Map.of("peer", peer.getValue()) : Map.of();
                script.add(new ScriptStep(when, action.getValue(), node.getValue(), params));
                problem.setText("");
            } catch (IllegalArgumentException ex) {
                problem.setText(ex.getMessage());
            }
        });
        Button remove = new Button("Remove");
        remove.setId("script-remove");
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> script.remove(list.getSelectionModel().getSelectedItem()));
        HBox addRow = new HBox(6, new Label("At"), at, action, node, peer, add, remove, problem);
        addRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        addRow.getStyleClass().add("script-add-row");

        getChildren().addAll(bar, list, addRow);
        // The lab stopped: the script holds where it was; the next run starts it from the top.
        running.addListener((o, was, now) -> {
            if (!now) {
                script.pause();
            } else {
                script.restart();
            }
        });
    }

    public FaultScript script() {
        return script;
    }
}
