package dev.flowlab.app.animate;

import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The event log behind its view: the last {@link #CAPACITY} notable events (state changes, failures,
 * a sample of requests), filtered by node, kind, severity and a search text. FX thread only; the
 * frames bring the events in batches.
 */
public final class EventLogModel {
    public static final int CAPACITY = 5_000;
    public static final String ANY = "any";
    /** How often at most the shown rows change. */
    public static final long PUBLISH_EVERY_MILLIS = 250;

    public enum Severity {
        INFO, WARN, ERROR;

        public static Severity of(LabEvent e) {
            return switch (e.type()) {
                case NODE_KILLED, SERVER_DOWN, ERROR, TIMEOUT, CLIENT_ERROR, CONNECTION_REFUSED -> ERROR;
                case REJECTED, RETRY, NODE_STOPPED, VIP_MOVED, HA_STATE, FAULT_APPLIED, REQUEST_QUEUED -> WARN;
                default -> e.status() >= 500 ? ERROR : e.status() >= 400 ? WARN : INFO;
            };
        }
    }

    /** One row: the time since the lab's start and the event. */
    public record Row(long tMillis, LabEvent event, Severity severity) {
        /** The event's why in plain words, rendered from its fact (null: nothing to explain). Rendered on each call. */
        public String why() {
            return dev.flowlab.explain.Explanations.of(event);
        }

        public String text() {
            LabEvent e = event;
            return e.type().id() + " " + e.node() + (e.peer() == null ? "" : " -> " + e.peer())
                    + (e.status() == 0 ? "" : " " + e.status()) + (e.detail() == null ? "" : " " + e.detail())
                    + (e.traceId() == null ? "" : " trace " + e.traceId());
        }
    }

    /** Newest first. */
    private final ObservableList<Row> all = FXCollections.observableArrayList();
    private final FilteredList<Row> shown = new FilteredList<>(all, r -> true);
    private final StringProperty node = new SimpleStringProperty(this, "node", ANY);
    private final ObjectProperty<EventType> kind = new SimpleObjectProperty<>(this, "kind");
    private final ObjectProperty<Severity> minimumSeverity = new SimpleObjectProperty<>(this, "minimumSeverity", Severity.INFO);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObservableList<String> nodeChoices = FXCollections.observableArrayList(ANY);
    private long originNanos;
    /** Taken, not yet shown; oldest first. */
    private final List<Row> pending = new java.util.ArrayList<>();
    private long lastPublishNanos;
    private final java.util.function.LongSupplier clock;
    private final javafx.beans.property.BooleanProperty publishing = new javafx.beans.property.SimpleBooleanProperty(this, "publishing", true);

    public EventLogModel(long originNanos) {
        this(originNanos, System::nanoTime);
    }

    /** With the clock that paces the batches (tests drive it). */
    EventLogModel(long originNanos, java.util.function.LongSupplier clock) {
        this.originNanos = originNanos;
        this.clock = clock;
        this.lastPublishNanos = clock.getAsLong() - PUBLISH_EVERY_MILLIS * 1_000_000L;
        publishing.addListener((o, was, now) -> {
            if (now) {
                flush();
            }
        });
        node.addListener(o -> refilter());
        kind.addListener(o -> refilter());
        minimumSeverity.addListener(o -> refilter());
        search.addListener(o -> refilter());
    }

    /**
     * Takes a frame's events. The shown list changes at most every {@link #PUBLISH_EVERY_MILLIS}: every
     * change of a table's items re-lays out all its visible rows, and the frames come ten times a
     * second, so rows are published in batches (a learner reads no faster than that).
     */
    public void add(List<LabEvent> events) {
        // Newest first: what just happened is what a learner looks for.
        for (int i = 0; i < events.size(); i++) {
            LabEvent e = events.get(i);
            // An event stamped just before the run's start but delivered after it counts as at its start.
            pending.add(new Row(Math.max(0, e.nanos() - originNanos) / 1_000_000, e, Severity.of(e)));
        }
        if (pending.size() > CAPACITY) {
            pending.subList(0, pending.size() - CAPACITY).clear();
        }
        long now = clock.getAsLong();
        if (publishing.get() && now - lastPublishNanos >= PUBLISH_EVERY_MILLIS * 1_000_000L) {
            flush();
        }
    }

    /**
     * Whether taken rows are shown as they come (true by default); false keeps them (up to
     * {@link #CAPACITY}) until it turns true again, as when the log's tab is hidden.
     */
    public javafx.beans.property.BooleanProperty publishingProperty() {
        return publishing;
    }

    /**
     * A new run: the rows of the last one go, and times count from {@code originNanos} (the
     * run's start, on the events' clock).
     */
    public void startRun(long originNanos) {
        this.originNanos = originNanos;
        pending.clear();
        all.clear();
        lastPublishNanos = clock.getAsLong() - PUBLISH_EVERY_MILLIS * 1_000_000L;
    }

    /** Where times count from (for tests). */
    public long originNanos() {
        return originNanos;
    }

    /** Shows every row taken so far, now. */
    public void flush() {
        lastPublishNanos = clock.getAsLong();
        if (pending.isEmpty()) {
            return;
        }
        java.util.Collections.reverse(pending);
        all.addAll(0, pending);
        pending.clear();
        if (all.size() > CAPACITY) {
            all.remove(CAPACITY, all.size());
        }
    }

    /**
     * Keeps the node filter's choices ("any", then the nodes) in step with the topology. A filter
     * on a node still listed stays; on a renamed node it follows the new name; on a node gone it
     * falls back to "any".
     */
    public void followNodes(LiveNodes nodes) {
        setNodes(nodes.ids(), nodes::successor);
        nodes.ids().addListener((ListChangeListener<String>) c -> setNodes(nodes.ids(), nodes::successor));
    }

    private void setNodes(List<String> ids, UnaryOperator<String> successor) {
        String was = node.get();
        String keep = ANY.equals(was) ? null : successor.apply(was);
        List<String> choices = new ArrayList<>(ids.size() + 1);
        choices.add(ANY);
        choices.addAll(ids);
        if (!choices.equals(nodeChoices)) {
            nodeChoices.setAll(choices);
        }
        // Set after the choices: a combo box bound to them may clear its value while they change.
        node.set(keep == null ? ANY : keep);
    }

    /** The node filter's choices: {@link #ANY}, then the nodes. */
    public ObservableList<String> nodeChoices() {
        return nodeChoices;
    }

    private void refilter() {
        String n = node.get();
        EventType k = kind.get();
        Severity min = minimumSeverity.get();
        String q = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        shown.setPredicate(r -> (n == null || ANY.equals(n) || n.equals(r.event().node()) || n.equals(r.event().peer()))
                && (k == null || k == r.event().type())
                && r.severity().compareTo(min == null ? Severity.INFO : min) >= 0
                && (q.isEmpty() || r.text().toLowerCase(Locale.ROOT).contains(q)));
    }

    public ObservableList<Row> shown() {
        return shown;
    }

    /** The rows shown (after {@link #flush}), before filtering. */
    public int size() {
        return all.size();
    }

    public StringProperty nodeProperty() {
        return node;
    }

    public ObjectProperty<EventType> kindProperty() {
        return kind;
    }

    public ObjectProperty<Severity> minimumSeverityProperty() {
        return minimumSeverity;
    }

    public StringProperty searchProperty() {
        return search;
    }
}
