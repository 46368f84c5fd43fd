package dev.flowlab.app.learn;

import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Scenario;
import java.util.List;
import java.util.Map;

/** What the Lessons panel needs from the window: the lab to grade, the actions its buttons do, the canvas to highlight on. */
public interface LessonHost {
    /** The scenario in the editor. */
    Scenario scenario();

    /** Opens a lesson's scenario in the editor (the library copy). */
    void open(LessonEntry entry);

    /** The running lab, or null. */
    Lab runningLab();

    /** Starts the lab (or restarts it) with the browsers at this rate; null: the scenario's own traffic. */
    void traffic(Double rps);

    /** Stops the lab (the app's traffic runs with it). */
    void stopTraffic();

    void nodeAction(String action, String node, Map<String, String> params);

    void traceNext();

    void stepMode();

    /** Sets a node's config field in the editor; a running lab restarts with it. Returns a problem, or null. */
    String set(String node, String field, String value);

    /** Stops the app's lab if it runs, then runs {@code then} on the FX thread (a challenge is graded on a lab of its own). */
    void stopThen(Runnable then);

    /** Selects these nodes on the canvas (the step's highlight). */
    void highlight(List<String> nodes);
}
