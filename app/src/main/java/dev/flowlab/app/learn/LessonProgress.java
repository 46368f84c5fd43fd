package dev.flowlab.app.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A learner's progress through the lessons, kept in {@code ~/.flowlab/lessons.json}: for each
 * lesson (by id, the library name) the step shown last and the steps whose check passed. Written
 * at once on every change (atomically); an unreadable file counts as no progress.
 */
public final class LessonProgress {
    private static final Logger log = LoggerFactory.getLogger(LessonProgress.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String FILE = "lessons.json";

    private final Path file;
    private final Map<String, Integer> current = new TreeMap<>();
    private final Map<String, Set<Integer>> passed = new TreeMap<>();

    private LessonProgress(Path file) {
        this.file = file;
    }

    /** The progress kept under {@code home} (none yet when the file is missing or unreadable). */
    public static LessonProgress load(Path home) {
        LessonProgress p = new LessonProgress(home.resolve(FILE));
        if (Files.isRegularFile(p.file)) {
            try {
                JsonNode root = JSON.readTree(p.file.toFile());
                root.path("lessons").fields().forEachRemaining(e -> {
                    p.current.put(e.getKey(), Math.max(0, e.getValue().path("step").asInt(0)));
                    Set<Integer> done = new TreeSet<>();
                    e.getValue().path("passed").forEach(n -> done.add(n.asInt()));
                    p.passed.put(e.getKey(), done);
                });
            } catch (IOException | RuntimeException e) {
                log.warn("cannot read the lessons' progress in {}: {}", p.file, e.toString());
            }
        }
        return p;
    }

    /** Whether a progress file exists (the first launch offers the lessons when it does not). */
    public static boolean exists(Path home) {
        return Files.exists(home.resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** The step (0-based) the learner was at. */
    public int step(String lesson) {
        return current.getOrDefault(lesson, 0);
    }

    public Set<Integer> passed(String lesson) {
        return Set.copyOf(passed.getOrDefault(lesson, Set.of()));
    }

    public void setStep(String lesson, int step) {
        current.put(lesson, step);
        save();
    }

    public void markPassed(String lesson, int step) {
        if (passed.computeIfAbsent(lesson, k -> new TreeSet<>()).add(step)) {
            save();
        }
    }

    /** Forgets every lesson's progress (the file stays, empty, so the first-launch offer does not return). */
    public void reset() {
        current.clear();
        passed.clear();
        save();
    }

    /** Writes the file now (also an empty one: the first launch has been seen). */
    public void save() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode lessons = root.putObject("lessons");
        TreeSet<String> ids = new TreeSet<>(current.keySet());
        ids.addAll(passed.keySet());
        for (String id : ids) {
            ObjectNode l = lessons.putObject(id);
            l.put("step", current.getOrDefault(id, 0));
            ArrayNode done = l.putArray("passed");
            passed.getOrDefault(id, Set.of()).forEach(done::add);
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".lessons.", ".tmp");
            try {
                Files.writeString(temp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            log.warn("cannot save the lessons' progress to {}: {}", file, e.toString());
        }
    }
}
