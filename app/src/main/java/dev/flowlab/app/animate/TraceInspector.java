package dev.flowlab.app.animate;

import dev.flowlab.explain.Explanations;
import dev.flowlab.explain.VisitStory;
import dev.flowlab.visit.Visit;
import javafx.scene.control.ComboBox;

import dev.flowlab.event.RpcFrameCapture;
import dev.flowlab.record.RecordedTraces;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceHop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The trace inspector: "Trace next request", then a waterfall with one row per hop (DNS lookup,
 * the client, the director's layer-4 choice, each proxy, the Tomcat) with its timing bar, duration
 * and connection; selecting a row shows the headers as they were at that hop and what its events
 * said. Behind the gateway's protocol conversion a hop speaks RPC: its row is tagged {@code RPC}
 * and the RPC frame section beside the details ({@code #trace-rpc-frame}) shows each frame it
 * wrote or read, field by field, with a hex dump of its first bytes. Rows have the style class
 * {@code trace-hop} and ids {@code trace-hop-<i>}.
 *
 * <p>In a recording's replay ({@link #replayMode}) the button is "Trace a request" (the first
 * recorded request at or after the replay's position) and a chooser ({@code #trace-recorded}) lists
 * the recorded requests around the current moment (time, method, path, status); the trace shown is
 * rebuilt from the recorded events, its first why lines saying what the recording lacks of it.
 */
public final class TraceInspector extends VBox {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final double BAR_WIDTH = 160;

    private final Button traceNext = new Button("Trace next request");
    private final Label status = new Label("Follow one real request through every hop.");
    private final Label summary = new Label();
    private final VBox waterfall = new VBox(2);
    private final TextArea details = new TextArea();
    private final TextArea rpcFrames = new TextArea();
    private final ScrollPane rowsScroller;
    private final VBox rpcSection;
    private final ComboBox<String> requests = new ComboBox<>();
    private final ComboBox<RecordedTraces.Request> recorded = new ComboBox<>();
    private final VBox why = new VBox(1);
    private final ScrollPane whyScroller = new ScrollPane(why);
    private Trace shown;
    private HBox selectedRow;
    /** The visit shown (its requests in the chooser), or null for a single trace. */
    private Visit visit;
    private VisitStory story;

    public TraceInspector() {
        setId("trace-inspector");
        getStyleClass().add("trace-inspector");
        setSpacing(6);
        traceNext.setId("trace-next");
        traceNext.getStyleClass().add("accent");
        status.setId("trace-status");
        status.getStyleClass().add("trace-status");
        summary.setId("trace-summary");
        summary.getStyleClass().add("trace-summary");
        waterfall.setId("trace-waterfall");
        details.setId("trace-details");
        details.setEditable(false);
        details.setWrapText(false);
        details.getStyleClass().add("trace-details");
        details.setPrefRowCount(14);
        rpcFrames.setId("trace-rpc-frame");
        rpcFrames.setEditable(false);
        rpcFrames.setWrapText(false);
        rpcFrames.getStyleClass().addAll("trace-details", "trace-rpc-frame");
        rpcFrames.setPrefRowCount(14);
        Label rpcTitle = new Label("RPC frame (after the gateway's protocol conversion)");
        rpcTitle.getStyleClass().add("trace-rpc-title");
        VBox.setVgrow(rpcFrames, Priority.ALWAYS);
        rpcSection = new VBox(2, rpcTitle, rpcFrames);
        rpcSection.setId("trace-rpc-section");
        rpcSection.managedProperty().bind(rpcSection.visibleProperty());
        rpcSection.setVisible(false);
        HBox.setHgrow(details, Priority.ALWAYS);
        HBox.setHgrow(rpcSection, Priority.ALWAYS);
        // The frame's fields and bytes side by side need the room more than the hop's notes.
        details.setPrefWidth(260);
        rpcSection.setPrefWidth(880);
        HBox detailRow = new HBox(6, details, rpcSection);
        ScrollPane rows = new ScrollPane(waterfall);
        rowsScroller = rows;
        rows.setFitToWidth(true);
        rows.setPrefViewportHeight(170);
        requests.setId("trace-request");
        requests.setPromptText("request of the visit");
        requests.managedProperty().bind(requests.visibleProperty());
        requests.setVisible(false);
        requests.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> {
            if (visit != null && now.intValue() >= 0 && now.intValue() < visit.fetches().size()) {
                showRequest(now.intValue());
            }
        });
        recorded.setId("trace-recorded");
        recorded.setPromptText("recorded requests around now");
        recorded.managedProperty().bind(recorded.visibleProperty());
        recorded.setVisible(false);
        recorded.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(RecordedTraces.Request r) {
                return r == null ? "" : r.label();
            }

            @Override
            public RecordedTraces.Request fromString(String s) {
                return null;
            }
        });
        why.setId("trace-why");
        why.getStyleClass().add("trace-why");
        whyScroller.setFitToWidth(true);
        whyScroller.setPrefViewportHeight(150);
        whyScroller.getStyleClass().add("trace-why-scroller");
        HBox top = new HBox(8, traceNext, recorded, requests, status);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(detailRow, Priority.ALWAYS);
        getChildren().addAll(top, summary, whyScroller, rows, detailRow);
    }

    /** FX thread: scrolls the waterfall so hop {@code index}'s row is in view (a long trace is taller than its pane). */
    public void reveal(int index) {
        javafx.scene.Node row = waterfall.lookup("#trace-hop-" + index);
        if (row == null) {
            return;
        }
        double content = waterfall.getBoundsInLocal().getHeight();
        double viewport = rowsScroller.getViewportBounds().getHeight();
        if (content <= viewport) {
            return;
        }
        double y = row.getBoundsInParent().getMinY();
        rowsScroller.setVvalue(Math.max(0, Math.min(1, y / (content - viewport))));
    }

    public Button traceNextButton() {
        return traceNext;
    }

    /** The replay's chooser of recorded requests (hidden unless {@link #replayMode} is on). */
    public ComboBox<RecordedTraces.Request> recordedChooser() {
        return recorded;
    }

    /** FX thread: a replay's inspector offers the recorded requests; off: the live "Trace next request". */
    public void replayMode(boolean on) {
        traceNext.setText(on ? "Trace a request" : "Trace next request");
        recorded.setVisible(on);
        if (!on) {
            recorded.getItems().clear();
        }
    }

    /**
     * FX thread: shows a trace rebuilt from a recording: the first why lines say what the recording
     * holds of it (incomplete, no headers), then the why of each hop.
     */
    public void show(RecordedTraces.RecordedTrace recordedTrace) {
        show(recordedTrace.trace());
        List<String> lines = new ArrayList<>();
        RecordedTraces.Request r = recordedTrace.request();
        lines.add("Recorded request" + (r == null ? "" : " " + r.label()) + ", rebuilt from the recording's events"
                + (recordedTrace.complete() ? "" : " (incomplete)"));
        lines.addAll(recordedTrace.notes());
        lines.addAll(whyLines());
        setWhy(lines);
    }

    public void setStatus(String text) {
        status.setText(text);
    }

    public Trace shown() {
        return shown;
    }

    /** FX thread: shows one traced request, the first hop selected, and the why of each hop. */
    public void show(Trace trace) {
        visit = null;
        story = null;
        requests.setVisible(false);
        requests.getItems().clear();
        showTrace(trace);
        List<String> lines = new ArrayList<>();
        for (TraceHop h : trace.hops()) {
            lines.addAll(Explanations.of(h, trace));
        }
        setWhy(lines);
    }

    /**
     * FX thread: shows a browser visit: the chooser lists its requests (the page, then each asset),
     * the page's trace first (the DNS lookup leads it), and the why of every hop of the chosen one.
     */
    public void showVisit(Visit v) {
        visit = v;
        story = VisitStory.of(v);
        List<String> items = new ArrayList<>();
        for (VisitStory.Request r : story.requests()) {
            items.add(r.headline());
        }
        requests.getItems().setAll(items);
        requests.setVisible(true);
        requests.getSelectionModel().select(0);
        showRequest(0);
    }

    /** The visit shown, or null. */
    public Visit visit() {
        return visit;
    }

    private void showRequest(int i) {
        Visit.Fetch f = visit.fetches().get(i);
        if (f.trace() != null) {
            showTrace(f.trace());
        }
        VisitStory.Request r = story.requests().get(i);
        List<String> lines = new ArrayList<>();
        lines.add(r.headline());
        if (i == 0 && story.dns() != null) {
            lines.add(story.dns());
        }
        for (VisitStory.Hop h : r.hops()) {
            lines.addAll(h.why());
        }
        setWhy(lines);
    }

    private void setWhy(List<String> lines) {
        why.getChildren().clear();
        for (String l : lines) {
            Label line = new Label(l);
            line.setWrapText(true);
            line.getStyleClass().add("trace-why-line");
            why.getChildren().add(line);
        }
    }

    /** The why lines shown, in order (for tests and the step mode). */
    public List<String> whyLines() {
        List<String> out = new ArrayList<>();
        for (javafx.scene.Node n : why.getChildren()) {
            out.add(((Label) n).getText());
        }
        return out;
    }

    private void showTrace(Trace trace) {
        this.shown = trace;
        waterfall.getChildren().clear();
        selectedRow = null;
        double total = Math.max(1, trace.durationNanos());
        summary.setText(String.format(Locale.ROOT, "GET %s -> %d in %.1f ms · %d hops · %s", trace.path(), trace.status(),
                trace.durationNanos() / 1e6, trace.hops().size(), trace.traceId()));
        for (int i = 0; i < trace.hops().size(); i++) {
            TraceHop hop = trace.hops().get(i);
            HBox row = row(i, hop, trace.startNanos(), total);
            waterfall.getChildren().add(row);
            if (i == 0) {
                select(row, hop);
            }
        }
    }

    private HBox row(int index, TraceHop hop, long origin, double total) {
        Label node = new Label(hop.node());
        node.getStyleClass().add("hop-node");
        node.setMinWidth(72);
        Label action = new Label(hop.layer() + " " + abbreviate(hop.action(), 32));
        action.getStyleClass().add("hop-action");
        action.setMinWidth(170);
        action.setMaxWidth(170);
        Pane track = new Pane();
        track.getStyleClass().add("hop-track");
        track.setMinWidth(BAR_WIDTH);
        track.setPrefWidth(BAR_WIDTH);
        track.setMaxWidth(BAR_WIDTH);
        Region bar = new Region();
        bar.getStyleClass().addAll("hop-bar", "layer-" + hop.layer().name().toLowerCase(Locale.ROOT));
        double offset = Math.max(0, (hop.startNanos() - origin) / total) * BAR_WIDTH;
        double width = Math.max(2, hop.durationNanos() / total * BAR_WIDTH);
        bar.setLayoutX(Math.min(offset, BAR_WIDTH - 2));
        bar.setLayoutY(3);
        bar.setPrefSize(Math.min(width, BAR_WIDTH - Math.min(offset, BAR_WIDTH - 2)), 12);
        track.getChildren().add(bar);
        Label duration = new Label(String.format(Locale.ROOT, "%.2f ms", hop.durationNanos() / 1e6));
        duration.getStyleClass().add("hop-duration");
        duration.setMinWidth(64);
        Label status = new Label(hop.status() == 0 ? "" : Integer.toString(hop.status()));
        status.getStyleClass().add("hop-status");
        status.setMinWidth(30);
        Label conn = new Label(hop.connection() == null ? "" : hop.connection());
        conn.getStyleClass().add("hop-connection");
        HBox row = new HBox(6, node, action, track, duration, status, conn);
        if (!hop.frames().isEmpty()) {
            // Inside the action's fixed width, so the timing bars stay aligned.
            Label rpc = new Label("RPC");
            rpc.getStyleClass().add("hop-rpc");
            action.setGraphic(rpc);
        }
        row.setAlignment(Pos.CENTER_LEFT);
        row.setId("trace-hop-" + index);
        row.getStyleClass().add("trace-hop");
        row.setOnMouseClicked(e -> select(row, hop));
        return row;
    }

    private void select(HBox row, TraceHop hop) {
        if (selectedRow != null) {
            selectedRow.pseudoClassStateChanged(SELECTED, false);
        }
        selectedRow = row;
        row.pseudoClassStateChanged(SELECTED, true);
        details.setText(describe(hop, shown));
        rpcSection.setVisible(!hop.frames().isEmpty());
        rpcFrames.setText(describeFrames(hop));
    }

    /** The RPC frame section's text for the selected hop ({@code ""} when it spoke none). */
    public String rpcFrameText() {
        return rpcSection.isVisible() ? rpcFrames.getText() : "";
    }

    static String describe(TraceHop hop) {
        return describe(hop, null);
    }

    static String describe(TraceHop hop, Trace trace) {
        StringBuilder s = new StringBuilder();
        s.append(hop.node()).append(" (").append(hop.kind()).append(", ").append(hop.layer()).append(")\n");
        for (String w : Explanations.of(hop, trace)) {
            s.append("why: ").append(w).append('\n');
        }
        s.append(hop.action()).append('\n');
        if (hop.connection() != null) {
            s.append("connection: ").append(hop.connection()).append('\n');
        }
        s.append(String.format(Locale.ROOT, "time here: %.3f ms%n", hop.durationNanos() / 1e6));
        for (String n : hop.notes()) {
            s.append("· ").append(n).append('\n');
        }
        for (TraceHop.Captured c : hop.captured()) {
            s.append("\n--- ").append(c.what()).append(" (").append(c.connection()).append(")\n").append(c.text()).append('\n');
        }
        return s.toString();
    }

    /** Every RPC frame the hop wrote or read, in order. */
    static String describeFrames(TraceHop hop) {
        StringBuilder s = new StringBuilder();
        for (RpcFrameCapture f : hop.frames()) {
            if (!s.isEmpty()) {
                s.append('\n');
            }
            s.append(describeFrame(f));
        }
        return s.toString();
    }

    /** Field lines are cut at this many characters, so the bytes beside them stay in view. */
    static final int FIELD_COLUMN = 56;

    /**
     * One frame: what happened to it, then its fields decoded in wire order beside its first bytes
     * (a protocol analyser's two panes, side by side: the inspector is wide and short).
     */
    static String describeFrame(RpcFrameCapture f) {
        StringBuilder s = new StringBuilder(1024);
        s.append("=== RPC ").append(f.what()).append(" · ").append(f.frameBytes()).append(" B on the wire");
        if (f.connection() != null) {
            s.append(" · ").append(f.connection());
        }
        s.append('\n');
        List<String> fields = frameFields(f);
        List<String> bytes = new ArrayList<>();
        bytes.add(String.format(Locale.ROOT, "first %d of %d bytes:", f.head().length, f.frameBytes()));
        bytes.addAll(List.of(f.hexDump().split("\n")));
        for (int i = 0; i < Math.max(fields.size(), bytes.size()); i++) {
            String left = i < fields.size() ? abbreviate(fields.get(i), FIELD_COLUMN) : "";
            if (i < bytes.size()) {
                s.append(String.format(Locale.ROOT, "%-" + FIELD_COLUMN + "s  %s", left, bytes.get(i)));
            } else {
                s.append(left);
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static List<String> frameFields(RpcFrameCapture f) {
        List<String> out = new ArrayList<>();
        byte[] head = f.head();
        String magic = head.length >= 2 ? String.format(Locale.ROOT, "0x%02x%02x", head[0] & 0xFF, head[1] & 0xFF) : "?";
        out.add(String.format(Locale.ROOT, "%-12s%s v%d %s(%d) length %d", "header", magic, f.version(), f.type(),
                f.isRequest() ? 1 : 2, Math.max(0, f.frameBytes() - 8)));
        out.add(String.format(Locale.ROOT, "%-12s%d (correlation id)", "requestId", f.requestId()));
        out.add(String.format(Locale.ROOT, "%-12s%s", "traceId", f.traceId().isEmpty() ? "(none)" : f.traceId()));
        if (f.isRequest()) {
            out.add(String.format(Locale.ROOT, "%-12s%s", "method", f.method()));
            out.add(String.format(Locale.ROOT, "%-12s%s", "service", f.path()));
            entries(out, "params", f.params());
        } else {
            out.add(String.format(Locale.ROOT, "%-12s%d", "status", f.status()));
        }
        entries(out, "attachments", f.attachments());
        if (f.omittedEntries() > 0) {
            out.add("  (" + f.omittedEntries() + " more not kept)");
        }
        out.add(String.format(Locale.ROOT, "%-12s%d B", "body", f.bodyBytes()));
        return out;
    }

    private static void entries(List<String> out, String name, Map<String, String> m) {
        out.add(String.format(Locale.ROOT, "%-12s%d", name, m.size()));
        m.forEach((k, v) -> out.add("  " + k + ": " + v));
    }

    static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
