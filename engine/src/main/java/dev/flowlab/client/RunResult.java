package dev.flowlab.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a load client saw, at one instant: counts by outcome, HTTP status, error cause and serving
 * node, the latency histogram (microseconds, measured from each request's intended send time, of
 * every HTTP response), a per-second timeline since the traffic started, and when the first failure
 * happened. {@code ok} counts 2xx and 3xx answers; {@code failed} everything else (transport errors
 * and 4xx/5xx). An immutable snapshot: the histogram is a copy.
 */
public record RunResult(
        String mode,
        Double targetRps,
        Integer concurrency,
        long sendingNanos,
        long lastOutcomeNanos,
        long sent,
        long ok,
        long failed,
        int inFlight,
        Map<String, Long> status,
        Map<String, Long> errors,
        Map<String, Long> servedBy,
        Histogram latencyMicros,
        List<Second> timeline,
        Long firstFailureMs) {

    /** One second of the run: answers and failures that ended in it, and the failures by cause. */
    /**
     * {@code p99Ms}: the 99th percentile of the latencies of the answers that ended in this second
     * (0 without answers); merged over several clients, the highest of theirs (an upper bound).
     */
    public record Second(int second, long ok, long failed, Map<String, Long> errors, double p99Ms) {
    }

    public long requests() {
        return ok + failed;
    }

    /** A latency percentile in milliseconds; 0 when nothing was answered. */
    public double percentileMs(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }

    public double meanMs() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMean() / 1000.0;
    }

    /**
     * Requests that got an outcome per second, over the sending time or, when answers kept coming
     * after it (a server that fell behind), until the last one: a rate the target really sustained.
     */
    public double achievedRps() {
        long span = Math.max(sendingNanos, lastOutcomeNanos);
        return span <= 0 ? 0 : requests() / (span / 1e9);
    }

    /** Several clients' results as one: counts add up, histograms merge, the earliest failure wins. */
    public static RunResult merge(List<RunResult> results) {
        if (results.size() == 1) {
            return results.get(0);
        }
        Histogram latency = new Histogram(ResultRecorder.MAX_MICROS, 3);
        Map<String, Long> status = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> servedBy = new TreeMap<>();
        Map<Integer, Second> seconds = new TreeMap<>();
        long sending = 0;
        long lastOutcome = 0;
        long sent = 0;
        long ok = 0;
        long failed = 0;
        int inFlight = 0;
        Long firstFailure = null;
        Double rps = null;
        Integer concurrency = null;
        String mode = null;
        for (RunResult r : results) {
            mode = mode == null ? r.mode : mode;
            rps = r.targetRps == null ? rps : (rps == null ? 0 : rps) + r.targetRps;
            concurrency = r.concurrency == null ? concurrency : (concurrency == null ? 0 : concurrency) + r.concurrency;
            sending = Math.max(sending, r.sendingNanos);
            lastOutcome = Math.max(lastOutcome, r.lastOutcomeNanos);
            sent += r.sent;
            ok += r.ok;
            failed += r.failed;
            inFlight += r.inFlight;
            latency.add(r.latencyMicros);
            r.status.forEach((k, v) -> status.merge(k, v, Long::sum));
            r.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.servedBy.forEach((k, v) -> servedBy.merge(k, v, Long::sum));
            for (Second s : r.timeline) {
                seconds.merge(s.second(), s, (a, b) -> {
                    Map<String, Long> e = new TreeMap<>(a.errors());
                    b.errors().forEach((k, v) -> e.merge(k, v, Long::sum));
                    return new Second(a.second(), a.ok() + b.ok(), a.failed() + b.failed(), e, Math.max(a.p99Ms(), b.p99Ms()));
                });
            }
            if (r.firstFailureMs != null && (firstFailure == null || r.firstFailureMs < firstFailure)) {
                firstFailure = r.firstFailureMs;
            }
        }
        return new RunResult(mode, rps, concurrency, sending, lastOutcome, sent, ok, failed, inFlight, status, errors, servedBy,
                latency, new ArrayList<>(seconds.values()), firstFailure);
    }
}
