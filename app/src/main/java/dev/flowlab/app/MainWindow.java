package dev.flowlab.app;

import dev.flowlab.app.canvas.EditorCanvas;
import dev.flowlab.app.edit.EditActions;
import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.app.files.FileViewModel;
import dev.flowlab.app.inspect.InspectorView;
import dev.flowlab.app.inspect.InspectorViewModel;
import dev.flowlab.app.lab.LabViewModel;
import dev.flowlab.app.animate.LiveSession;
import dev.flowlab.app.animate.LiveSessions;
import dev.flowlab.app.animate.LiveView;
import dev.flowlab.app.animate.TopologyViewGeometry;
import dev.flowlab.app.palette.PaletteView;
import dev.flowlab.app.script.FaultScript;
import dev.flowlab.app.script.FaultScriptView;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;

/**
 * The main window: menus and toolbar on top, the palette, the canvas and the inspector side by
 * side, the problems list and the status line below. It only composes the views and connects
 * their view-models (document, selection, lab, files); each view binds to its own. While the lab
 * runs it polls it ten times a second, so the engine's updates reach the UI in one batch per tick.
 */
public final class MainWindow {
    static final Duration REFRESH_PERIOD = Duration.millis(100);
    static final Duration AUTOSAVE_PERIOD = Duration.seconds(10);
    private static final double LIVE_PANELS_DIVIDER = 0.65;
    /** The palette's and the property sheet's share: the sheet wide enough for "minSpareThreads (threads)" and "60s (default)". */
    private static final double[] SIDE_DIVIDERS = {0.12, 0.67};
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private static final PseudoClass RUNNING = PseudoClass.getPseudoClass("running");
    private static final PseudoClass REPLAY = PseudoClass.getPseudoClass("replay");

    private final LabViewModel viewModel;
    private final ScenarioDocument document;
    private final Selection selection = new Selection();
    private final EditActions edits;
    private final FileViewModel files;
    private final BorderPane root = new BorderPane();
    private final EditorCanvas canvas;
    private final Timeline refresher;
    private final Timeline autosaver;
    private final MainMenu menu;
    private final InspectorViewModel inspectorModel;

    private final LiveView live;
    private final FaultScript script;
    private final Presentation presentation;
    private final RunControl run;
    private ToggleButton livePanelsToggle;
    private VBox bottom;
    /** The recording being replayed (File > Open Recording), or null. */
    private dev.flowlab.app.animate.ReplayBar replay;
    private LiveSession replaySession;
    private final javafx.beans.property.BooleanProperty replayShown = new javafx.beans.property.SimpleBooleanProperty(this, "replayShown");
    /** The Record toggle: while the lab runs, writes it to {@link #recordingsDir}. */
    private final ToggleButton record = new ToggleButton("Record");
    private final Label recordStatus = new Label();
    private java.nio.file.Path recordingsDir = dev.flowlab.app.files.AppHome.dir().resolve("recordings");
    private volatile dev.flowlab.record.Recorder recorder;

    /** Start, as the toolbar's button does (a refusal shows its list). */
    void startLab() {
        run.start(root.getScene().getWindow());
    }

    /** A window whose lab opens no live sessions (tests that drive the lab with another traffic driver). */
    public MainWindow(LabViewModel viewModel, ScenarioDocument document, FileViewModel files) {
        this(viewModel, document, files, new LiveSessions(Runnable::run));
    }

    /** A window that shows each session {@code sessions} hands over (the lab's {@code LiveTrafficDriver}) on its canvas. */
    public MainWindow(LabViewModel viewModel, ScenarioDocument document, FileViewModel files, LiveSessions sessions) {
        this.viewModel = viewModel;
        this.document = document;
        this.files = files;
        this.edits = new EditActions(document, selection);
        root.getStyleClass().add("main-window");

        // The lab's node view-models first: the canvas looks its cards' models up there.
        document.scenarioProperty().addListener((obs, was, now) -> viewModel.setScenario(now));
        viewModel.setScenario(document.scenario());
        canvas = new EditorCanvas(document, selection, viewModel::node);
        canvas.setNodeMenu(new NodeMenus(viewModel, edits)::menuFor);
        RunControl run = new RunControl(viewModel);
        this.run = run;
        // The particles and badges sit over the canvas, mouse-transparent; the geometry goes
        // through scene coordinates, so they follow the canvas's pan and zoom.
        TopologyViewGeometry geometry = new TopologyViewGeometry(canvas::card, canvas);
        live = LiveView.aroundEditor(document.scenario(), canvas, geometry, geometry, System.nanoTime());
        // A replay drives the badges from the recording, not the cards' own figures (nothing runs): the
        // cards leave the figures to the badges rather than show a stopped lab's zeros under them.
        replayShown.addListener((obs, was, now) -> canvas.pseudoClassStateChanged(REPLAY, now));
        // A node action while recording (the node menu, a presenter's script) is a fault in the recording, as lab run's --kill is.
        viewModel.setOnNodeAction((at, action, node, params, failure) -> {
            dev.flowlab.record.Recorder r = recorder;
            if (r != null) {
                r.fault(at, action, node, params, failure);
            }
        });
        // The panels' node lists follow the topology: another file, a node added, deleted or renamed.
        document.scenarioProperty().addListener((obs, was, now) -> live.nodes().setEdited(now));
        // The presenter's fault script (like the CLI's --kill NODE@TIME), played from the live panels.
        script = new FaultScript(System::nanoTime);
        script.setRunner(row -> viewModel.nodeAction(row.step().action(), row.step().node(), row.step().params(),
                why -> script.failed(row, why)));
        script.setSteps(document.scenario().scriptSteps());
        document.generationProperty().addListener((obs, was, now) -> script.setSteps(document.scenario().scriptSteps()));
        live.addPanel("Script", new FaultScriptView(script,
                () -> document.scenario().nodes().stream().map(dev.flowlab.topology.NodeSpec::id).toList(),
                viewModel.runningProperty()));
        Region livePanels = live.panels().orElseThrow();
        livePanels.setMinHeight(120);
        ToggleButton showLivePanels = new ToggleButton("Live panels", new FontIcon(MaterialDesignC.CHART_TIMELINE_VARIANT));
        showLivePanels.setId("live-panels-toggle");
        showLivePanels.setTooltip(new Tooltip("Show or hide the live view's panels: trace, step mode, events, charts"));

        ToggleButton showSidePanels = new ToggleButton("Side panels", new FontIcon(MaterialDesignD.DOCK_LEFT));
        showSidePanels.setId("side-panels-toggle");
        showSidePanels.setSelected(true);
        showSidePanels.setTooltip(new Tooltip("Show or hide the palette and the property sheet (the lab's run hides them, "
                + "so the canvas gets the window's width)"));


        PaletteView palette = new PaletteView(document, selection, canvas);
        ScrollPane paletteScroller = new ScrollPane(palette.root());
        paletteScroller.setFitToWidth(true);
        paletteScroller.getStyleClass().add("palette-scroller");
        inspectorModel = new InspectorViewModel(document, selection);
        InspectorView inspector = new InspectorView(inspectorModel, viewModel.runningProperty());
        SplitPane split = new SplitPane(paletteScroller, live, inspector.root());
        split.setDividerPositions(SIDE_DIVIDERS);
        SplitPane.setResizableWithParent(paletteScroller, false);
        SplitPane.setResizableWithParent(inspector.root(), false);
        // The inspector's fields would otherwise hold the editor row at their full height.
        split.setMinHeight(200);
        SplitPane workArea = new SplitPane(split);
        workArea.setOrientation(Orientation.VERTICAL);
        workArea.setId("work-area");
        showLivePanels.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                workArea.getItems().add(livePanels);
                // The split pane's skin gives new items their minimum on its next layout; place the
                // divider after it, then show the whole topology in the shorter canvas.
                Platform.runLater(() -> {
                    workArea.setDividerPositions(LIVE_PANELS_DIVIDER);
                    canvas.fitWhenLaidOut();
                });
            } else {
                workArea.getItems().remove(livePanels);
            }
        });
        showSidePanels.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                split.getItems().setAll(paletteScroller, live, inspector.root());
                split.setDividerPositions(SIDE_DIVIDERS);
            } else {
                split.getItems().setAll(live);
            }
            canvas.fitWhenLaidOut();
        });
        // A run gives the canvas the width (the toggle brings the panels back); Stop returns to editing.
        viewModel.runningProperty().addListener((obs, was, now) -> showSidePanels.setSelected(!now));
        root.setCenter(workArea);
        // New, Open or a recovery replaces the scenario the lab runs: the lab stops with it, so no
        // badge, dot or pill is left over cards that are gone.
        document.generationProperty().addListener((obs, was, now) -> stopForAnotherScenario());
        // While editing the canvas gets the whole height; a run opens the panels (the toggle hides them again).
        livePanelsToggle = showLivePanels;
        attachLive(sessions.currentProperty().get(), showLivePanels);
        sessions.currentProperty().addListener((obs, was, now) -> {
            if (now != null) {
                // a lab started: its live view replaces the replay
                closeReplay();
            }
            attachLive(now, showLivePanels);
        });

        ProblemsView problems = new ProblemsView(document, selection, files.loadProblems());
        Parent problemsRoot = problems.root();
        VBox bottom = new VBox(problemsRoot, statusBar());
        this.bottom = bottom;
        root.setBottom(bottom);
        presentation = new Presentation(new Presentation.Window() {
            @Override
            public Parent root() {
                return root;
            }

            @Override
            public void showProblems(boolean shown) {
                if (shown && !bottom.getChildren().contains(problemsRoot)) {
                    bottom.getChildren().add(0, problemsRoot);
                } else if (!shown) {
                    bottom.getChildren().remove(problemsRoot);
                }
            }

            @Override
            public void showSidePanels(boolean shown) {
                showSidePanels.setSelected(shown);
            }

            @Override
            public boolean sidePanelsShown() {
                return showSidePanels.isSelected();
            }

            @Override
            public void showOnlyPanel(String name) {
                live.showOnlyPanel(name);
                if (name != null) {
                    showLivePanels.setSelected(true);
                }
            }

            @Override
            public void refit() {
                canvas.fitWhenLaidOut();
            }
        });

        // The menus last: the View menu drives presentation mode.
        menu = new MainMenu(this, run);
        // "Search the shop" sits at the right of the menu bar, where the toolbar's width does not push it into overflow.
        HBox menuRow = new HBox(menu.bar(), live.search().node());
        HBox.setHgrow(menu.bar(), Priority.ALWAYS);
        menuRow.getStyleClass().add("menu-row");
        menuRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        root.setTop(new VBox(menuRow, toolbar(run, showSidePanels, showLivePanels)));

        refresher = new Timeline(new KeyFrame(REFRESH_PERIOD, e -> viewModel.refresh()));
        refresher.setCycleCount(Animation.INDEFINITE);
        viewModel.runningProperty().addListener((obs, was, now) -> {
            if (now) {
                refresher.play();
            } else {
                refresher.stop();
            }
        });
        autosaver = new Timeline(new KeyFrame(AUTOSAVE_PERIOD, e -> files.autosave()));
        autosaver.setCycleCount(Animation.INDEFINITE);
        autosaver.play();
    }

    private void stopForAnotherScenario() {
        if (viewModel.isRunning()) {
            viewModel.stop();
        } else if (viewModel.isBusy()) {
            // Starting: stop once the start is over, if it succeeded.
            javafx.beans.value.ChangeListener<Boolean> once = new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Boolean> obs, Boolean was, Boolean busy) {
                    if (!busy) {
                        viewModel.busyProperty().removeListener(this);
                        viewModel.stop();
                    }
                }
            };
            viewModel.busyProperty().addListener(once);
        }
        closeReplay();
        live.detach();
    }

    /**
     * FX thread: shows a recording with nothing running: the running lab stops, the canvas shows
     * the scenario as it ran (a new, unsaved document), the live view plays the recording's frames
     * and the timeline bar sits above the status bar.
     */
    public void openRecording(dev.flowlab.record.Recording recording) {
        // a new document: the lab stops and the last replay closes with it
        document.replace(recording.scenario(), null);
        dev.flowlab.record.Player player = new dev.flowlab.record.Player(recording);
        replaySession = LiveSession.replay(player);
        live.attach(replaySession);
        // the first frame: the moment the traffic started
        player.seek(0);
        livePanelsToggle.setSelected(true);
        replay = new dev.flowlab.app.animate.ReplayBar(player, () -> live.eventLog().startRun(0), this::closeReplay);
        replay.setOnExport(this::exportReplay);
        bottom.getChildren().add(bottom.getChildren().size() - 1, replay.root());
        replayShown.set(true);
    }

    /** True while a recording is replayed (File > Export Replay is offered then). */
    public javafx.beans.value.ObservableBooleanValue replayShownProperty() {
        return replayShown;
    }

    /** What draws the shown replay's frames for an export, or null when no recording is shown. */
    public dev.flowlab.app.export.ReplayRenderer replayRenderer() {
        return replay == null ? null : new dev.flowlab.app.export.ReplayRenderer(live, replay, canvas);
    }

    /** FX thread: File > Export Replay: the dialog, on the shown replay (nothing when none is shown). */
    public dev.flowlab.app.export.ExportDialog exportReplay() {
        dev.flowlab.app.export.ReplayRenderer renderer = replayRenderer();
        if (renderer == null) {
            return null;
        }
        return new dev.flowlab.app.export.ExportDialog(root.getScene() == null ? null : root.getScene().getWindow(), renderer).show();
    }

    /** The replay's timeline bar, or null when no recording is shown. */
    public dev.flowlab.app.animate.ReplayBar replay() {
        return replay;
    }

    /** FX thread: ends the replay, if one is shown. */
    public void closeReplay() {
        if (replay == null) {
            return;
        }
        replay.stop();
        bottom.getChildren().remove(replay.root());
        replay = null;
        if (live.session() == replaySession) {
            live.detach();
        }
        replaySession.close();
        replaySession = null;
        replayShown.set(false);
    }

    /** Where the Record toggle writes its recordings ({@code ~/.flowlab/recordings}; a test's folder). */
    void recordingsDir(java.nio.file.Path dir) {
        recordingsDir = dir;
    }

    /** The file being recorded, or null. */
    public java.nio.file.Path recordingFile() {
        return recorder == null ? null : recorder.file();
    }

    /** FX thread: the Record toggle turned on or off. */
    private void recordChanged(boolean on) {
        if (on && recorder == null) {
            LiveSession s = live.session();
            if (s == null || s.isReplay()) {
                record.setSelected(false);
                return;
            }
            // -Dflowlab.record=FILE: the first run goes to FILE from its start (a benchmark of the first Start, a bug report)
            String asked = firstRunFile;
            firstRunFile = null;
            java.nio.file.Path file = asked != null ? java.nio.file.Path.of(asked) : recordingsDir.resolve(java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")) + dev.flowlab.record.RecordingFormat.EXTENSION);
            try {
                recorder = dev.flowlab.record.Recorder.attach(s.lab(), file).begin();
                recordStatus.setText("Recording to " + file);
            } catch (java.io.IOException e) {
                record.setSelected(false);
                recordStatus.setText("Cannot record to " + file + ": " + e.getMessage());
            }
        } else if (!on) {
            stopRecording();
        }
    }

    /** Finishes the recording (its last frame and the file's close, off the FX thread), if one is under way. */
    private void stopRecording() {
        dev.flowlab.record.Recorder r = recorder;
        recorder = null;
        record.setSelected(false);
        if (r == null) {
            return;
        }
        recordStatus.setText("Finishing " + r.file().getFileName() + "…");
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                r.finish(null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((v, error) -> javafx.application.Platform.runLater(() -> {
            if (recorder != null) {
                return;
            }
            recordStatus.setText(error != null
                    ? "Recording " + r.file() + " failed: " + (error.getCause() != null ? error.getCause().getMessage() : error.getMessage())
                    : "Recorded " + r.file() + " (" + r.bytesWritten() / 1024 + " KiB): File > Open Recording replays it");
        }));
    }

    private void attachLive(LiveSession session, ToggleButton showLivePanels) {
        if (session == null || session.isReplay()) {
            // the lab stopped: its recording ends with it
            stopRecording();
        }
        if (session == null && replay != null) {
            // the lab stopped for a recording's replay, which has the view now
            return;
        }
        live.attach(session);
        if (session != null) {
            showLivePanels.setSelected(true);
            if (firstRunFile != null && !record.isSelected()) {
                record.setSelected(true);
            }
        }
    }

    /** {@code -Dflowlab.record=FILE}: where the first run is recorded from its start (null: only when the Record toggle asks). */
    private String firstRunFile = System.getProperty("flowlab.record");

    private ToolBar toolbar(RunControl run, ToggleButton showSidePanels, ToggleButton showLivePanels) {
        Button start = new Button("Start", new FontIcon(MaterialDesignP.PLAY));
        start.setId("start-button");
        start.getStyleClass().addAll("start-button", "accent");
        start.disableProperty().bind(viewModel.busyProperty().or(viewModel.runningProperty()));
        start.setOnAction(e -> run.start(root.getScene().getWindow()));
        start.setTooltip(new Tooltip("Start every node on loopback and send the scenario's traffic (F5)"));
        Button stop = new Button("Stop", new FontIcon(MaterialDesignS.STOP));
        stop.setId("stop-button");
        stop.getStyleClass().add("stop-button");
        stop.disableProperty().bind(viewModel.busyProperty().or(viewModel.runningProperty().not()));
        stop.setOnAction(e -> viewModel.stop());
        stop.setTooltip(new Tooltip("Stop the traffic and every node (Shift+F5)"));
        record.setId("record-toggle");
        record.setGraphic(new FontIcon(MaterialDesignR.RECORD_CIRCLE_OUTLINE));
        record.setTooltip(new Tooltip("Record the running lab to ~/.flowlab/recordings (File > Open Recording replays it)"));
        record.disableProperty().bind(viewModel.runningProperty().not());
        record.selectedProperty().addListener((obs, was, now) -> recordChanged(now));

        Button undo = iconButton("undo-button", new FontIcon(MaterialDesignU.UNDO), "Undo (Ctrl+Z)", edits::undo);
        undo.disableProperty().bind(document.undoLabelProperty().isNull());
        Button redo = iconButton("redo-button", new FontIcon(MaterialDesignR.REDO), "Redo (Ctrl+Shift+Z)", edits::redo);
        redo.disableProperty().bind(document.redoLabelProperty().isNull());
        Button delete = iconButton("delete-button", new FontIcon(MaterialDesignD.DELETE_OUTLINE), "Delete the selection (Delete)", edits::deleteSelection);
        Button fit = iconButton("fit-button", new FontIcon(MaterialDesignF.FIT_TO_PAGE_OUTLINE), "Fit the topology in view (Ctrl+0)", canvas::fitToView);
        Button zoomIn = iconButton("zoom-in-button", new FontIcon(MaterialDesignM.MAGNIFY_PLUS_OUTLINE), "Zoom in (Ctrl+=)", () -> canvas.zoomBy(1.25));
        Button zoomOut = iconButton("zoom-out-button", new FontIcon(MaterialDesignM.MAGNIFY_MINUS_OUTLINE), "Zoom out (Ctrl+-)", () -> canvas.zoomBy(0.8));
        Button alignLeft = iconButton("align-left-button", new FontIcon(MaterialDesignA.ALIGN_HORIZONTAL_LEFT), "Align left", () -> align(Edits.Alignment.LEFT));
        Button alignTop = iconButton("align-top-button", new FontIcon(MaterialDesignA.ALIGN_VERTICAL_TOP), "Align top", () -> align(Edits.Alignment.TOP));
        Button copy = iconButton("copy-button", new FontIcon(MaterialDesignC.CONTENT_COPY), "Copy (Ctrl+C)", edits::copy);

        Label scenarioName = new Label();
        scenarioName.setId("scenario-name");
        scenarioName.getStyleClass().add("scenario-name");
        scenarioName.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String name = document.scenario().name();
            return name == null || name.isBlank() ? "untitled" : name;
        }, document.scenarioProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(start, stop, record, new Separator(Orientation.VERTICAL), undo, redo, delete, copy,
                new Separator(Orientation.VERTICAL), alignLeft, alignTop,
                new Separator(Orientation.VERTICAL), zoomOut, zoomIn, fit, new Separator(Orientation.VERTICAL), scenarioName, spacer, showSidePanels, showLivePanels);
    }

    private static Button iconButton(String id, FontIcon icon, String tip, Runnable action) {
        Button b = new Button(null, icon);
        b.setId(id);
        b.getStyleClass().addAll("button-icon", "flat");
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    void align(Edits.Alignment how) {
        edits.align(how, canvas.positions(), canvas.sizes());
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status-line");
        status.getStyleClass().add("status-text");
        status.textProperty().bind(viewModel.statusProperty());
        // A start error is shown in full (it names the node and address), never cut short.
        status.setWrapText(true);
        status.pseudoClassStateChanged(ERROR, viewModel.failedProperty().get());
        viewModel.failedProperty().addListener((obs, was, now) -> status.pseudoClassStateChanged(ERROR, now));
        viewModel.runningProperty().addListener((obs, was, now) -> status.pseudoClassStateChanged(RUNNING, now));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label fileStatus = new Label();
        fileStatus.setId("file-status");
        fileStatus.getStyleClass().add("status-text");
        fileStatus.textProperty().bind(files.messageProperty());
        fileStatus.setMinWidth(Region.USE_PREF_SIZE);
        Label zoom = new Label();
        zoom.setId("zoom-figure");
        zoom.getStyleClass().addAll("status-text", "zoom-figure");
        zoom.setMinWidth(Region.USE_PREF_SIZE);
        zoom.textProperty().bind(canvas.zoomProperty().multiply(100).asString("%.0f%%"));
        recordStatus.setId("record-status");
        recordStatus.getStyleClass().add("status-text");
        recordStatus.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(status, spacer, recordStatus, fileStatus, zoom);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    public Parent root() {
        return root;
    }

    public EditorCanvas canvas() {
        return canvas;
    }

    /** The read-only name the first slice's tests use; the canvas is the topology now. */
    public EditorCanvas topology() {
        return canvas;
    }

    public LabViewModel viewModel() {
        return viewModel;
    }

    public ScenarioDocument document() {
        return document;
    }

    public Selection selection() {
        return selection;
    }

    public EditActions edits() {
        return edits;
    }

    public FileViewModel files() {
        return files;
    }

    /** The property sheet's field for {@code key} of what is selected (for tests and benchmarks). */
    public dev.flowlab.app.inspect.FieldModel viewModelInspectorField(String key) {
        return inspectorModel.field(key).orElseThrow(() -> new IllegalStateException("no field " + key));
    }

    /** The live view around the canvas: particles, badges, and the panels below it. */
    public LiveView live() {
        return live;
    }

    /** Presentation mode (F11): a larger UI, the canvas and one live panel. */
    public Presentation presentation() {
        return presentation;
    }

    /** The presenter's fault script (the live panels' Script tab). */
    public FaultScript script() {
        return script;
    }

    MainMenu menu() {
        return menu;
    }

    /** Stops polling the lab and autosaving (the window closed). */
    public void stopRefreshing() {
        refresher.stop();
        autosaver.stop();
        live.detach();
    }
}
