package dev.flowlab.app.animate;

import dev.flowlab.app.lab.TrafficDriver;
import dev.flowlab.runtime.Lab;
import java.util.function.Consumer;

/**
 * The seam between the app's {@code LabViewModel} and the live view: sends the scenario's
 * traffic like {@code LoadClientTraffic} and hands the view a {@link LiveSession} on every start
 * (on the background thread: the consumer hops to the FX thread itself), {@code null} on stop.
 */
public final class LiveTrafficDriver implements TrafficDriver {
    private final Consumer<LiveSession> sessions;
    private final boolean sendTraffic;
    private LiveSession current;

    public LiveTrafficDriver(Consumer<LiveSession> sessions, boolean sendTraffic) {
        this.sessions = sessions;
        this.sendTraffic = sendTraffic;
    }

    @Override
    public synchronized void start(Lab lab) {
        stop();
        current = LiveSession.open(lab, sendTraffic);
        sessions.accept(current);
    }

    @Override
    public synchronized void stop() {
        if (current != null) {
            sessions.accept(null);
            current.close();
            current = null;
        }
    }
}
