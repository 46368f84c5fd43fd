package dev.flowlab.app.animate;

import dev.flowlab.visit.Visit;
import javafx.scene.control.Tooltip;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.topology.Scenario;
import dev.flowlab.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The live view, self-contained so it can sit on any topology canvas: the canvas with a
 * {@link ParticleLayer} and a {@link BadgeOverlay} on top, a toolbar (pause, playback speed, step
 * mode, the legend, the frame meter), and tabs for the trace inspector, step mode, the event log and
 * the charts. Engine frames reach the FX thread in batches: at most one {@code runLater} pending at
 * a time, at 10 Hz; the particles take the newest frame on their own timer.
 */
public final class LiveView extends BorderPane {
    private static final PseudoClass FLASH = PseudoClass.getPseudoClass("flash");
    private static final int MAX_QUEUED_FRAMES = 50;
    /** Where the particle layer draws its legend (top left): link labels keep off it when they can. */
    private static final javafx.geometry.Bounds LEGEND = new javafx.geometry.BoundingBox(10, 10, 250, 64);
    /** How much of the bottom right the frame meter's line may take. */
    private static final double METER_WIDTH = ParticleLayer.METER_WIDTH;
    private static final double METER_HEIGHT = 20;

    private final ParticleLayer particles;
    private final BadgeOverlay badges;
    private final LinkLabels linkLabels;
    private final TraceInspector inspector = new TraceInspector();
    private final ShopSearch search = new ShopSearch(this::showVisit, text -> inspector.setStatus(text));
    private final Label pageSummary = new Label("Search the shop while the lab runs: the page it returns shows here.");
    private final TextArea pageSource = new TextArea();
    private final javafx.scene.control.Button pageOpen = new javafx.scene.control.Button("Open in browser");
    private java.util.function.Consumer<String> browserOpener;
    private Visit shownVisit;
    private final EventLogModel eventLog;
    private final MetricsHistory history = new MetricsHistory();
    private final ChartsPane charts;
    private final LiveNodes nodeList;
    private final Label legend = new Label();
    private final Label drops = new Label();
    private final Label stepTitle = new Label("Step mode: pause live traffic, send one request, step through it.");
    private final TextArea stepDetail = new TextArea();
    private final ToggleButton stepMode = new ToggleButton("Step mode");
    private final TabPane tabs = new TabPane();
    /** Every tab while {@link #showOnlyPanel} shows one; null when all are shown. */
    private java.util.List<Tab> allTabs;
    private final ConcurrentLinkedQueue<ActivityFrame> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final SimpleDoubleProperty stepProgress = new SimpleDoubleProperty();
    private LiveSession session;
    private Runnable unsubscribe;
    private StepModel steps;
    /** True while the replay's chooser is filled (its selection then is not the user's). */
    private boolean fillingRecorded;
    private Timeline stepAnimation;
    private String lastLegend;
    private final VBox panels;
    private javafx.beans.value.ObservableBooleanValue chartsShown;

    /** The standalone layout (the demo): the topology scrolls, the toolbar above, the tabs to its right. */
    public LiveView(Scenario scenario, Node topology, LinkGeometry links, NodeBounds nodes, long originNanos) {
        this(scenario, topology, links, nodes, originNanos, true);
    }

    /**
     * The layout for the editor's window: this view is only the canvas with the particle and badge
     * layers over it, filling its space (the canvas pans and zooms itself, so no scroller); the
     * toolbar and tabs are {@link #panels()}, for the window to place.
     */
    public static LiveView aroundEditor(Scenario scenario, Region canvas, LinkGeometry links, NodeBounds nodes, long originNanos) {
        return new LiveView(scenario, canvas, links, nodes, originNanos, false);
    }

    private LiveView(Scenario scenario, Node topology, LinkGeometry links, NodeBounds nodes, long originNanos, boolean standalone) {
        getStyleClass().add("live-view");
        setId("live-view");
        nodeList = new LiveNodes(scenario);
        particles = new ParticleLayer(links, nodes);
        badges = new BadgeOverlay(nodes);
        linkLabels = new LinkLabels(links, nodes);
        eventLog = new EventLogModel(originNanos);
        eventLog.followNodes(nodeList);
        charts = new ChartsPane(history, nodeList);

        Pane canvas = standalone ? new Pane(topology, particles, linkLabels, badges)
                : new StackPane(topology, particles, linkLabels, badges);
        canvas.getStyleClass().add("live-canvas");
        if (!standalone) {
            // The stack pane stretches the layers over the canvas; their own size must not push it.
            for (Region layer : new Region[]{particles, linkLabels, badges}) {
                layer.setMinSize(0, 0);
                layer.setPrefSize(0, 0);
            }
        } else if (topology instanceof Region r) {
            for (Region layer : new Region[]{particles, linkLabels, badges}) {
                layer.minWidthProperty().bind(r.widthProperty());
                layer.minHeightProperty().bind(r.heightProperty());
                layer.maxWidthProperty().bind(r.widthProperty());
                layer.maxHeightProperty().bind(r.heightProperty());
            }
        }
        canvas.setOnMouseClicked(e -> {
            String trace = particles.traceAt(e.getX(), e.getY());
            LiveSession clicked = session;
            if (trace != null && clicked != null && clicked.isReplay()) {
                // a replay knows the clicked request's every recorded event: its trace at once
                clicked.recordedTraces().request(trace).ifPresentOrElse(this::showRecorded, () -> {
                    particles.highlight(trace);
                    inspector.setStatus("Clicked request " + trace + " (ringed); the recording holds no client request for it.");
                });
                tabs.getSelectionModel().select(0);
            } else if (trace != null) {
                particles.highlight(trace);
                inspector.setStatus("Clicked request " + trace + " (ringed). Trace next request to see every hop.");
                tabs.getSelectionModel().select(0);
            }
        });
        ToolBar toolbar = toolbar();
        if (standalone) {
            ScrollPane scroller = new ScrollPane(canvas);
            scroller.getStyleClass().add("live-scroller");
            setCenter(scroller);
            setTop(toolbar);
        } else {
            setCenter(canvas);
        }

        stepDetail.setId("step-detail");
        stepDetail.setEditable(false);
        stepDetail.setPrefRowCount(12);
        Tab eventsTab = tab("Events", new EventLogView(eventLog));
        Tab chartsTab = tab("Charts", new ScrollPane(charts));
        tabs.getTabs().addAll(
                tab("Trace", inspector),
                tab("Step", stepPane()),
                eventsTab,
                chartsTab,
                tab("Page", pagePane()));
        tabs.setId("live-tabs");
        // A hidden table or chart is still laid out when its items change: the event log and the
        // charts take their data while their tab is shown (and catch up when it is selected), so
        // the frames of someone watching the canvas do not pay for them.
        eventLog.publishingProperty().bind(eventsTab.selectedProperty());
        chartsTab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                charts.refresh();
            }
        });
        chartsShown = chartsTab.selectedProperty();
        if (standalone) {
            tabs.setPrefWidth(620);
            setRight(tabs);
            panels = null;
        } else {
            VBox.setVgrow(tabs, Priority.ALWAYS);
            panels = new VBox(toolbar, tabs);
            panels.setId("live-panels");
            panels.getStyleClass().add("live-panels");
        }
        inspector.traceNextButton().setOnAction(e -> traceNext());
        inspector.traceNextButton().setDisable(true);
        inspector.recordedChooser().setOnShowing(e -> fillRecorded(null));
        inspector.recordedChooser().valueProperty().addListener((o, was, now) -> {
            if (!fillingRecorded && now != null) {
                showRecorded(now);
            }
        });
    }

    private static Tab tab(String name, Node content) {
        Tab t = new Tab(name, content);
        t.setClosable(false);
        t.setId("tab-" + name.toLowerCase(Locale.ROOT));
        return t;
    }

    private ToolBar toolbar() {
        ToggleButton pause = new ToggleButton("Pause");
        pause.setId("live-pause");
        pause.selectedProperty().bindBidirectional(particles.pausedProperty());
        Slider speed = new Slider(0.1, 2, 1);
        speed.setId("live-speed");
        speed.setPrefWidth(120);
        particles.playbackSpeedProperty().bind(speed.valueProperty());
        Label speedText = new Label();
        speedText.textProperty().bind(speed.valueProperty().asString(Locale.ROOT, "speed x%.1f"));
        Slider slow = new Slider(1, 200, particles.field().slowMotion());
        slow.setId("live-slow-motion");
        slow.setPrefWidth(100);
        slow.valueProperty().addListener((o, was, now) -> particles.field().slowMotion(now.doubleValue()));
        stepMode.setId("step-mode");
        stepMode.selectedProperty().addListener((o, was, now) -> stepModeChanged(now));
        CheckBox meter = new CheckBox("frame meter");
        meter.setId("meter-toggle");
        meter.selectedProperty().bindBidirectional(particles.meterVisibleProperty());
        legend.setId("live-legend");
        legend.getStyleClass().add("live-legend");
        drops.setId("live-drops");
        drops.getStyleClass().add("live-drops");
        return new ToolBar(pause, speed, speedText, new Label("slow motion"), slow, stepMode,
                new Separator(Orientation.VERTICAL), legend, drops, meter);
    }

    /** The page a search returned: what it is, its bytes as the stack sent them, and a way to open it in a real browser. */
    private VBox pagePane() {
        pageSummary.setId("page-summary");
        pageSummary.setWrapText(true);
        pageSource.setId("page-source");
        pageSource.setEditable(false);
        pageSource.setWrapText(true);
        pageSource.setPrefRowCount(12);
        pageOpen.setId("page-open");
        pageOpen.setDisable(true);
        pageOpen.setTooltip(new Tooltip("Open the same search in the system browser through the lab's front door (a new request)"));
        pageOpen.setOnAction(e -> {
            String url = frontDoorUrl();
            if (url != null && browserOpener != null) {
                browserOpener.accept(url);
            }
        });
        HBox top = new HBox(8, pageOpen, pageSummary);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, top, pageSource);
        VBox.setVgrow(pageSource, Priority.ALWAYS);
        box.setId("page-pane");
        return box;
    }

    /** Where a real browser reaches the shown search: the lab's front door (its address: the lab's names are not in the OS's DNS). */
    private String frontDoorUrl() {
        LiveSession s = session;
        Visit v = shownVisit;
        if (s == null || v == null || s.isReplay()) {
            return null;
        }
        var entry = s.lab().httpEntry();
        if (entry.isEmpty()) {
            return null;
        }
        java.net.InetSocketAddress a = s.lab().serviceAddress(entry.get().id());
        return a == null ? null : "http://" + dev.flowlab.runtime.TcpServerNode.hostPort(a) + v.page().path();
    }

    /** How "Open in browser" opens a URL (the app's HostServices); unset: the button does nothing. */
    public void setBrowserOpener(java.util.function.Consumer<String> opener) {
        this.browserOpener = opener;
        pageOpen.setDisable(opener == null || shownVisit == null);
    }

    /** The search box, for the window to place ("Search the shop"). */
    public ShopSearch search() {
        return search;
    }

    /**
     * FX thread: shows a browser visit: the trace inspector on its page (the DNS lookup first, each
     * asset in the chooser) with the why of every hop, the page's bytes in the Page tab, and the
     * page's trace ready in step mode.
     */
    public void showVisit(Visit visit) {
        shownVisit = visit;
        inspector.showVisit(visit);
        Visit.Fetch page = visit.page();
        inspector.setStatus("Searched \"" + visit.keyword() + "\": " + visit.fetches().size() + " requests, each traced");
        particles.highlight(page.traceId());
        String html = page.bodyText();
        pageSummary.setText(page.status() + " " + (page.contentType() == null ? "" : page.contentType()) + ", "
                + page.body().length + " B from " + visit.url() + (page.servedBy() == null ? "" : ", rendered by " + page.servedBy())
                + "; " + visit.assets().size() + " assets: " + visit.assets().stream()
                        .map(a -> a.path() + " " + a.status() + (a.header("x-cache-status") == null ? "" : " " + a.header("x-cache-status")))
                        .collect(java.util.stream.Collectors.joining(", ")));
        pageSource.setText(html);
        // The visit's own events go to the event log whole (the live frames carry only a sample), each with its why.
        List<dev.flowlab.event.LabEvent> events = new java.util.ArrayList<>();
        for (Visit.Fetch f : visit.fetches()) {
            if (f.trace() != null) {
                events.addAll(f.trace().events());
            }
        }
        events.sort(java.util.Comparator.comparingLong(dev.flowlab.event.LabEvent::nanos));
        eventLog.add(events);
        pageOpen.setDisable(browserOpener == null);
        if (page.trace() != null) {
            steps = StepModel.of(page.trace());
            if (stepMode.isSelected()) {
                playStep();
            } else {
                stepTitle.setText("The search is traced: turn on step mode and press Forward to follow it hop by hop.");
            }
        }
        tabs.getSelectionModel().select(0);
    }

    /** The visit shown last, or null. */
    public Visit shownVisit() {
        return shownVisit;
    }

    private VBox stepPane() {
        Button send = new Button("Send one request");
        send.setId("step-send");
        send.setOnAction(e -> sendOneStep());
        Button back = new Button("◀ Back");
        back.setId("step-back");
        back.setOnAction(e -> {
            if (steps != null && steps.back()) {
                playStep();
            }
        });
        Button forward = new Button("Forward ▶");
        forward.setId("step-forward");
        forward.setOnAction(e -> {
            if (steps != null && steps.forward()) {
                playStep();
            }
        });
        stepTitle.setId("step-title");
        stepTitle.setWrapText(true);
        HBox buttons = new HBox(6, send, back, forward);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, buttons, stepTitle, stepDetail);
        VBox.setVgrow(stepDetail, Priority.ALWAYS);
        box.setId("step-pane");
        return box;
    }

    /** FX thread: watches a session's frames and traces (null: detached). */
    public void attach(LiveSession session) {
        detach();
        this.session = session;
        if (session == null) {
            return;
        }
        nodeList.setRunning(session.scenario());
        // a replay has nothing to search or trace: no lab runs
        search.setSession(session.isReplay() ? null : session);
        // A new run: the last one's events go, and times count from this run's start.
        eventLog.startRun(session.openedNanos());
        // a replay traces the recorded requests: nothing runs, the recording has their events
        inspector.traceNextButton().setDisable(false);
        inspector.replayMode(session.isReplay());
        unsubscribe = session.subscribe(this::onFrame);
        particles.start();
    }

    public void detach() {
        eventLog.flush();
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        session = null;
        search.setSession(null);
        nodeList.setRunning(null);
        inspector.traceNextButton().setDisable(true);
        inspector.replayMode(false);
        particles.stop();
        linkLabels.clear();
        // Frames already queued belong to the session that just ended.
        frames.clear();
        queued.set(0);
        badges.clear();
        legend.setText("");
        lastLegend = null;
    }

    /** FX thread: shows the frames handed over so far now, without waiting for the queued pass (an export's frame). */
    public void drawNow() {
        drainFrames();
    }

    /** The canvas with the particles, link labels and badges over it: what an export draws. */
    public Region canvasView() {
        return (Region) getCenter();
    }

    /** On the aggregator's thread: queue it, and ask the FX thread once. */
    private void onFrame(ActivityFrame frame) {
        particles.accept(frame);
        if (queued.incrementAndGet() > MAX_QUEUED_FRAMES) {
            // The FX thread is behind: keep the newest, as the particles do.
            frames.poll();
            queued.decrementAndGet();
        }
        frames.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            Platform.runLater(this::drainFrames);
        }
    }

    private void drainFrames() {
        drainScheduled.set(false);
        if (session == null) {
            frames.clear();
            queued.set(0);
            return;
        }
        ActivityFrame f;
        ActivityFrame last = null;
        boolean newSecond = false;
        while ((f = frames.poll()) != null) {
            queued.decrementAndGet();
            eventLog.add(f.events());
            newSecond |= history.add(f);
            last = f;
        }
        if (last == null) {
            return;
        }
        badges.show(last.nodes());
        List<javafx.geometry.Bounds> keepOff = new ArrayList<>(badges.zones());
        keepOff.add(LEGEND);
        if (particles.meterVisibleProperty().get()) {
            keepOff.add(new javafx.geometry.BoundingBox(linkLabels.getWidth() - METER_WIDTH, linkLabels.getHeight() - METER_HEIGHT,
                    METER_WIDTH, METER_HEIGHT));
        }
        linkLabels.show(last.links(), nodeList.ids(), keepOff);
        if (newSecond && chartsShown.get()) {
            charts.refresh();
        }
        String text = particles.legend();
        legend.setText(text);
        if (lastLegend != null && !lastLegend.equals(text)) {
            flashLegend();
        }
        lastLegend = text;
        drops.setText(String.format(Locale.ROOT, "events %d seen · %d lost by this view", last.eventsSeen(), last.eventsDropped()));
    }

    private void flashLegend() {
        legend.pseudoClassStateChanged(FLASH, true);
        Timeline off = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1.5), e -> legend.pseudoClassStateChanged(FLASH, false)));
        off.play();
    }

    /** Turns step mode on (a lesson's "open step mode" button). */
    public void openStepMode() {
        stepMode.setSelected(true);
    }

    /** Marks the next request and shows its trace when it is back. */
    public void traceNext() {
        LiveSession s = session;
        if (s == null) {
            return;
        }
        if (s.isReplay()) {
            traceRecorded();
            return;
        }
        inspector.setStatus("Waiting for the next request…");
        s.traces().traceNext(Duration.ofSeconds(10)).whenComplete((trace, error) -> Platform.runLater(() -> {
            if (error != null) {
                inspector.setStatus("No trace: " + (error.getCause() != null ? error.getCause().getMessage() : error.getMessage()));
                return;
            }
            showTrace(trace);
        }));
    }

    /**
     * FX thread, in a replay: shows the trace of the first recorded request that starts at or after
     * the replay's position, rebuilt from the recording; returns it (null when none starts later).
     */
    public dev.flowlab.record.RecordedTraces.RecordedTrace traceRecorded() {
        LiveSession s = session;
        if (s == null || !s.isReplay()) {
            return null;
        }
        long at = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(s.player().positionMillis());
        var request = s.recordedTraces().firstAtOrAfter(at);
        if (request.isEmpty()) {
            inspector.setStatus(String.format(Locale.ROOT, "No recorded request starts at or after %.1f s; "
                    + "move the timeline back, or choose one.", s.player().positionMillis() / 1000.0));
            return null;
        }
        fillRecorded(request.get());
        return showRecorded(request.get());
    }

    /** Fills the replay's chooser with the recorded requests around the position, {@code select}ed (or none). */
    private void fillRecorded(dev.flowlab.record.RecordedTraces.Request select) {
        LiveSession s = session;
        if (s == null || !s.isReplay()) {
            return;
        }
        long at = select != null ? select.startNanos()
                : java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(s.player().positionMillis());
        fillingRecorded = true;
        try {
            var chooser = inspector.recordedChooser();
            chooser.getItems().setAll(s.recordedTraces().around(at, 5, 15));
            chooser.setValue(select);
        } finally {
            fillingRecorded = false;
        }
    }

    private dev.flowlab.record.RecordedTraces.RecordedTrace showRecorded(dev.flowlab.record.RecordedTraces.Request request) {
        LiveSession s = session;
        if (s == null || !s.isReplay()) {
            return null;
        }
        var rebuilt = s.recordedTraces().trace(request.traceId()).orElse(null);
        if (rebuilt == null) {
            return null;
        }
        inspector.show(rebuilt);
        inspector.setStatus(String.format(Locale.ROOT, "Recorded request at %.3f s%s", request.startNanos() / 1e9,
                rebuilt.complete() ? "" : " (incomplete: see why)"));
        particles.highlight(request.traceId());
        steps = StepModel.of(rebuilt.trace());
        if (stepMode.isSelected()) {
            playStep();
        } else {
            stepTitle.setText("The recorded request is traced: turn on step mode and press Forward to follow it hop by hop.");
        }
        return rebuilt;
    }

    private void showTrace(Trace trace) {
        inspector.show(trace);
        inspector.setStatus("Traced " + trace.traceId());
        particles.highlight(trace.traceId());
    }

    private void stepModeChanged(boolean on) {
        if (on) {
            particles.pausedProperty().set(true);
            tabs.getSelectionModel().select(1);
            stepTitle.setText("Live traffic paused. Send one request, then step through it.");
            particles.showStep(null);
            particles.field().clear();
            if (steps != null) {
                stepTitle.setText("Live traffic paused. Forward steps through the last traced search; or send one request.");
            }
        } else {
            if (stepAnimation != null) {
                stepAnimation.stop();
            }
            steps = null;
            particles.showStep(null);
            particles.pausedProperty().set(false);
        }
    }

    private void sendOneStep() {
        LiveSession s = session;
        if (s == null) {
            return;
        }
        if (!stepMode.isSelected()) {
            stepMode.setSelected(true);
        }
        if (s.isReplay()) {
            // nothing to send: the next recorded request, step by step
            if (traceRecorded() == null) {
                stepTitle.setText("No recorded request after this moment.");
            }
            return;
        }
        stepTitle.setText("Sending one request…");
        s.traces().traceNext(Duration.ofSeconds(10)).whenComplete((trace, error) -> Platform.runLater(() -> {
            if (error != null) {
                stepTitle.setText("No request: " + error.getMessage());
                return;
            }
            showTrace(trace);
            steps = StepModel.of(trace);
            playStep();
        }));
    }

    private void playStep() {
        StepModel.Step step = steps == null ? null : steps.current();
        if (step == null) {
            return;
        }
        stepTitle.setText((steps.indexProperty().get() + 1) + "/" + steps.steps().size() + " · " + step.layer() + " · " + step.title());
        stepDetail.setText(step.detail());
        if (stepAnimation != null) {
            stepAnimation.stop();
        }
        stepProgress.set(0);
        stepAnimation = new Timeline(
                new KeyFrame(javafx.util.Duration.ZERO, new KeyValue(stepProgress, 0)),
                new KeyFrame(javafx.util.Duration.millis(700 / Math.max(0.1, particles.playbackSpeedProperty().get())),
                        new KeyValue(stepProgress, 1)));
        stepAnimation.currentTimeProperty().addListener((o, was, now) -> particles.showStep(new ParticleLayer.StepDot(
                step.from(), step.to(), stepProgress.get(), step.title(), step.kind(), step.outcome())));
        stepAnimation.play();
    }

    /** The toolbar and the tabs when made {@link #aroundEditor}; empty in the standalone layout (they are inside). */
    /** Adds a tab to the live panels (the window's fault script), after the view's own. */
    public void addPanel(String name, Node content) {
        Tab t = tab(name, content);
        tabs.getTabs().add(t);
        if (allTabs != null) {
            allTabs.add(t);
        }
    }

    /** The live panels' tab names, in order (all of them, also while only one is shown). */
    public java.util.List<String> panelNames() {
        return (allTabs != null ? allTabs : tabs.getTabs()).stream().map(Tab::getText).toList();
    }

    /**
     * Shows only the panel named {@code name} (the first when there is none by that name), selected;
     * null shows every panel again, in their order (presentation mode keeps one panel).
     */
    public void showOnlyPanel(String name) {
        if (name == null) {
            if (allTabs != null) {
                Tab selected = tabs.getSelectionModel().getSelectedItem();
                tabs.getTabs().setAll(allTabs);
                allTabs = null;
                tabs.getSelectionModel().select(selected);
            }
            return;
        }
        if (allTabs == null) {
            allTabs = new java.util.ArrayList<>(tabs.getTabs());
        }
        Tab keep = allTabs.stream().filter(t -> t.getText().equals(name)).findFirst().orElse(allTabs.get(0));
        tabs.getTabs().setAll(keep);
        tabs.getSelectionModel().select(keep);
    }

    /** Selects the panel named {@code name} (ignored when there is none). */
    public void selectPanel(String name) {
        tabs.getTabs().stream().filter(t -> t.getText().equals(name)).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    public java.util.Optional<Region> panels() {
        return java.util.Optional.ofNullable(panels);
    }

    public ParticleLayer particles() {
        return particles;
    }

    public BadgeOverlay badges() {
        return badges;
    }

    public LinkLabels linkLabels() {
        return linkLabels;
    }

    public TraceInspector inspector() {
        return inspector;
    }

    public EventLogModel eventLog() {
        return eventLog;
    }

    /** The nodes the panels list; the window tells it when the editor's topology changes. */
    public LiveNodes nodes() {
        return nodeList;
    }

    public ChartsPane charts() {
        return charts;
    }

    public StepModel steps() {
        return steps;
    }

    public LiveSession session() {
        return session;
    }
}
