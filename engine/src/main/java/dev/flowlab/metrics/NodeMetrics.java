package dev.flowlab.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live counters of one node, written on the hot path by the tier (lock-free adders and an
 * HdrHistogram {@link Recorder}) and read every snapshot interval by {@link MetricsRegistry}.
 */
public final class NodeMetrics {
    /** Latencies are recorded in microseconds, up to one hour. */
    static final long MAX_MICROS = 3_600_000_000L;
    /**
     * Two significant digits (1% resolution) are plenty for live figures and keep each histogram
     * at ~3k counts instead of ~23k; the registry walks them every snapshot. The load client's own
     * report keeps three digits.
     */
    static final int LATENCY_DIGITS = 2;
    /** Status codes counted in a flat array (no boxing, no map lookup per response). */
    private static final int MAX_STATUS = 600;

    private final String nodeId;
    private final String kind;
    private final LongAdder requests = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder scheduled = new LongAdder();
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<LongAdder> statuses = new AtomicReferenceArray<>(MAX_STATUS);
    private final Recorder latency = new Recorder(MAX_MICROS, LATENCY_DIGITS);
    /** Connections this node holds open to the next tier (a proxy's upstream connections, pooled or in use). */
    private final AtomicInteger upstreamConnections = new AtomicInteger();
    private final LongAdder upstreamConnectionsOpened = new LongAdder();
    /** A tier's own capacity figures, read at each snapshot (Tomcat's busy workers of maxThreads ...). */
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    public NodeMetrics(String nodeId, String kind) {
        this.nodeId = nodeId;
        this.kind = kind;
    }

    public String nodeId() {
        return nodeId;
    }

    public String kind() {
        return kind;
    }

    public void connectionOpened() {
        activeConnections.incrementAndGet();
        connectionsOpened.increment();
    }

    public void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    /** The node opened a connection to an upstream server (the next tier). */
    public void upstreamConnectionOpened() {
        upstreamConnections.incrementAndGet();
        upstreamConnectionsOpened.increment();
    }

    /** A connection to an upstream server closed. */
    public void upstreamConnectionClosed() {
        upstreamConnections.decrementAndGet();
    }

    /** The connections this node holds open to upstream servers now (in use or idle in a keepalive pool). */
    public int upstreamConnections() {
        return upstreamConnections.get();
    }

    /**
     * Registers (or replaces, for a restarted node) a capacity figure read at every snapshot, under a
     * snake_case name the outputs use as it is: e.g. Tomcat's {@code busy_workers} and {@code max_threads}.
     */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /**
     * The node's capacity figures now, by name: the tier's gauges, plus {@code upstream_connections}
     * once the node has opened a connection to an upstream server.
     */
    public Map<String, Integer> gauges() {
        Map<String, Integer> m = new TreeMap<>();
        // a count past an int's range (a router's flows over a long run) shows as the largest int
        gauges.forEach((k, v) -> m.put(k, (int) Math.min(Integer.MAX_VALUE, v.getAsLong())));
        if (upstreamConnectionsOpened.sum() > 0) {
            m.put("upstream_connections", Math.max(0, upstreamConnections.get()));
        }
        return m;
    }

    public void requestStarted() {
        requests.increment();
        inFlight.incrementAndGet();
    }

    /** A request answered (any status), with its time in this node. */
    public void requestCompleted(int status, long latencyNanos) {
        inFlight.decrementAndGet();
        completed.increment();
        statusCounter(status).increment();
        latency.recordValue(Math.min(MAX_MICROS, Math.max(0, latencyNanos / 1000)));
    }

    /** A request that ended without a response (reset, timeout...), by cause. */
    public void requestFailed(String cause) {
        inFlight.decrementAndGet();
        error(cause);
    }

    /** An error by cause (connect_refused, timeout, reset, queue_full, bad_request, ...). */
    public void error(String cause) {
        errors.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    /** A layer-4 director scheduled a new connection (IPVS's "Conns"). */
    public void connectionScheduled() {
        scheduled.increment();
    }

    /** Packets a layer-4 director forwarded toward the real servers (modelled from the bytes: see the LVS tier). */
    public void packetsIn(long n) {
        packetsIn.add(n);
    }

    /** Packets a layer-4 director forwarded back to the clients (NAT only: DR replies bypass it). */
    public void packetsOut(long n) {
        packetsOut.add(n);
    }

    public long connectionsScheduled() {
        return scheduled.sum();
    }

    public long packetsInTotal() {
        return packetsIn.sum();
    }

    public long packetsOutTotal() {
        return packetsOut.sum();
    }

    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public int activeConnections() {
        return activeConnections.get();
    }

    /** Of the requests in flight, one more (or fewer) waits in the node's own queue for a connection (the load client's pending queue). */
    public void queued(int delta) {
        queued.addAndGet(delta);
    }

    /** Requests in flight that still wait in the node's own queue, not yet on a connection. */
    public int queued() {
        return queued.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long completed() {
        return completed.sum();
    }

    public long bytesInTotal() {
        return bytesIn.sum();
    }

    public long bytesOutTotal() {
        return bytesOut.sum();
    }

    public long connectionsOpenedTotal() {
        return connectionsOpened.sum();
    }

    public Map<String, Long> errorsByCause() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public Map<String, Long> statusCounts() {
        Map<String, Long> m = new TreeMap<>();
        for (int s = 0; s < MAX_STATUS; s++) {
            LongAdder n = statuses.get(s);
            if (n != null) {
                m.put(Integer.toString(s), n.sum());
            }
        }
        return m;
    }

    private LongAdder statusCounter(int status) {
        // Out-of-range codes are lumped under 0 rather than growing the array for nonsense.
        int slot = status >= 0 && status < MAX_STATUS ? status : 0;
        LongAdder n = statuses.get(slot);
        if (n == null) {
            statuses.compareAndSet(slot, null, new LongAdder());
            n = statuses.get(slot);
        }
        return n;
    }

    static Histogram newLatencyHistogram() {
        return new Histogram(MAX_MICROS, LATENCY_DIGITS);
    }

    /** Latencies recorded since the last call (for the registry's interval snapshots). */
    Histogram intervalLatency(Histogram recycle) {
        return latency.getIntervalHistogram(recycle);
    }
}
