package dev.flowlab.app.learn;

import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.topology.Lesson;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.List;

/** A lesson the panel lists: its id (the library scenario's name), and the scenario that carries it. */
public record LessonEntry(String id, Scenario scenario) {
    public Lesson lesson() {
        return scenario.lesson();
    }

    public String title() {
        return lesson().title() != null ? lesson().title() : id;
    }

    /** Every library scenario with a lesson, in the library's order (01 ... 09, default), then the challenges (c1 ... c7). */
    public static List<LessonEntry> library() {
        List<LessonEntry> out = new ArrayList<>();
        List<LessonEntry> challenges = new ArrayList<>();
        for (String name : ScenarioLibrary.names()) {
            try {
                Scenario s = ScenarioLibrary.load(name);
                if (s.lesson() != null && !s.lesson().steps().isEmpty()) {
                    (s.lesson().isChallenge() ? challenges : out).add(new LessonEntry(name, s));
                }
            } catch (ScenarioException e) {
                // A broken library file is the library test's business; the panel lists the rest.
            }
        }
        out.addAll(challenges);
        return out;
    }
}
