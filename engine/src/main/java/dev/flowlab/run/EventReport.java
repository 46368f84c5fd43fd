package dev.flowlab.run;

import dev.flowlab.client.ErrorCauses;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * A run's report rebuilt from its events alone, for a recording that holds none (the app's Record
 * toggle, or a run cut short): every load client's answer ({@code client_response}: its status,
 * its latency, the node that served it, its peer) and failure ({@code client_error}: its cause), counted as
 * {@code lab run} counts them, and the lifecycle and HA events its report lists. Its mode is
 * {@code "recorded"}: the traffic's shape (rate or users) is not in the events. A request still in
 * flight when the client stopped is not counted (lab run's report does not count those either). Failover windows,
 * the layer-4 footprint and ECMP counts need the running lab and are left out.
 */
public final class EventReport {
    public static final String MODE = "recorded";
    private static final long MAX_MICROS = 3_600_000_000L;
    /** The detail of a request the load client abandoned when it stopped ({@code LoadClient.close}). */
    private static final String ABANDONED = "client closed";

    private EventReport() {
    }

    /**
     * A recording's report: the one its run stored, or, for a recording that holds none (the app's
     * Record toggle, a run cut short), one rebuilt from its events ({@link #of(String, double, List, Set)}).
     */
    public static RunReport of(dev.flowlab.record.Recording recording) {
        if (recording.report().isPresent()) {
            return RunReport.fromJson(recording.report().get());
        }
        Set<String> ids = recording.scenario().nodes().stream().map(dev.flowlab.topology.NodeSpec::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return of(recording.scenario().name(), recording.lengthMillis() / 1000.0, recording.events(), ids);
    }

    /**
     * @param events      in time order, {@link LabEvent#nanos()} counting from the start of the traffic
     * @param durationS   how long the recording reaches
     * @param nodeIds     the scenario's node ids: a serving node outside them (an address) is not counted as "served by"
     */
    public static RunReport of(String scenario, double durationS, List<LabEvent> events, Set<String> nodeIds) {
        Histogram latency = new Histogram(MAX_MICROS, 3);
        Map<String, Long> status = new TreeMap<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        ErrorCauses.ALL.forEach(c -> errors.put(c, 0L));
        Map<String, Long> servedBy = new TreeMap<>();
        TreeMap<Integer, long[]> counts = new TreeMap<>();
        TreeMap<Integer, Histogram> perSecond = new TreeMap<>();
        TreeMap<Integer, Map<String, Long>> secondErrors = new TreeMap<>();
        List<RunReport.Event> listed = new ArrayList<>();
        long ok = 0;
        long failed = 0;
        Long firstFailureMs = null;
        for (LabEvent e : events) {
            int second = (int) Math.max(0, e.nanos() / 1_000_000_000L);
            if (e.type() == EventType.CLIENT_RESPONSE) {
                long micros = Math.min(MAX_MICROS, Math.max(0, e.durationNanos() / 1000));
                latency.recordValue(micros);
                perSecond.computeIfAbsent(second, s -> new Histogram(MAX_MICROS, 3)).recordValue(micros);
                status.merge(Integer.toString(e.status()), 1L, Long::sum);
                // the answer's peer: the node its X-Served-By named, else the address it came from
                if (e.peer() != null && nodeIds.contains(e.peer())) {
                    servedBy.merge(e.peer(), 1L, Long::sum);
                }
                boolean success = e.status() >= 200 && e.status() < 400;
                counts.computeIfAbsent(second, s -> new long[2])[success ? 0 : 1]++;
                if (success) {
                    ok++;
                } else {
                    failed++;
                    firstFailureMs = firstFailureMs == null ? Math.max(0, e.nanos() / 1_000_000L) : firstFailureMs;
                }
            } else if (e.type() == EventType.CLIENT_ERROR && e.fact() instanceof Fact.ClientError ce0 && ABANDONED.equals(ce0.detail())) {
                // in flight when the client stopped (the app's Stop, its window closed): not a failure of the design
                continue;
            } else if (e.type() == EventType.CLIENT_ERROR) {
                String cause = e.fact() instanceof Fact.ClientError ce && ce.cause() != null ? ce.cause() : "error";
                errors.merge(cause, 1L, Long::sum);
                secondErrors.computeIfAbsent(second, s -> new TreeMap<>()).merge(cause, 1L, Long::sum);
                counts.computeIfAbsent(second, s -> new long[2])[1]++;
                failed++;
                firstFailureMs = firstFailureMs == null ? Math.max(0, e.nanos() / 1_000_000L) : firstFailureMs;
            } else if (LabRun.REPORTED.contains(e.type()) && e.type() != EventType.VRRP_ADVERT && e.nanos() >= 0) {
                listed.add(new RunReport.Event(e.nanos() / 1_000_000L, e.type().id(), e.node(), e.detail(),
                        RunReport.factJson(e.fact())));
            }
        }
        List<RunReport.Second> timeline = new ArrayList<>();
        if (!counts.isEmpty()) {
            for (int s = 0; s <= counts.lastKey(); s++) {
                long[] c = counts.getOrDefault(s, new long[2]);
                Histogram h = perSecond.get(s);
                double p99 = h == null ? 0 : Math.round(h.getValueAtPercentile(99) / 1000.0 * 1000) / 1000.0;
                timeline.add(new RunReport.Second(s, c[0], c[1], secondErrors.getOrDefault(s, Map.of()), p99));
            }
        }
        long requests = ok + failed;
        RunReport.Latency lat = latency.getTotalCount() == 0 ? new RunReport.Latency(0, 0, 0, 0, 0, 0)
                : new RunReport.Latency(ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()),
                Math.round(latency.getMean()) / 1000.0);
        double achieved = durationS <= 0 ? 0 : Math.round(requests / durationS * 1000) / 1000.0;
        return new RunReport(scenario, MODE, Math.round(durationS * 1000) / 1000.0, null, null, achieved, requests, ok, failed,
                status, errors, lat, servedBy, firstFailureMs, List.of(), null, listed, timeline, null, null);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
