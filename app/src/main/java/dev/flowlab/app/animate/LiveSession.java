package dev.flowlab.app.animate;

import dev.flowlab.live.ActivityFrame;
import dev.flowlab.record.Player;
import dev.flowlab.record.RecordedTraces;
import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.live.LinkActivity;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Scenario;
import dev.flowlab.trace.TraceCollector;
import java.util.function.Consumer;

/**
 * What the live view watches: in a started lab, the link activity (10 Hz frames), the trace
 * collector, and optionally the scenario's own traffic; or a recording's {@link Player}, which
 * makes the same frames from the file with nothing running ({@link #replay}: no lab, no traces to
 * take from a running lab, no search; its {@link #recordedTraces()} are the recorded requests' traces
 * instead). Closing it stops those, never the lab.
 */
public final class LiveSession implements AutoCloseable {
    private final Lab lab;
    private final LinkActivity activity;
    private final TraceCollector traces;
    private final ScenarioTraffic traffic;
    private final Player player;
    private final long openedNanos;
    private RecordedTraces recordedTraces;

    private LiveSession(Lab lab, LinkActivity activity, TraceCollector traces, ScenarioTraffic traffic, long openedNanos) {
        this.lab = lab;
        this.activity = activity;
        this.traces = traces;
        this.traffic = traffic;
        this.player = null;
        this.openedNanos = openedNanos;
    }

    private LiveSession(Player player) {
        this.lab = null;
        this.activity = null;
        this.traces = null;
        this.traffic = null;
        this.player = player;
        // a recording's event times count from the start of its traffic
        this.openedNanos = 0;
    }

    /** A session that shows a recording: the player's frames, as the player's timeline moves. */
    public static LiveSession replay(Player player) {
        return new LiveSession(player);
    }

    /** True for a recording's replay: nothing runs, there is no {@link #lab()} and no {@link #traces()}. */
    public boolean isReplay() {
        return player != null;
    }

    /** The recording's player, or null for a running lab. */
    public Player player() {
        return player;
    }

    /**
     * A replay's recorded requests and their traces, rebuilt from the recording (indexed on the
     * first call); null for a running lab.
     */
    public synchronized RecordedTraces recordedTraces() {
        if (player == null) {
            return null;
        }
        if (recordedTraces == null) {
            recordedTraces = new RecordedTraces(player.recording());
        }
        return recordedTraces;
    }

    /** The scenario being shown: the running lab's, or the recording's as it ran. */
    public Scenario scenario() {
        return player != null ? player.recording().scenario() : lab.scenario();
    }

    /** The frames, on the activity's thread (a replay: on the thread that moves the player's timeline). */
    public Runnable subscribe(Consumer<ActivityFrame> listener) {
        return player != null ? player.subscribe(listener) : activity.subscribe(listener);
    }

    /** Starts watching a started lab; with {@code sendTraffic}, also sends the scenario's traffic. */
    public static LiveSession open(Lab lab, boolean sendTraffic) {
        // Time zero before anything listens or sends: the traffic starts below, and an event of its
        // first request must not read as earlier than the run's start.
        long openedNanos = System.nanoTime();
        LinkActivity activity = new LinkActivity(lab);
        TraceCollector traces = new TraceCollector(lab);
        ScenarioTraffic traffic = sendTraffic ? ScenarioTraffic.start(lab) : null;
        return new LiveSession(lab, activity, traces, traffic, openedNanos);
    }

    /** The running lab; null for a replay. */
    public Lab lab() {
        return lab;
    }

    /** When the session started watching, on the events' clock ({@link System#nanoTime}): the run's time zero. */
    public long openedNanos() {
        return openedNanos;
    }

    public LinkActivity activity() {
        return activity;
    }

    public TraceCollector traces() {
        return traces;
    }

    @Override
    public void close() {
        if (player != null) {
            player.close();
            return;
        }
        if (traffic != null) {
            traffic.close();
        }
        traces.close();
        activity.close();
    }
}
