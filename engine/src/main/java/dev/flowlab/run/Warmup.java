package dev.flowlab.run;

import dev.flowlab.client.LoadClient;
import dev.flowlab.client.RunResult;
import dev.flowlab.runtime.Lab;
import dev.flowlab.topology.Durations;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Scenario;
import dev.flowlab.topology.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Warms the lab's own code paths before the traffic that counts. The tiers are Java: their first
 * few thousand requests run in the interpreter and in the JIT's first tier while the compiler
 * threads take CPU from the traffic, so a cold lab's first seconds are several times slower than
 * its tenth (a backlog that took four seconds to drain at 1,500 req/s on this machine) and a
 * gateway's RPC timeout can mark a healthy Tomcat down. The servers the lab models are compiled
 * ahead of time and have no such phase, so it is an artefact of the lab, not of the design under
 * test: a warm-up removes it.
 *
 * <p>How: a private copy of the scenario's lab (its own event bus, metrics and loopback
 * addresses; nothing else subscribes to it) runs with closed-loop traffic from its client nodes,
 * flat out, until {@code requests} answers or {@code budget}, whichever comes first, and is then
 * closed. What stays is what the JIT compiled. The scenario's fault script is not applied; no
 * state of the warm-up lab (caches, passive health, HA roles) reaches the lab that follows.
 */
public final class Warmup {
    /** The default time budget: on this project's 2-core build machine about 10,000 requests through the default stack. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(2);
    /** Enough answers for the hot paths to reach the JIT's optimising tier (about 10,000 invocations). */
    public static final int DEFAULT_REQUESTS = 15_000;
    /** Users per client node of the warm-up: enough to open pools and exercise queueing, few enough to stay light. */
    static final int USERS = 64;
    private static final long POLL_MILLIS = 50;

    /** What the warm-up did. */
    public record Result(long requests, long failed, Map<String, Long> errors, Duration took, String skipped) {
        public boolean ran() {
            return skipped == null;
        }

        /** One line for a progress log. */
        public String describe() {
            if (!ran()) {
                return "warm-up skipped: " + skipped;
            }
            return String.format(Locale.ROOT, "warmed up the lab's code paths on a private copy: %,d requests in %.1f s%s",
                    requests, took.toNanos() / 1e9, failed == 0 ? "" : String.format(Locale.ROOT, " (%,d failed: %s)", failed, errors));
        }
    }

    private Warmup() {
    }

    /**
     * The budget this JVM was asked for: the system property {@code flowlab.warmup} (a duration
     * such as 2s, or 0 for none; the test builds set 0s), else {@link #DEFAULT_BUDGET}.
     */
    public static Duration configured() {
        String v = System.getProperty("flowlab.warmup");
        if (v == null || v.isBlank()) {
            return DEFAULT_BUDGET;
        }
        if (v.trim().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            return DEFAULT_BUDGET;
        }
    }

    /**
     * Runs the warm-up; {@code labs} builds a lab for the scenario (not started). Blocks for at most
     * about the budget plus the private lab's start and stop; must not run on an event loop.
     * {@code cancelled} ends it early (the app's Start, say). A lab that cannot start is no error here:
     * the warm-up is skipped and says why, and the real start reports the problem.
     */
    public static Result run(Function<Scenario, Lab> labs, Scenario scenario, Duration budget, int requests,
                             BooleanSupplier cancelled) {
        if (budget == null || budget.isZero() || budget.isNegative() || requests <= 0) {
            return new Result(0, 0, Map.of(), Duration.ZERO, "turned off");
        }
        List<NodeSpec> clientNodes = new ArrayList<>();
        for (NodeSpec c : scenario.nodesOfKind(NodeKind.CLIENT)) {
            if (!scenario.downstreamOf(c.id()).isEmpty()) {
                clientNodes.add(c);
            }
        }
        if (clientNodes.isEmpty()) {
            return new Result(0, 0, Map.of(), Duration.ZERO, "no client node with a link");
        }
        long t0 = System.nanoTime();
        List<LoadClient> clients = new ArrayList<>();
        try (Lab lab = labs.apply(scenario)) {
            lab.start();
            long sendFrom = System.nanoTime();
            Traffic traffic = new Traffic("closed", null, USERS, budget, scenario.effectiveTraffic().mix());
            for (NodeSpec c : clientNodes) {
                LoadClient client = LoadClient.forLab(lab, c.id());
                clients.add(client);
                client.start(traffic, budget);
            }
            long deadline = sendFrom + budget.toNanos();
            while (System.nanoTime() < deadline && !cancelled.getAsBoolean() && answered(clients) < requests) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            for (LoadClient c : clients) {
                c.stop();
            }
            Duration drainFor = Duration.ofSeconds(1);
            CompletableFuture.allOf(clients.stream().map(c -> c.drain(drainFor)).toArray(CompletableFuture[]::new))
                    .get(drainFor.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            RunResult merged = RunResult.merge(clients.stream().map(LoadClient::result).toList());
            return new Result(merged.requests(), merged.failed(), merged.errors(), Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0), "interrupted");
        } catch (Exception e) {
            return new Result(0, 0, Map.of(), Duration.ofNanos(System.nanoTime() - t0), e.getMessage() != null ? e.getMessage() : e.toString());
        } finally {
            for (LoadClient c : clients) {
                c.close();
            }
        }
    }

    private static long answered(List<LoadClient> clients) {
        long n = 0;
        for (LoadClient c : clients) {
            RunResult r = c.result();
            n += r.requests();
        }
        return n;
    }
}
