package dev.flowlab.record;

import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.topology.Scenario;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A recording as read back ({@link RecordingReader}): the scenario as it ran, every recorded event
 * in time order, where each node was (host:port, as the events' peers name them), (its {@link LabEvent#nanos()} counts from the start of the traffic), one metrics
 * snapshot a second ({@link MetricsSnapshot#tMillis()} from the same origin), the faults applied,
 * the run's report as JSON when the run ended well, and for a recording cut short, the message
 * that says where it ends ({@link #note()}).
 *
 * @param lengthMillis how far the recording reaches, from the start of the traffic
 * @param complete     false when the file ends before the recorder finished it (a crash, a cut copy)
 * @param dropped      events the lab's bus dropped because the recorder fell behind
 */
public record Recording(String version, String recordedAt, Scenario scenario, Map<String, String> addresses,
                        List<LabEvent> events,
                        List<MetricsSnapshot> snapshots, List<RecordedFault> faults, String reportJson,
                        long lengthMillis, boolean complete, long dropped, String note) {

    /** The event types that mark a place to jump to in a replay: a node killed, a failover, a fault. */
    public static final Set<EventType> LANDMARKS = EnumSet.of(EventType.NODE_KILLED, EventType.NODE_STOPPED,
            EventType.NODE_STARTED, EventType.VIP_MOVED, EventType.HA_STATE, EventType.FAULT_APPLIED,
            EventType.FAULT_CLEARED, EventType.SERVER_DOWN, EventType.SERVER_UP);

    public Recording {
        addresses = Map.copyOf(addresses);
        events = List.copyOf(events);
        snapshots = List.copyOf(snapshots);
        faults = List.copyOf(faults);
    }

    /** The run's report as JSON, when the recording has one (a run recorded by {@code lab run --record} that ended). */
    public Optional<String> report() {
        return Optional.ofNullable(reportJson);
    }

    /** The events at or after {@code fromNanos} and before {@code toNanos}, in order. */
    public List<LabEvent> eventsBetween(long fromNanos, long toNanos) {
        int from = firstAtOrAfter(fromNanos);
        int to = firstAtOrAfter(toNanos);
        return events.subList(from, Math.max(from, to));
    }

    /** The latest snapshot taken at or before {@code tMillis}, or null before the first one. */
    public MetricsSnapshot snapshotAt(long tMillis) {
        MetricsSnapshot found = null;
        for (MetricsSnapshot s : snapshots) {
            if (s.tMillis() > tMillis) {
                break;
            }
            found = s;
        }
        return found;
    }

    /** The first event of one of {@code types} strictly after {@code afterNanos}, if any. */
    public Optional<LabEvent> next(Set<EventType> types, long afterNanos) {
        for (int i = firstAtOrAfter(afterNanos + 1); i < events.size(); i++) {
            if (types.contains(events.get(i).type())) {
                return Optional.of(events.get(i));
            }
        }
        return Optional.empty();
    }

    private int firstAtOrAfter(long nanos) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).nanos() < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
