package dev.flowlab.run;

import dev.flowlab.topology.ScriptStep;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Overrides for one {@link LabRun}: how long to send (null: the scenario traffic's duration), an
 * open-loop rate or a closed-loop user count (null: the scenario's; at most one of the two), fault
 * steps beyond the scenario's script (e.g. {@code --kill tomcat-2@5s}), where progress lines go
 * (nullable), how long to warm the lab's code paths first ({@link Warmup}; null or zero: not
 * at all, the default, as tests want; {@code lab run} warms for {@link Warmup#DEFAULT_BUDGET}), and
 * the file to record the run into ({@code lab run --record FILE}, nullable; {@link dev.flowlab.record.Recorder}).
 */
public record RunOptions(Duration duration, Double rps, Integer concurrency, List<ScriptStep> extraSteps,
                         Consumer<String> progress, Duration warmup, java.nio.file.Path record) {

    /** Options that record nothing. */
    public RunOptions(Duration duration, Double rps, Integer concurrency, List<ScriptStep> extraSteps,
                      Consumer<String> progress, Duration warmup) {
        this(duration, rps, concurrency, extraSteps, progress, warmup, null);
    }

    public RunOptions(Duration duration, Double rps, Integer concurrency, List<ScriptStep> extraSteps,
                      Consumer<String> progress) {
        this(duration, rps, concurrency, extraSteps, progress, null);
    }

    public RunOptions {
        extraSteps = extraSteps == null ? List.of() : List.copyOf(extraSteps);
        if (rps != null && concurrency != null) {
            throw new IllegalArgumentException("give either a rate (open loop) or a concurrency (closed loop), not both");
        }
        if (rps != null && (rps < 0 || rps.isNaN() || rps.isInfinite())) {
            throw new IllegalArgumentException("rps must be a non-negative number, not " + rps);
        }
        if (concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        if (warmup != null && warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative");
        }
    }

    /** These options with a warm-up of {@code budget} before the traffic (zero: none). */
    public RunOptions withWarmup(Duration budget) {
        return new RunOptions(duration, rps, concurrency, extraSteps, progress, budget, record);
    }

    /** The scenario's own traffic and script, silently. */
    public static RunOptions defaults() {
        return new RunOptions(null, null, null, List.of(), null);
    }

    /** These options, recording the run into {@code file}. */
    public RunOptions recordingTo(java.nio.file.Path file) {
        return new RunOptions(duration, rps, concurrency, extraSteps, progress, warmup, file);
    }
}
