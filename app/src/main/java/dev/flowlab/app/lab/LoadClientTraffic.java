package dev.flowlab.app.lab;

import dev.flowlab.run.ScenarioTraffic;
import dev.flowlab.runtime.Lab;

/** The app's traffic: the scenario's own profile, sent by the engine's load client until Stop. */
public final class LoadClientTraffic implements TrafficDriver {
    private ScenarioTraffic running;

    @Override
    public synchronized void start(Lab lab) {
        stop();
        running = ScenarioTraffic.start(lab);
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }
}
