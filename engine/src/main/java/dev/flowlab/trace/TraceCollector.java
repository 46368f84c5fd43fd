package dev.flowlab.trace;

import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.event.TraceMarks;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds requests hop by hop. {@link #traceNext} announces a fresh trace id on the bus's
 * {@link TraceMarks}; the next request a load client sends carries it, every tier captures its
 * headers for it, and once the client has its answer the collector completes the future with the
 * {@link Trace}.
 *
 * <p>It listens through its own bounded subscription (traced events, the directors' layer-4
 * choices, DNS answers) and drains it on its own thread every {@link #TICK_MILLIS} ms, so the engine
 * never waits for it; a trace whose events were dropped comes back with fewer hops, not late.
 */
public final class TraceCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TraceCollector.class);
    static final long TICK_MILLIS = 20;
    private static final int CAPACITY = 16_384;
    private static final int L4_REMEMBERED = 4_096;

    private final EventBus bus;
    private final TraceBuilder builder;
    private final EventBus.Subscription subscription;
    private final ScheduledExecutorService thread;
    private final Set<String> directors;
    // Owned by the collector's thread.
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, List<LabEvent>> l4ByClient = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<LabEvent>> eldest) {
            return size() > L4_REMEMBERED;
        }
    };
    private final Map<String, LabEvent> dnsByHost = new HashMap<>();

    public TraceCollector(Lab lab) {
        this(lab.events(), lab.scenario());
    }

    public TraceCollector(EventBus bus, Scenario scenario) {
        this.bus = bus;
        this.builder = new TraceBuilder(scenario);
        // Layer-4 hops: the LVS directors and, before them, an ECMP router's choice of balancer.
        this.directors = java.util.stream.Stream.concat(scenario.nodesOfKind(NodeKind.LVS).stream(),
                scenario.nodesOfKind(NodeKind.ROUTER).stream()).map(NodeSpec::id).collect(Collectors.toUnmodifiableSet());
        TraceMarks marks = bus.traceMarks();
        this.subscription = bus.subscribe(CAPACITY, e -> marks.watched(e.traceId())
                || e.type() == EventType.DNS_ANSWER
                || (e.traceId() == null && directors.contains(e.node()) && isLayer4(e.type())));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flowlab-trace-collector");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static boolean isLayer4(EventType t) {
        return t == EventType.UPSTREAM_CHOSEN || t == EventType.CONNECTION_REFUSED || t == EventType.REJECTED;
    }

    /**
     * Marks the next request any load client of this lab sends, and completes with its trace once
     * the client has the answer (or an error); fails with {@link TimeoutException} when no request
     * is sent and answered in time.
     */
    public CompletableFuture<Trace> traceNext(Duration timeout) {
        String id = "trace-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CompletableFuture<Trace> result = new CompletableFuture<>();
        thread.execute(() -> {
            pending.put(id, new Pending(result, System.nanoTime() + timeout.toNanos()));
            bus.traceMarks().announce(id);
        });
        return result;
    }

    /** The trace id being waited for, if any (for a UI that highlights it as it flows). */
    public boolean tracing() {
        return bus.traceMarks().pending();
    }

    private void tick() {
        try {
            for (Pending p : pending.values()) {
                if (p.ended) {
                    p.ready = true;
                }
            }
            subscription.drain(this::accept, CAPACITY);
            long now = System.nanoTime();
            var it = pending.entrySet().iterator();
            while (it.hasNext()) {
                var entry = it.next();
                Pending p = entry.getValue();
                if (p.ready) {
                    it.remove();
                    bus.traceMarks().release(entry.getKey());
                    p.result.complete(builder.build(entry.getKey(), p.events, l4ByClient::get, dnsByHost::get));
                } else if (now > p.deadline || p.result.isDone()) {
                    it.remove();
                    bus.traceMarks().release(entry.getKey());
                    p.result.completeExceptionally(new TimeoutException("no request carried trace " + entry.getKey()
                            + " to its end in time (is traffic running?)"));
                }
            }
        } catch (RuntimeException e) {
            log.warn("trace collector tick failed", e);
        }
    }

    private void accept(LabEvent e) {
        if (e.traceId() != null) {
            Pending p = pending.get(e.traceId());
            if (p != null) {
                p.events.add(e);
                if (e.type() == EventType.CLIENT_RESPONSE || e.type() == EventType.CLIENT_ERROR) {
                    // Hops on other threads may publish a moment later: finish on the next tick.
                    p.ended = true;
                }
            }
            return;
        }
        if (e.type() == EventType.DNS_ANSWER && e.peer() != null) {
            dnsByHost.put(TraceBuilder.hostOf(e.peer()), e);
            return;
        }
        // A client port comes back after TIME_WAIT: its newest connection replaces the old one at
        // each layer-4 node (a router's ECMP choice and the balancer's stay side by side).
        String client = TraceBuilder.clientOf(e);
        List<LabEvent> before = l4ByClient.get(client);
        List<LabEvent> now = new java.util.ArrayList<>(2);
        if (before != null) {
            for (LabEvent b : before) {
                if (!b.node().equals(e.node())) {
                    now.add(b);
                }
            }
        }
        now.add(e);
        now.sort(java.util.Comparator.comparingLong(LabEvent::nanos));
        l4ByClient.put(client, List.copyOf(now));
    }

    @Override
    public void close() {
        subscription.close();
        if (thread.isShutdown()) {
            return;
        }
        thread.execute(() -> {
            for (String id : pending.keySet()) {
                bus.traceMarks().release(id);
            }
        });
        thread.shutdown();
    }

    private static final class Pending {
        final CompletableFuture<Trace> result;
        final long deadline;
        final List<LabEvent> events = new ArrayList<>();
        boolean ended;
        boolean ready;

        Pending(CompletableFuture<Trace> result, long deadline) {
            this.result = result;
            this.deadline = deadline;
        }
    }
}
