package dev.flowlab.app.lab;

import dev.flowlab.runtime.Lab;

/**
 * Sends the scenario's traffic through a started lab. The desktop app's seam for the load client
 * ({@code dev.flowlab.client.LoadClient}): the view-model calls {@link #start(Lab)} once the lab
 * is up and {@link #stop()} before closing it, both on the background executor.
 */
public interface TrafficDriver {
    /** Sends nothing: the lab runs, idle, until traffic comes from outside (curl, a browser). */
    TrafficDriver NONE = new TrafficDriver() {
        @Override
        public void start(Lab lab) {
        }

        @Override
        public void stop() {
        }
    };

    /** Starts the lab scenario's traffic; may block briefly, never runs on the FX thread. */
    void start(Lab lab);

    /** Stops sending; safe to call when nothing was started. */
    void stop();
}
