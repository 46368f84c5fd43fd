package dev.flowlab.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Accumulates one client's outcomes. Written by the client's event loop, read by anyone through
 * {@link #snapshot}; a plain monitor is enough because writes come from one thread and snapshots
 * are rare (the lock is almost never contended).
 */
final class ResultRecorder {
    static final long MAX_MICROS = 3_600_000_000L;

    private final Histogram latency = new Histogram(MAX_MICROS, 3);
    private final Map<String, Long> status = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> servedBy = new TreeMap<>();
    private final List<long[]> secondCounts = new ArrayList<>();
    private final List<Map<String, Long>> secondErrors = new ArrayList<>();
    /** p99 (ms) of each finished second's answers; the current second's are in {@link #thisSecond}. Bounded: one double a second. */
    private final List<Double> secondP99 = new ArrayList<>();
    /** The latencies of the second answers are ending in now (2 significant digits: a percentile per second, not the run's). */
    private final Histogram thisSecond = new Histogram(MAX_MICROS, 2);
    private int thisSecondIndex = -1;
    private long ok;
    private long failed;
    private long firstFailureNanos = -1;
    private long lastOutcomeNanos;

    synchronized void response(int statusCode, long latencyNanos, String server, long sinceStartNanos) {
        long micros = Math.min(MAX_MICROS, Math.max(0, latencyNanos / 1000));
        latency.recordValue(micros);
        int index = secondIndex(sinceStartNanos);
        if (index != thisSecondIndex) {
            closeSecond();
            thisSecondIndex = index;
        }
        thisSecond.recordValue(micros);
        status.merge(Integer.toString(statusCode), 1L, Long::sum);
        if (server != null && !server.isEmpty()) {
            servedBy.merge(server, 1L, Long::sum);
        }
        boolean success = statusCode >= 200 && statusCode < 400;
        if (success) {
            ok++;
        } else {
            failed++;
            noteFailure(sinceStartNanos);
        }
        second(sinceStartNanos)[success ? 0 : 1]++;
        lastOutcomeNanos = Math.max(lastOutcomeNanos, sinceStartNanos);
    }

    synchronized void failure(String cause, long sinceStartNanos) {
        failed++;
        errors.merge(cause, 1L, Long::sum);
        noteFailure(sinceStartNanos);
        second(sinceStartNanos)[1]++;
        secondErrors.get(secondIndex(sinceStartNanos)).merge(cause, 1L, Long::sum);
        lastOutcomeNanos = Math.max(lastOutcomeNanos, sinceStartNanos);
    }

    /** Keeps the finished second's p99 and starts an empty histogram for the next. */
    private void closeSecond() {
        if (thisSecondIndex < 0) {
            return;
        }
        while (secondP99.size() <= thisSecondIndex) {
            secondP99.add(0.0);
        }
        secondP99.set(thisSecondIndex, p99Ms(thisSecond));
        thisSecond.reset();
    }

    private static double p99Ms(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
    }

    private double p99Of(int second) {
        if (second == thisSecondIndex) {
            return p99Ms(thisSecond);
        }
        return second < secondP99.size() ? secondP99.get(second) : 0;
    }

    private void noteFailure(long sinceStartNanos) {
        if (firstFailureNanos < 0) {
            firstFailureNanos = Math.max(0, sinceStartNanos);
        }
    }

    private static int secondIndex(long sinceStartNanos) {
        return (int) Math.max(0, sinceStartNanos / 1_000_000_000L);
    }

    private long[] second(long sinceStartNanos) {
        int i = secondIndex(sinceStartNanos);
        while (secondCounts.size() <= i) {
            secondCounts.add(new long[2]);
            secondErrors.add(new TreeMap<>());
        }
        return secondCounts.get(i);
    }

    synchronized RunResult snapshot(String mode, Double targetRps, Integer concurrency, long sendingNanos, long sent,
                                    int inFlight) {
        List<RunResult.Second> timeline = new ArrayList<>(secondCounts.size());
        for (int i = 0; i < secondCounts.size(); i++) {
            long[] c = secondCounts.get(i);
            timeline.add(new RunResult.Second(i, c[0], c[1], new TreeMap<>(secondErrors.get(i)), p99Of(i)));
        }
        return new RunResult(mode, targetRps, concurrency, sendingNanos, lastOutcomeNanos, sent, ok, failed, inFlight,
                new TreeMap<>(status), new TreeMap<>(errors), new TreeMap<>(servedBy), latency.copy(), timeline,
                firstFailureNanos < 0 ? null : firstFailureNanos / 1_000_000L);
    }
}
