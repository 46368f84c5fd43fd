package dev.flowlab.app.animate;

import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.live.LinkActivity;
import dev.flowlab.runtime.Lab;
import dev.flowlab.trace.TraceCollector;

/**
 * What the live view watches in a started lab: the link activity (10 Hz frames), the trace
 * collector, and optionally the scenario's own traffic. Closing it stops those, never the lab.
 */
public final class LiveSession implements AutoCloseable {
    private final Lab lab;
    private final LinkActivity activity;
    private final TraceCollector traces;
    private final ScenarioTraffic traffic;
    private final long openedNanos = System.nanoTime();

    private LiveSession(Lab lab, LinkActivity activity, TraceCollector traces, ScenarioTraffic traffic) {
        this.lab = lab;
        this.activity = activity;
        this.traces = traces;
        this.traffic = traffic;
    }

    /** Starts watching a started lab; with {@code sendTraffic}, also sends the scenario's traffic. */
    public static LiveSession open(Lab lab, boolean sendTraffic) {
        LinkActivity activity = new LinkActivity(lab);
        TraceCollector traces = new TraceCollector(lab);
        ScenarioTraffic traffic = sendTraffic ? ScenarioTraffic.start(lab) : null;
        return new LiveSession(lab, activity, traces, traffic);
    }

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
        if (traffic != null) {
            traffic.close();
        }
        traces.close();
        activity.close();
    }
}
