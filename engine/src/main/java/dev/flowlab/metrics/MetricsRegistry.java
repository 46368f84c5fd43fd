package dev.flowlab.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Holds every node's {@link NodeMetrics} and turns them into {@link MetricsSnapshot}s at a fixed
 * interval (100 ms by default). Rates and percentiles are computed over a sliding window of the
 * last {@link #WINDOW} intervals (one second at the default interval).
 */
public final class MetricsRegistry {
    public static final int WINDOW = 10;

    private final Map<String, Window> nodes = new LinkedHashMap<>();
    private final CopyOnWriteArrayList<Consumer<MetricsSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final long intervalMillis;
    private volatile MetricsSnapshot latest = new MetricsSnapshot(0, List.of());
    private Function<String, String> stateOf = id -> "unknown";

    public MetricsRegistry(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    public synchronized NodeMetrics register(String nodeId, String kind) {
        return nodes.computeIfAbsent(nodeId, id -> new Window(new NodeMetrics(id, kind))).metrics;
    }

    public synchronized NodeMetrics node(String nodeId) {
        Window w = nodes.get(nodeId);
        return w == null ? null : w.metrics;
    }

    public void stateSource(Function<String, String> stateOf) {
        this.stateOf = stateOf;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public MetricsSnapshot latest() {
        return latest;
    }

    /** Listeners run on the snapshot thread; hand work off rather than doing it there. */
    public Runnable subscribe(Consumer<MetricsSnapshot> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Takes one snapshot now (the lab calls this every interval). */
    public synchronized MetricsSnapshot snapshot(long tMillis) {
        List<NodeSnapshot> out = new ArrayList<>(nodes.size());
        for (Window w : nodes.values()) {
            out.add(w.advance(stateOf.apply(w.metrics.nodeId())));
        }
        MetricsSnapshot s = new MetricsSnapshot(tMillis, List.copyOf(out));
        latest = s;
        for (Consumer<MetricsSnapshot> l : listeners) {
            l.accept(s);
        }
        return s;
    }

    private final class Window {
        final NodeMetrics metrics;
        final Histogram[] slots = new Histogram[WINDOW];
        final long[] completedAt = new long[WINDOW + 1];
        final long[] errorsAt = new long[WINDOW + 1];
        final long[] scheduledAt = new long[WINDOW + 1];
        final long[] packetsInAt = new long[WINDOW + 1];
        final long[] packetsOutAt = new long[WINDOW + 1];
        /** Rolling sum of the slots: the newest interval is added and the evicted one subtracted. */
        final Histogram sum = NodeMetrics.newLatencyHistogram();
        Histogram recycled;
        int index;
        int filled;

        Window(NodeMetrics metrics) {
            this.metrics = metrics;
        }

        NodeSnapshot advance(String state) {
            int slot = index % WINDOW;
            Histogram evicted = slots[slot];
            Histogram fresh = metrics.intervalLatency(recycled);
            // An idle node costs nothing here: only histograms holding counts are walked.
            if (evicted != null && evicted.getTotalCount() > 0) {
                sum.subtract(evicted);
            }
            if (fresh.getTotalCount() > 0) {
                sum.add(fresh);
            }
            slots[slot] = fresh;
            recycled = evicted;
            System.arraycopy(completedAt, 1, completedAt, 0, WINDOW);
            System.arraycopy(errorsAt, 1, errorsAt, 0, WINDOW);
            System.arraycopy(scheduledAt, 1, scheduledAt, 0, WINDOW);
            System.arraycopy(packetsInAt, 1, packetsInAt, 0, WINDOW);
            System.arraycopy(packetsOutAt, 1, packetsOutAt, 0, WINDOW);
            scheduledAt[WINDOW] = metrics.connectionsScheduled();
            packetsInAt[WINDOW] = metrics.packetsInTotal();
            packetsOutAt[WINDOW] = metrics.packetsOutTotal();
            Map<String, Long> errors = metrics.errorsByCause();
            long errorTotal = 0;
            for (long n : errors.values()) {
                errorTotal += n;
            }
            completedAt[WINDOW] = metrics.completed();
            errorsAt[WINDOW] = errorTotal;
            index++;
            filled = Math.min(WINDOW, filled + 1);

            long done = completedAt[WINDOW] - completedAt[WINDOW - filled];
            long failed = errorsAt[WINDOW] - errorsAt[WINDOW - filled];
            double seconds = filled * intervalMillis / 1000.0;
            double rps = done / seconds;
            double errorRate = done + failed == 0 ? 0 : (double) failed / (done + failed);
            return new NodeSnapshot(metrics.nodeId(), metrics.kind(), state, rps, metrics.requests(),
                    metrics.activeConnections(), metrics.inFlight(), errorRate, errors, metrics.statusCounts(),
                    ms(sum, 50), ms(sum, 90), ms(sum, 99), sum.getTotalCount() == 0 ? 0 : sum.getMaxValue() / 1000.0,
                    metrics.bytesInTotal(), metrics.bytesOutTotal(),
                    (scheduledAt[WINDOW] - scheduledAt[WINDOW - filled]) / seconds,
                    (packetsInAt[WINDOW] - packetsInAt[WINDOW - filled]) / seconds,
                    (packetsOutAt[WINDOW] - packetsOutAt[WINDOW - filled]) / seconds,
                    packetsInAt[WINDOW], packetsOutAt[WINDOW], metrics.gauges());
        }

        private double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
