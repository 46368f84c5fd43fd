package dev.flowlab.run;

import dev.flowlab.client.ErrorCauses;
import dev.flowlab.client.RunResult;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flowlab.metrics.L4Footprint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of {@code lab run}: a contract for scripts (DESIGN.md). The names {@code requests,
 * ok, failed, status, errors, latency_ms{p50,p90,p99,max}, served_by, events[{t_ms,type,node}]}
 * never change; other fields are additions. Times in {@code events}, {@code first_failure_ms} and
 * {@code timeline} count from the start of the traffic.
 */
@JsonPropertyOrder({"scenario", "mode", "duration_s", "target_rps", "concurrency", "achieved_rps", "requests", "ok",
        "failed", "status", "errors", "latency_ms", "served_by", "first_failure_ms", "failovers", "errors_outside_failovers",
        "events", "footprint", "ecmp", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        String scenario,
        String mode,
        @JsonProperty("duration_s") double durationS,
        @JsonProperty("target_rps") Double targetRps,
        Integer concurrency,
        @JsonProperty("achieved_rps") double achievedRps,
        long requests,
        long ok,
        long failed,
        Map<String, Long> status,
        Map<String, Long> errors,
        @JsonProperty("latency_ms") Latency latencyMs,
        @JsonProperty("served_by") Map<String, Long> servedBy,
        @JsonProperty("first_failure_ms") @JsonInclude(JsonInclude.Include.ALWAYS) Long firstFailureMs,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Failover> failovers,
        @JsonProperty("errors_outside_failovers") Long errorsOutsideFailovers,
        List<Event> events,
        List<Second> timeline,
        Map<String, Footprint> footprint,
        Map<String, Ecmp> ecmp) {

    public RunReport {
        failovers = failovers == null ? List.of() : List.copyOf(failovers);
    }

    /**
     * One VIP takeover during the run (times from the start of the traffic): when the old master
     * was lost, when the new one entered MASTER ({@code detection_ms} after the loss), when it held
     * the VIP ({@code takeover_ms} after the loss), the wait that ended in MASTER ({@code wait_start_ms}:
     * the new master's last accepted advert, or for a member that started and preempted, its
     * keepalived's start; {@code wait_ms} from there to MASTER), the {@code master_down_interval}
     * keepalived's formula gives for the new master (for a killed master or keepalived process, and
     * for a preemption, whose preempter waited its own master_down_interval as BACKUP; not for a
     * resignation, which waits the skew only, nor for the address owner, which does not wait), and
     * the client failures inside the window from the loss to {@code window_end_ms} (the VIP bound,
     * plus a grace for answers already on their way). For a preemption the loss is the moment the
     * preempter took over: before it, the old master served.
     */
    @JsonPropertyOrder({"group", "from", "to", "cause", "lost_ms", "master_ms", "vip_bound_ms", "detection_ms", "takeover_ms",
            "wait_start_ms", "wait_ms", "master_down_interval_ms", "window_end_ms", "errors_in_window"})
    public record Failover(String group, String from, String to, String cause,
                           @JsonProperty("lost_ms") long lostMs,
                           @JsonProperty("master_ms") long masterMs,
                           @JsonProperty("vip_bound_ms") long vipBoundMs,
                           @JsonProperty("detection_ms") double detectionMs,
                           @JsonProperty("takeover_ms") double takeoverMs,
                           @JsonProperty("wait_start_ms") long waitStartMs,
                           @JsonProperty("wait_ms") double waitMs,
                           @JsonProperty("master_down_interval_ms") Double masterDownIntervalMs,
                           @JsonProperty("window_end_ms") long windowEndMs,
                           @JsonProperty("errors_in_window") long errorsInWindow) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Latency percentiles in milliseconds, of every HTTP answer, from the intended send time. */
    @JsonPropertyOrder({"p50", "p90", "p99", "p999", "max", "mean"})
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
    }

    /**
     * Something that happened to a node during the run: a script step or a lifecycle/HA event. An
     * event from the bus also carries its typed fact: {@code {"kind": "HaTransition", "from": "MASTER",
     * "to": "BACKUP", "why": ...}} (the record's name and fields, {@link dev.flowlab.event.Fact}).
     */
    @JsonPropertyOrder({"t_ms", "type", "node", "detail", "fact"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(@JsonProperty("t_ms") long tMs, String type, String node, String detail, Map<String, Object> fact) {
        public Event(long tMs, String type, String node, String detail) {
            this(tMs, type, node, detail, null);
        }
    }

    /** A fact as JSON: its kind (the record's name) first, then its fields. */
    static Map<String, Object> factJson(dev.flowlab.event.Fact fact) {
        if (fact == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", fact.getClass().getSimpleName());
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = JSON.convertValue(fact, Map.class);
        out.putAll(fields);
        return out;
    }

    /** One second of traffic: answers, failures, failures by cause. */
    @JsonPropertyOrder({"t_s", "ok", "failed", "errors"})
    /**
     * The cold start, in one line: the first full second's p99 against the median of the later
     * seconds' (the last, partial second left out), or null for a run shorter than 3 s.
     */
    String firstSecondAgainstSteady() {
        if (timeline == null || timeline.size() < 4) {
            return null;
        }
        List<Second> full = timeline.subList(0, timeline.size() - 1);
        double first = full.get(0).p99Ms();
        double[] later = full.subList(1, full.size()).stream().mapToDouble(Second::p99Ms).filter(v -> v > 0).sorted().toArray();
        if (first <= 0 || later.length == 0) {
            return null;
        }
        double steady = later[later.length / 2];
        return String.format(Locale.ROOT, "  first second p99 %.2f ms, later seconds' median p99 %.2f ms (%.1fx)", first, steady,
                first / steady);
    }

    /** One second of the run; {@code p99_ms}: the answers that ended in it (see {@link RunResult.Second}). */
    public record Second(@JsonProperty("t_s") int tS, long ok, long failed, Map<String, Long> errors,
                         @JsonProperty("p99_ms") double p99Ms) {
        public Second(int tS, long ok, long failed, Map<String, Long> errors) {
            this(tS, ok, failed, errors, 0);
        }
    }

    /**
     * What a layer-4 director cost at the end of the traffic, in two labelled kinds of figure:
     * {@code measured} is what the lab's director itself held; {@code modelled} is what real software
     * would hold for the same connections (kernel IPVS: no socket, a table entry each; a user-space
     * relay such as haproxy in TCP mode: two sockets per client connection).
     */
    @JsonPropertyOrder({"mode", "measured", "modelled", "forwarded"})
    public record Footprint(String mode, Measured measured, Modelled modelled, Forwarded forwarded) {
        public static Footprint of(L4Footprint f) {
            return new Footprint(f.mode(),
                    new Measured(f.labSockets(), f.labTableEntries(), f.activeEntries(), f.inactiveEntries(), f.persistenceTemplates()),
                    new Modelled(0, f.modelledKernelBytes(), f.modelledUserSpaceRelaySockets()),
                    new Forwarded(f.connections(), f.inBytes(), f.outBytes(), f.modelledInPackets(), f.modelledOutPackets()));
        }

        /**
         * What the director forwarded (ipvsadm --stats): connections and payload bytes measured, packets
         * modelled from the bytes (1,448-byte segments, delayed ACKs, handshake and close). In DR only the
         * client's packets pass the director: out is 0.
         */
        @JsonPropertyOrder({"connections", "in_bytes", "out_bytes", "modelled_in_packets", "modelled_out_packets"})
        public record Forwarded(long connections, @JsonProperty("in_bytes") long inBytes, @JsonProperty("out_bytes") long outBytes,
                                @JsonProperty("modelled_in_packets") long modelledInPackets,
                                @JsonProperty("modelled_out_packets") long modelledOutPackets) {
        }

        @JsonPropertyOrder({"sockets", "table_entries", "active_entries", "inactive_entries", "persistence_templates"})
        public record Measured(int sockets, @JsonProperty("table_entries") int tableEntries,
                               @JsonProperty("active_entries") int activeEntries,
                               @JsonProperty("inactive_entries") int inactiveEntries,
                               @JsonProperty("persistence_templates") int persistenceTemplates) {
        }

        @JsonPropertyOrder({"kernel_ipvs_sockets", "kernel_ipvs_table_bytes", "user_space_relay_sockets"})
        public record Modelled(@JsonProperty("kernel_ipvs_sockets") int kernelIpvsSockets,
                               @JsonProperty("kernel_ipvs_table_bytes") long kernelIpvsTableBytes,
                               @JsonProperty("user_space_relay_sockets") int userSpaceRelaySockets) {
        }
    }

    /** Builds the report's figures from a client result; every known error cause is listed, 0 when it did not happen. */
    public static RunReport of(String scenario, RunResult r, double durationSeconds, List<Event> events) {
        return of(scenario, r, durationSeconds, events, null);
    }

    /** As {@link #of(String, RunResult, double, List)}, with the layer-4 footprint of each director (null: none). */
    public static RunReport of(String scenario, RunResult r, double durationSeconds, List<Event> events,
                               Map<String, Footprint> footprint) {
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String cause : ErrorCauses.ALL) {
            errors.put(cause, 0L);
        }
        errors.putAll(r.errors());
        Latency latency = new Latency(round(r.percentileMs(50)), round(r.percentileMs(90)), round(r.percentileMs(99)),
                round(r.percentileMs(99.9)), round(r.maxMs()), round(r.meanMs()));
        List<Second> timeline = r.timeline().stream()
                .map(s -> new Second(s.second(), s.ok(), s.failed(), s.errors(), Math.round(s.p99Ms() * 1000) / 1000.0)).toList();
        double achieved = round(r.achievedRps());
        return new RunReport(scenario, r.mode(), durationSeconds, r.targetRps(), r.concurrency(), achieved,
                r.requests(), r.ok(), r.failed(), r.status(), errors, latency, r.servedBy(), r.firstFailureMs(),
                List.of(), null, List.copyOf(events), timeline, footprint == null || footprint.isEmpty() ? null : Map.copyOf(footprint), null);
    }

    /** This report with the run's VIP takeovers and the failures that fell outside all of their windows. */
    public RunReport withFailovers(List<Failover> value, Long outside) {
        return new RunReport(scenario, mode, durationS, targetRps, concurrency, achievedRps, requests, ok, failed, status,
                errors, latencyMs, servedBy, firstFailureMs, value, outside, events, timeline, footprint, ecmp);
    }

    /** This report with each router's ECMP counts (null or empty: none). */
    public RunReport withEcmp(Map<String, Ecmp> value) {
        return new RunReport(scenario, mode, durationS, targetRps, concurrency, achievedRps, requests, ok, failed, status,
                errors, latencyMs, servedBy, firstFailureMs, failovers, errorsOutsideFailovers, events, timeline, footprint,
                value == null || value.isEmpty() ? null : Map.copyOf(value));
    }

    /**
     * One router's run: new flows it hashed, packets of a flow that reached another next hop than
     * before (re-hashed flows), BFD sessions lost, and what became of the connections a next hop
     * got with no entry for them: kept their backend (survived) or were reset (broken), summed
     * over its next hops.
     */
    @JsonPropertyOrder({"flows_hashed", "flows_rehashed", "next_hops_lost", "connections_survived", "connections_broken"})
    public record Ecmp(@JsonProperty("flows_hashed") long flowsHashed, @JsonProperty("flows_rehashed") long flowsRehashed,
                       @JsonProperty("next_hops_lost") long nextHopsLost,
                       @JsonProperty("connections_survived") long connectionsSurvived,
                       @JsonProperty("connections_broken") long connectionsBroken) {
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the run report", e);
        }
    }

    public static RunReport fromJson(String json) {
        try {
            return JSON.readValue(json, RunReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run report: " + e.getOriginalMessage(), e);
        }
    }

    /** A fixed-width summary for the terminal. */
    public String summaryTable() {
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(60) + "\n";
        b.append(rule);
        b.append(String.format(Locale.ROOT, "%-22s %s%n", "scenario", scenario == null ? "-" : scenario));
        String load = "open".equals(mode)
                ? String.format(Locale.ROOT, "open loop, %s req/s", num(targetRps == null ? 0 : targetRps))
                : EventReport.MODE.equals(mode) ? "as recorded (this report is rebuilt from the recording's events)"
                : String.format(Locale.ROOT, "closed loop, %d users", concurrency == null ? 0 : concurrency);
        b.append(String.format(Locale.ROOT, "%-22s %s for %ss%n", "traffic", load, num(durationS)));
        b.append(rule);
        b.append(String.format(Locale.ROOT, "%-22s %12d%n", "requests", requests));
        b.append(String.format(Locale.ROOT, "%-22s %12d  %6.2f%%%n", "ok (2xx/3xx)", ok, pct(ok)));
        b.append(String.format(Locale.ROOT, "%-22s %12d  %6.2f%%%n", "failed", failed, pct(failed)));
        b.append(String.format(Locale.ROOT, "%-22s %12.1f req/s%n", "achieved rate", achievedRps));
        if (firstFailureMs != null) {
            b.append(String.format(Locale.ROOT, "%-22s %12d ms%n", "first failure at", firstFailureMs));
        }
        b.append(rule);
        b.append("latency (ms, from intended send time)\n");
        b.append(String.format(Locale.ROOT, "  %8s %8s %8s %8s %8s %8s%n", "p50", "p90", "p99", "p99.9", "max", "mean"));
        b.append(String.format(Locale.ROOT, "  %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f%n", latencyMs.p50, latencyMs.p90,
                latencyMs.p99, latencyMs.p999, latencyMs.max, latencyMs.mean));
        String warmth = firstSecondAgainstSteady();
        if (warmth != null) {
            b.append(warmth).append('\n');
        }
        section(b, "status codes", status, false);
        section(b, "errors by cause", errors, true);
        section(b, "served by", servedBy, false);
        if (footprint != null) {
            b.append("layer-4 footprint at the end of the traffic\n");
            new java.util.TreeMap<>(footprint).forEach((node, f) -> {
                b.append(String.format(Locale.ROOT, "  %-14s %-4s lab (measured): %d sockets, %d table entries (%d active)%n",
                        node, f.mode(), f.measured().sockets(), f.measured().tableEntries(), f.measured().activeEntries()));
                b.append(String.format(Locale.ROOT, "  %-14s %-4s kernel IPVS (modelled): %d sockets, ~%d bytes of table;"
                                + " user-space relay (modelled): %d sockets%n", "", "", f.modelled().kernelIpvsSockets(),
                        f.modelled().kernelIpvsTableBytes(), f.modelled().userSpaceRelaySockets()));
            });
        }
        if (ecmp != null) {
            b.append("ECMP (moved = a flow re-hashed to a balancer with no entry for it)\n");
            new java.util.TreeMap<>(ecmp).forEach((node, e) -> b.append(String.format(Locale.ROOT,
                    "  %-14s %d flows hashed, %d re-hashed, %d next hops lost; moved connections: %d survived, %d broken%n",
                    node, e.flowsHashed(), e.flowsRehashed(), e.nextHopsLost(), e.connectionsSurvived(), e.connectionsBroken())));
        }
        if (!failovers.isEmpty()) {
            b.append("failovers (ms from the start; detection = loss to MASTER, takeover = loss to VIP bound; waited = the new"
                    + " master's wait as BACKUP, from its last accepted advert or its start, to MASTER; formula = its"
                    + " master_down_interval)\n");
            b.append(String.format(Locale.ROOT, "  %-40s %8s %10s %10s %10s %10s %8s  %s%n", "group: from -> to", "lost at",
                    "detection", "takeover", "waited", "formula", "errors", "cause"));
            for (Failover f : failovers) {
                b.append(String.format(Locale.ROOT, "  %-40s %8d %10.1f %10.1f %10.1f %10s %8d  %s%n",
                        f.group() + ": " + f.from() + " -> " + f.to(), f.lostMs(), f.detectionMs(), f.takeoverMs(), f.waitMs(),
                        f.masterDownIntervalMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", f.masterDownIntervalMs()),
                        f.errorsInWindow(), f.cause()));
            }
            if (errorsOutsideFailovers != null) {
                b.append(String.format(Locale.ROOT, "  %-40s %8d%n", "failures outside every window", errorsOutsideFailovers));
            }
        }
        if (!events.isEmpty()) {
            b.append("events\n");
            for (Event e : events) {
                b.append(String.format(Locale.ROOT, "  %8d ms  %-16s %-14s %s%n", e.tMs, e.type,
                        e.node == null ? "" : e.node, e.detail == null ? "" : e.detail));
            }
        }
        b.append(rule);
        return b.toString();
    }

    private void section(StringBuilder b, String title, Map<String, Long> counts, boolean skipZero) {
        boolean any = counts.values().stream().anyMatch(v -> v > 0);
        b.append(title).append(any ? "\n" : ": none\n");
        if (!any) {
            return;
        }
        counts.forEach((k, v) -> {
            if (!skipZero || v > 0) {
                b.append(String.format(Locale.ROOT, "  %-20s %12d  %6.2f%%%n", k, v, pct(v)));
            }
        });
    }

    private double pct(long n) {
        return requests == 0 ? 0 : 100.0 * n / requests;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
