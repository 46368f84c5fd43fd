package dev.flowlab.record;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The requests of a {@link Recording}, and each one's {@link Trace} rebuilt from the recorded
 * events with no lab running: the events that carried its trace id (every load-client request has
 * one), the directors' layer-4 choices for its client connection and the DNS answer its client host
 * had, as the live {@link dev.flowlab.trace.TraceCollector} feeds the same {@link TraceBuilder}, but
 * read from the file as of the request's time.
 *
 * <p>Headers are captured (and so connections known) only for the requests someone traced while the
 * lab ran; any other request's trace has a hop per node its events name, with their timing and
 * status, and says so in {@link RecordedTrace#notes()}. A request the recording holds only part of
 * (it began before the recording, or had no answer before the recording ended) is marked
 * {@linkplain RecordedTrace#complete() incomplete} with a note saying which part is missing.
 */
public final class RecordedTraces {
    private final Recording recording;
    private final TraceBuilder builder;
    private final Map<String, List<LabEvent>> byTrace = new HashMap<>();
    private final Map<String, List<LabEvent>> l4ByClient = new HashMap<>();
    private final Map<String, List<LabEvent>> dnsByHost = new HashMap<>();
    private final List<Request> requests;

    /**
     * A recorded request: its trace id, when it started and ended (nanoseconds from the start of the
     * recording's traffic, as the events count), method and path, the client's status (0: none, or
     * an error), the error's cause when it failed, and whether its start and its end were recorded.
     */
    public record Request(String traceId, long startNanos, long endNanos, String method, String path, int status,
                          String error, boolean startRecorded, boolean endRecorded) {

        public boolean complete() {
            return startRecorded && endRecorded;
        }

        /** Milliseconds from the start of the traffic. */
        public long startMillis() {
            return Math.floorDiv(startNanos, 1_000_000L);
        }

        /** "1.234 s  GET /api/x  200", for a chooser. */
        public String label() {
            String outcome = error != null ? error : status != 0 ? Integer.toString(status) : "no answer recorded";
            return String.format(java.util.Locale.ROOT, "%.3f s  %s %s  %s", startNanos / 1e9,
                    method == null ? "GET" : method, path == null ? "?" : path, outcome);
        }
    }

    /** A trace rebuilt from the recording, whether the recording holds all of it, and what a reader should know. */
    public record RecordedTrace(Request request, Trace trace, boolean complete, List<String> notes) {
        public RecordedTrace {
            notes = List.copyOf(notes);
        }
    }

    public RecordedTraces(Recording recording) {
        this.recording = recording;
        this.builder = new TraceBuilder(recording.scenario());
        Set<String> directors = Stream.concat(recording.scenario().nodesOfKind(NodeKind.LVS).stream(),
                recording.scenario().nodesOfKind(NodeKind.ROUTER).stream()).map(NodeSpec::id).collect(Collectors.toUnmodifiableSet());
        for (LabEvent e : recording.events()) {
            if (e.traceId() != null) {
                byTrace.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e);
            } else if (e.type() == EventType.DNS_ANSWER && e.peer() != null) {
                dnsByHost.computeIfAbsent(hostOf(e.peer()), k -> new ArrayList<>()).add(e);
            } else if (directors.contains(e.node()) && isLayer4(e.type())) {
                l4ByClient.computeIfAbsent(clientOf(e), k -> new ArrayList<>()).add(e);
            }
        }
        List<Request> found = new ArrayList<>();
        for (Map.Entry<String, List<LabEvent>> t : byTrace.entrySet()) {
            Request r = request(t.getKey(), t.getValue());
            if (r != null) {
                found.add(r);
            }
        }
        found.sort(Comparator.comparingLong(Request::startNanos).thenComparing(Request::traceId));
        this.requests = List.copyOf(found);
    }

    public Recording recording() {
        return recording;
    }

    /** Every request a load client sent (or failed to send), in the order they started. */
    public List<Request> requests() {
        return requests;
    }

    /** The first request that starts at or after {@code nanos} (from the start of the traffic), if any. */
    public Optional<Request> firstAtOrAfter(long nanos) {
        int i = indexAtOrAfter(nanos);
        return i < requests.size() ? Optional.of(requests.get(i)) : Optional.empty();
    }

    /** Up to {@code before} requests that started before {@code nanos} and {@code after} at or after it, in order. */
    public List<Request> around(long nanos, int before, int after) {
        int i = indexAtOrAfter(nanos);
        return requests.subList(Math.max(0, i - before), Math.min(requests.size(), i + after));
    }

    /** The request with this trace id, if the recording has one. */
    public Optional<Request> request(String traceId) {
        return requests.stream().filter(r -> r.traceId().equals(traceId)).findFirst();
    }

    /** The trace of one recorded request, rebuilt from the recorded events of its trace id; empty for an unknown id. */
    public Optional<RecordedTrace> trace(String traceId) {
        List<LabEvent> events = byTrace.get(traceId);
        if (events == null) {
            return Optional.empty();
        }
        Request r = request(traceId).orElse(null);
        long start = events.get(0).nanos();
        long end = events.get(events.size() - 1).nanos();
        Trace trace = builder.build(traceId, events, client -> l4Before(client, end), host -> latestBefore(dnsByHost.get(host), start));
        List<String> notes = new ArrayList<>();
        boolean complete = r != null && r.complete();
        if (r == null) {
            notes.add("incomplete: the recording has no client event of this trace id; only the hops that named it");
        } else if (!r.startRecorded()) {
            notes.add("incomplete: the request began before the recording did; its first hops are not in the file");
        }
        if (r != null && !r.endRecorded()) {
            notes.add("incomplete: the recording ended before the client had its answer; the later hops are missing");
        }
        boolean headers = events.stream().anyMatch(e -> e.type() == EventType.TRACE_HEADERS);
        if (!headers) {
            notes.add("no headers or connections: only a request traced while the lab ran has its headers captured; "
                    + "this one shows each hop's events, timing and status");
        }
        if (recording.dropped() > 0) {
            notes.add("the lab's bus dropped " + recording.dropped() + " events while recording: a hop may be missing");
        }
        return Optional.of(new RecordedTrace(r, trace, complete, notes));
    }

    private Request request(String traceId, List<LabEvent> events) {
        LabEvent sent = null;
        LabEvent answer = null;
        for (LabEvent e : events) {
            if (e.type() == EventType.CLIENT_REQUEST && sent == null) {
                sent = e;
            } else if ((e.type() == EventType.CLIENT_RESPONSE || e.type() == EventType.CLIENT_ERROR) && answer == null) {
                answer = e;
            }
        }
        if (sent == null && answer == null) {
            // not a load client's request (nothing of a client in it)
            return null;
        }
        String method = null;
        String path = null;
        if (sent != null && sent.fact() instanceof Fact.ClientRequest cr) {
            method = cr.method();
            path = cr.path();
        }
        String error = null;
        int status = 0;
        if (answer != null) {
            status = answer.status();
            if (answer.fact() instanceof Fact.ClientError ce) {
                error = ce.cause();
                path = path != null ? path : ce.path();
            } else if (answer.fact() instanceof Fact.ClientResponse cr) {
                path = path != null ? path : cr.path();
            }
        }
        // A request whose connection never opened fails without being sent: its failure is all there is of it.
        boolean failedUnsent = sent == null && answer.type() == EventType.CLIENT_ERROR;
        long start;
        if (sent != null) {
            start = sent.nanos();
        } else if (failedUnsent) {
            start = answer.nanos() - answer.durationNanos();
        } else {
            start = events.get(0).nanos();
        }
        long end = events.get(events.size() - 1).nanos();
        return new Request(traceId, start, end, method, path, status, error, sent != null || failedUnsent, answer != null);
    }

    private List<LabEvent> l4Before(String client, long cutoff) {
        List<LabEvent> all = l4ByClient.get(client);
        if (all == null) {
            return null;
        }
        // the newest choice at each layer-4 node by then (a client port comes back after TIME_WAIT)
        Map<String, LabEvent> newest = new LinkedHashMap<>();
        for (LabEvent e : all) {
            if (e.nanos() > cutoff) {
                break;
            }
            newest.put(e.node(), e);
        }
        if (newest.isEmpty()) {
            return null;
        }
        List<LabEvent> out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparingLong(LabEvent::nanos));
        return Collections.unmodifiableList(out);
    }

    private static LabEvent latestBefore(List<LabEvent> events, long cutoff) {
        if (events == null) {
            return null;
        }
        LabEvent found = null;
        for (LabEvent e : events) {
            if (e.nanos() > cutoff) {
                break;
            }
            found = e;
        }
        return found;
    }

    private int indexAtOrAfter(long nanos) {
        int lo = 0;
        int hi = requests.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (requests.get(mid).startNanos() < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean isLayer4(EventType t) {
        return t == EventType.UPSTREAM_CHOSEN || t == EventType.CONNECTION_REFUSED || t == EventType.REJECTED;
    }

    private static String hostOf(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        return i < 0 ? hostPort : hostPort.substring(0, i);
    }

    private static String clientOf(LabEvent e) {
        if (e.fact() instanceof Fact.L4Choice c) {
            return c.client() == null ? "?" : c.client();
        }
        if (e.fact() instanceof Fact.FlowHashed f) {
            return f.flow() == null ? "?" : f.flow();
        }
        return e.type() == EventType.REJECTED && e.peer() != null ? e.peer() : "?";
    }
}
