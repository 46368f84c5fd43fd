package dev.flowlab.app;

import dev.flowlab.app.canvas.TopologyView;
import dev.flowlab.app.lab.LabViewModel;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * The main window's content: a toolbar (Start, Stop), the topology, a status line. Binds to a
 * {@link LabViewModel} and polls it for live figures ten times a second while the lab runs, so
 * the engine's updates reach the UI in one batch per tick.
 */
public final class MainWindow {
    static final Duration REFRESH_PERIOD = Duration.millis(100);
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private static final PseudoClass RUNNING = PseudoClass.getPseudoClass("running");

    private final LabViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final TopologyView topology;
    private final Timeline refresher;

    public MainWindow(LabViewModel viewModel) {
        this.viewModel = viewModel;
        root.getStyleClass().add("main-window");

        Button start = new Button("Start", new FontIcon(MaterialDesignP.PLAY));
        start.setId("start-button");
        start.getStyleClass().addAll("start-button", "accent");
        start.disableProperty().bind(viewModel.busyProperty().or(viewModel.runningProperty()));
        start.setOnAction(e -> viewModel.start());
        Button stop = new Button("Stop", new FontIcon(MaterialDesignS.STOP));
        stop.setId("stop-button");
        stop.getStyleClass().add("stop-button");
        stop.disableProperty().bind(viewModel.busyProperty().or(viewModel.runningProperty().not()));
        stop.setOnAction(e -> viewModel.stop());
        Label scenarioName = new Label(viewModel.scenario().name());
        scenarioName.getStyleClass().add("scenario-name");
        root.setTop(new ToolBar(start, stop, new Separator(Orientation.VERTICAL), scenarioName));

        topology = new TopologyView(viewModel.scenario(), viewModel.nodes());
        ScrollPane scroller = new ScrollPane(topology);
        scroller.getStyleClass().add("topology-scroller");
        scroller.setFitToWidth(true);
        scroller.setFitToHeight(true);
        root.setCenter(scroller);

        Label status = new Label();
        status.setId("status-line");
        status.getStyleClass().add("status-text");
        status.textProperty().bind(viewModel.statusProperty());
        // A start error is shown in full (it names the node and address), never cut short.
        status.setWrapText(true);
        HBox statusBar = new HBox(status);
        statusBar.getStyleClass().add("status-bar");
        root.setBottom(statusBar);
        status.pseudoClassStateChanged(ERROR, viewModel.failedProperty().get());
        viewModel.failedProperty().addListener((obs, was, now) -> status.pseudoClassStateChanged(ERROR, now));
        viewModel.runningProperty().addListener((obs, was, now) -> status.pseudoClassStateChanged(RUNNING, now));

        refresher = new Timeline(new KeyFrame(REFRESH_PERIOD, e -> viewModel.refresh()));
        refresher.setCycleCount(Animation.INDEFINITE);
        viewModel.runningProperty().addListener((obs, was, now) -> {
            if (now) {
                refresher.play();
            } else {
                refresher.stop();
            }
        });
    }

    public Parent root() {
        return root;
    }

    public TopologyView topology() {
        return topology;
    }

    public LabViewModel viewModel() {
        return viewModel;
    }

    /** Stops polling the lab (the window closed). */
    public void stopRefreshing() {
        refresher.stop();
    }
}
