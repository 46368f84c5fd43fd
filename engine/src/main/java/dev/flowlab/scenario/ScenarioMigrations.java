package dev.flowlab.scenario;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowlab.topology.Scenario;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Upgrades an older file's JSON tree to the current {@link Scenario#FORMAT}, one version at a
 * time, before it is bound to records. The records only ever know the newest shape, so a change
 * to the format is one new step here (from N to N+1) and old files keep opening.
 */
final class ScenarioMigrations {

    /** The step that turns format N (the key) into N+1. Only format 1 exists so far. */
    private static final Map<Integer, Consumer<ObjectNode>> STEPS = new TreeMap<>();

    /** The step that turns lesson version N (the key) into N+1. Only version 1 exists so far. */
    private static final Map<Integer, Consumer<ObjectNode>> LESSON_STEPS = new TreeMap<>();

    private ScenarioMigrations() {
    }

    /** Migrates {@code root} in place from {@code fromFormat} to the current format. */
    static void migrate(ObjectNode root, int fromFormat) {
        migrate(root, fromFormat, Scenario.FORMAT, STEPS);
    }

    /** Migrates a lesson section in place from {@code fromVersion} to {@link dev.flowlab.topology.Lesson#VERSION}. */
    static void migrateLesson(ObjectNode lesson, int fromVersion) {
        for (int v = fromVersion; v < dev.flowlab.topology.Lesson.VERSION; v++) {
            Consumer<ObjectNode> step = LESSON_STEPS.get(v);
            if (step == null) {
                throw new IllegalStateException("no migration from lesson version " + v + " to " + (v + 1));
            }
            step.accept(lesson);
            lesson.set("version", IntNode.valueOf(v + 1));
        }
    }

    static void migrate(ObjectNode root, int fromFormat, int toFormat, Map<Integer, Consumer<ObjectNode>> steps) {
        for (int v = fromFormat; v < toFormat; v++) {
            Consumer<ObjectNode> step = steps.get(v);
            if (step == null) {
                throw new IllegalStateException("no migration from scenario format " + v + " to " + (v + 1));
            }
            step.accept(root);
            root.set("format", IntNode.valueOf(v + 1));
        }
    }
}
