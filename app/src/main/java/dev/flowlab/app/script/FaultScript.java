package dev.flowlab.app.script;

import dev.flowlab.topology.Durations;
import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The presenter's fault script, like the CLI's {@code --kill NODE@TIME}: timed node actions (kill
 * tomcat-2 at +5 s, start it at +15 s) played against the running lab, paused and restarted. The
 * clock is the script's own: it runs only while playing, so a pause holds every step where it is.
 * Time comes from an injected nanosecond source and advances on {@link #tick()}; a step is
 * handed to the runner once, when the script's time reaches it.
 */
public final class FaultScript {
    /** Where the script is. */
    public enum State { READY, PLAYING, PAUSED, DONE }

    /** One step and what became of it this play. */
    public static final class Row {
        private final ScriptStep step;
        private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper(this, "outcome", "");

        Row(ScriptStep step) {
            this.step = step;
        }

        public ScriptStep step() {
            return step;
        }

        /** Empty until played; then "applied at +5.0 s", or "failed: ..." once the lab says so. */
        public ReadOnlyStringProperty outcomeProperty() {
            return outcome.getReadOnlyProperty();
        }

        public String getOutcome() {
            return outcome.get();
        }

        /** "+5 s  kill tomcat-2" (with the peer of a partition). */
        public String describe() {
            String peer = step.params().get("peer");
            return "+" + Durations.format(step.at()) + "  " + step.action() + " " + step.node() + (peer == null ? "" : " / " + peer);
        }
    }

    /** What runs a step on the lab; it reports a failure back with {@link #failed(Row, String)}. */
    @FunctionalInterface
    public interface Runner {
        void run(Row row);
    }

    private final LongSupplier nanos;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.READY);
    private final ReadOnlyStringWrapper clock = new ReadOnlyStringWrapper(this, "clock", format(0));
    private Runner runner = row -> { };
    private long elapsedBeforeNanos;
    private long playingSinceNanos;
    private int next;

    public FaultScript(LongSupplier nanos) {
        this.nanos = nanos;
    }

    public void setRunner(Runner runner) {
        this.runner = runner;
    }

    /** Replaces the steps (another scenario, or the scenario's own script): the script is ready again. */
    public void setSteps(List<ScriptStep> steps) {
        List<Row> sorted = new ArrayList<>();
        steps.stream().sorted(Comparator.comparing(ScriptStep::at)).forEach(s -> sorted.add(new Row(s)));
        rows.setAll(sorted);
        restart();
    }

    /** Adds a step in time order; a step already in the script's past when added waits for the next restart. */
    public void add(ScriptStep step) {
        State was = state.get();
        long elapsed = elapsedNanos();
        List<Row> kept = new ArrayList<>(rows);
        Row added = new Row(step);
        kept.add(added);
        kept.sort(Comparator.comparing(r -> r.step().at()));
        rows.setAll(kept);
        // Steps before the script's time were either applied or (the new one) skipped this play.
        next = 0;
        while (next < rows.size() && rows.get(next).step().at().toNanos() <= elapsed && (was != State.READY)) {
            next++;
        }
        if (was != State.READY && step.at().toNanos() <= elapsed) {
            added.outcome.set("added after its time: plays on restart");
        }
        if (was == State.DONE && next < rows.size()) {
            state.set(State.PAUSED);
        }
    }

    public void remove(Row row) {
        int i = rows.indexOf(row);
        if (i < 0) {
            return;
        }
        rows.remove(i);
        if (i < next) {
            next--;
        }
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public List<ScriptStep> steps() {
        return rows.stream().map(Row::step).toList();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State getState() {
        return state.get();
    }

    /** The script's time, "+7.3 s". */
    public ReadOnlyStringProperty clockProperty() {
        return clock.getReadOnlyProperty();
    }

    public void play() {
        if (state.get() == State.PLAYING || state.get() == State.DONE) {
            return;
        }
        playingSinceNanos = nanos.getAsLong();
        state.set(State.PLAYING);
        tick();
    }

    public void pause() {
        if (state.get() != State.PLAYING) {
            return;
        }
        elapsedBeforeNanos = elapsedNanos();
        state.set(State.PAUSED);
        clock.set(format(elapsedBeforeNanos));
    }

    /** Back to +0 with every step pending; the lab is not touched (a killed node stays killed until a step or a menu starts it). */
    public void restart() {
        elapsedBeforeNanos = 0;
        next = 0;
        rows.forEach(r -> r.outcome.set(""));
        state.set(State.READY);
        clock.set(format(0));
    }

    /** Hands every step whose time has come to the runner, in order; call it on the UI thread, often. */
    public void tick() {
        if (state.get() != State.PLAYING) {
            return;
        }
        long elapsed = elapsedNanos();
        clock.set(format(elapsed));
        while (next < rows.size() && rows.get(next).step().at().toNanos() <= elapsed) {
            Row row = rows.get(next++);
            row.outcome.set(String.format(Locale.ROOT, "applied at +%.1f s", elapsed / 1e9));
            runner.run(row);
        }
        if (next >= rows.size()) {
            elapsedBeforeNanos = elapsed;
            state.set(State.DONE);
        }
    }

    /** The lab refused or failed the step. */
    public void failed(Row row, String why) {
        row.outcome.set("failed: " + why);
    }

    private long elapsedNanos() {
        return state.get() == State.PLAYING ? elapsedBeforeNanos + (nanos.getAsLong() - playingSinceNanos) : elapsedBeforeNanos;
    }

    private static String format(long nanos) {
        return String.format(Locale.ROOT, "+%.1f s", nanos / 1e9);
    }

    /** Parses "5s", "1.5s", "500ms" as the CLI and scenario files do; a clear message otherwise. */
    public static Duration parseAt(String text) {
        Duration d = Durations.parse(text == null ? "" : text.strip());
        if (d.isNegative()) {
            throw new IllegalArgumentException("a step's time is from the start of the play: not negative");
        }
        return d;
    }
}
