package dev.flowlab.lesson;

import dev.flowlab.topology.Lesson;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a lesson step's buttons do. Headless ({@link LabCheck}) they act on the lab directly; the
 * desktop app does them through its own controls, so the window shows what happened.
 */
public interface LessonActions {
    /** Starts the clients at this rate (null: the scenario's traffic), replacing any traffic running. */
    CompletableFuture<Void> traffic(Double rps);

    CompletableFuture<Void> stopTraffic();

    /** A node action the lab applies: kill, stop, start, restart, kill-service, kill-keepalived, start-keepalived, partition, heal. */
    CompletableFuture<Void> node(String action, String node, Map<String, String> params);

    /** Traces the next request (headless: nothing to show). */
    CompletableFuture<Void> trace();

    /** Opens step mode (headless: nothing to show). */
    CompletableFuture<Void> stepMode();

    /** Sets a config field of a node; the lab restarts with it. */
    CompletableFuture<Void> set(String node, String field, String value);

    /** Does {@code a} with these actions. */
    static CompletableFuture<Void> perform(LessonActions to, Lesson.Action a) {
        Map<String, String> params = new HashMap<>();
        if (a.peer() != null) {
            params.put("peer", a.peer());
        }
        return switch (a.action()) {
            case "traffic" -> to.traffic(a.rps());
            case "stopTraffic" -> to.stopTraffic();
            case "trace" -> to.trace();
            case "stepMode" -> to.stepMode();
            case "set" -> to.set(a.node(), a.field(), a.value());
            default -> to.node(a.action(), a.node(), params);
        };
    }
}
