package dev.flowlab.explain;

import dev.flowlab.event.Fact;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One sentence per kind of fact, at one node. A {@link Fact.Visitor}: adding a kind of fact to the
 * engine fails compilation here until it has words. Null: nothing to say on its own.
 */
final class Words implements Fact.Visitor<String> {
    private final String node;

    Words(String node) {
        this.node = node == null ? "?" : node;
    }

    private String at(String sentence) {
        return node + ": " + sentence;
    }

    // ---- notes and failures

    @Override
    public String visit(Fact.Note f) {
        return null;
    }

    @Override
    public String visit(Fact.Listening f) {
        return at("started, listening on " + f.address());
    }

    @Override
    public String visit(Fact.Failure f) {
        String cause = f.cause() == null ? "" : " (" + f.cause().replace('_', ' ') + ")";
        return at("failed: " + (f.message() != null ? f.message() : "") + cause);
    }

    // ---- HTTP at a server

    @Override
    public String visit(Fact.RequestSeen f) {
        if (f.noRoute()) {
            return at(f.method() + " " + Fact.abbreviate(f.path()) + " matches no route, so the gateway answers 404 itself");
        }
        if (f.route() != null) {
            return at(f.method() + " " + Fact.abbreviate(f.path()) + " matched route " + f.route());
        }
        return null;
    }

    @Override
    public String visit(Fact.Answered f) {
        if (f.from() != null) {
            return null; // the proxy's choice and forward already tell where it went
        }
        if (f.how() != null && f.how().startsWith("file ") && (f.status() == 200 || f.status() == 206)) {
            // root/alias: sendfile from disk. No proxy_cache here (nginx's only stores what it proxies): a hot file stays
            // in the OS page cache, which is why it is fast.
            return at("served " + f.how().substring("file ".length()) + " from disk itself (" + f.status()
                    + "): no upstream involved, no proxy cache (the OS page cache keeps a hot file in memory)");
        }
        if (f.how() != null) {
            return at("answered " + f.status() + " itself (" + f.how() + "): no upstream involved");
        }
        return null; // the end of the line (a Tomcat): its worker's sentence says what it did
    }

    @Override
    public String visit(Fact.Forwarded f) {
        return at("sent it to " + f.to() + (f.reused() ? " on a kept-alive upstream connection (no new handshake)"
                : " on a new upstream connection"));
    }

    @Override
    public String visit(Fact.UpstreamChosen f) {
        StringBuilder s = new StringBuilder();
        if (f.step() != null) {
            s.append("route ").append(f.pool()).append("'s ").append(f.step().replace('_', ' ')).append(": ");
        } else {
            if (f.location() != null) {
                s.append("location ").append(f.location()).append(" -> ");
            }
            s.append("upstream ").append(f.pool()).append(", ");
        }
        List<Fact.PeerState> peers = f.peers();
        if (peers.size() == 1) {
            s.append("its only server ").append(f.server()).append(" (nothing to balance)");
            return at(s.toString());
        }
        switch (f.algorithm()) {
            case "round_robin" -> {
                s.append("smooth weighted round-robin picked ").append(f.server());
                if (!peers.isEmpty()) {
                    int total = peers.stream().filter(Fact.PeerState::eligible).mapToInt(Fact.PeerState::effectiveWeight).sum();
                    s.append(" (current weights after adding each effective weight: ")
                            .append(peers.stream().map(p -> p.server() + " " + (p.eligible() ? String.valueOf(p.currentWeight())
                                    : "skipped")).collect(Collectors.joining(", ")))
                            .append("; the highest wins and gives back the total ").append(total).append(')');
                }
            }
            case "least_conn" -> {
                s.append("least_conn picked ").append(f.server());
                if (!peers.isEmpty()) {
                    s.append(": fewest active connections per weight (")
                            .append(peers.stream().map(p -> p.server() + " " + p.connections() + "/" + p.weight()
                                    + (p.eligible() ? "" : " skipped")).collect(Collectors.joining(", ")))
                            .append(')');
                }
            }
            default -> s.append(algorithm(f.algorithm())).append(" picked ").append(f.server()).append(reasonSuffix(f));
        }
        if (f.reason() != null && !f.reason().isEmpty() && !f.reason().equals("rr") && !f.algorithm().equals("ip_hash")
                && !f.algorithm().startsWith("hash")) {
            s.append(" [").append(f.reason()).append(']');
        }
        return at(s.toString());
    }

    private static String reasonSuffix(Fact.UpstreamChosen f) {
        return f.reason() == null || f.reason().isEmpty() || f.reason().equals("rr") ? "" : " (" + f.reason() + ")";
    }

    private static String algorithm(String id) {
        return switch (id) {
            case "round_robin" -> "round-robin";
            case "least_conn" -> "least_conn";
            case "ip_hash" -> "ip_hash (the client's /24 picks the server)";
            case "hash" -> "hash of the key";
            case "hash_consistent", "consistent" -> "consistent hash (ketama)";
            default -> id;
        };
    }

    /** A failover: who failed and why, the condition that allows the retry, and where it went next (null: unknown yet). */
    String retry(Fact.Retry f, String next) {
        StringBuilder s = new StringBuilder();
        s.append(f.from()).append(" failed (").append(f.why()).append("); ");
        if (next != null) {
            s.append(node).append(" retried on ").append(next);
        } else {
            s.append(node).append(" tries the next server");
        }
        s.append(" (proxy_next_upstream ").append(f.condition()).append(", ").append(f.triesLeft())
                .append(f.triesLeft() == 1 ? " try" : " tries").append(" left)");
        return s.toString();
    }

    @Override
    public String visit(Fact.Retry f) {
        return retry(f, null);
    }

    @Override
    public String visit(Fact.GatewayRetry f) {
        return at((f.from() == null ? "the backend" : f.from()) + " failed (" + f.why() + "); the route's retry filter sends it again (retry " + f.retry() + " of "
                + f.retries() + ")");
    }

    @Override
    public String visit(Fact.Queued f) {
        return at("every worker was busy: it waited in the accept queue (position " + f.depth() + ")");
    }

    @Override
    public String visit(Fact.WorkerServed f) {
        String cpu = f.cpuBurnNanos() > 0 ? ", " + Explanations.millis(f.cpuBurnNanos()) + " of it real CPU" : "";
        return at("a worker took it after " + Explanations.millis(f.queuedNanos()) + " in the queue (" + f.busyWorkers() + " of "
                + f.maxThreads() + " workers busy with it, " + f.queued() + " waiting), " + Explanations.millis(f.serviceNanos())
                + " of service (modelled: " + f.model() + cpu + ", not measured)");
    }

    // ---- health

    @Override
    public String visit(Fact.ServerDown f) {
        if (f.pool() != null && f.failTimeoutNanos() > 0) {
            return at("after max_fails=" + f.fails() + " it will not try " + f.server() + " for fail_timeout="
                    + Explanations.duration(f.failTimeoutNanos()) + " (" + f.pool() + ")");
        }
        return at(f.server() + " taken out" + (f.pool() == null ? " of the pool" : " of " + f.pool()) + ": " + f.why());
    }

    @Override
    public String visit(Fact.ServerUp f) {
        return at(f.server() + " back in " + (f.pool() == null ? "the pool" : f.pool()) + ": " + f.why());
    }

    @Override
    public String visit(Fact.HealthChecked f) {
        return at(f.check() + " of " + f.target() + (f.ok() ? " passed: " : " failed: ") + f.detail()
                + (f.retry() > 0 ? " (retry " + f.retry() + ")" : ""));
    }

    // ---- cache

    @Override
    public String visit(Fact.CacheStatus f) {
        String status = f.status().toUpperCase(Locale.ROOT);
        return switch (status) {
            case "HIT" -> at("cache HIT for " + f.key() + (f.ageMillis() >= 0 ? ": stored " + Explanations.seconds(f.ageMillis())
                    + " ago, fresh for " + Explanations.seconds(f.freshMillis()) + " more" : "") + "; answered from memory");
            case "MISS" -> at("cache MISS for " + f.key() + ": not in this Nginx's cache yet (each Nginx has its own), "
                    + "so it is fetched and stored");
            case "EXPIRED" -> at("cache EXPIRED for " + f.key() + ": the entry outlived its validity, so it is fetched again");
            case "BYPASS" -> at("cache BYPASS for " + f.key() + ": the request asked not to be served from the cache");
            default -> at("cache " + status + " for " + f.key() + (f.note() == null ? "" : " (" + f.note() + ")"));
        };
    }

    // ---- layer 4

    @Override
    public String visit(Fact.L4Choice f) {
        StringBuilder s = new StringBuilder(node).append(" (").append(f.mode().toUpperCase(Locale.ROOT)).append(", ")
                .append(f.scheduler()).append("): ");
        List<Fact.L4Candidate> others = f.candidates();
        switch (f.scheduler()) {
            case "wlc", "lc" -> {
                boolean weighted = f.scheduler().equals("wlc");
                s.append(f.server()).append(" had the least connections").append(weighted ? " per weight" : "");
                if (others.size() > 1) {
                    s.append(" (").append(figures(f.server(), others, weighted)).append(')');
                }
            }
            case "rr" -> s.append(f.server()).append(" was next in turn (round robin)");
            case "wrr" -> s.append(f.server()).append(" was next in weighted turn").append(others.size() > 1
                    ? " (weights " + others.stream().map(c -> c.server() + " " + c.weight()).collect(Collectors.joining(", ")) + ")" : "");
            case "sh" -> s.append("the client's source address hashes to ").append(f.server());
            case "mh" -> s.append("the flow's Maglev lookup picks ").append(f.server());
            case "sed", "nq" -> s.append(f.server()).append(" had the shortest expected delay ((active + 1) / weight")
                    .append(others.size() > 1 ? ": " + others.stream().filter(Fact.L4Candidate::available)
                            .map(c -> c.server() + " " + (c.active() + 1) + "/" + c.weight()).collect(Collectors.joining(", ")) : "")
                    .append(')');
            default -> s.append("scheduled the connection to ").append(f.server());
        }
        if (isDr(f.mode())) {
            s.append("; only the first packet's destination changed (the MAC, not the IP); the reply bypasses the director");
        } else if ("nat".equalsIgnoreCase(f.mode())) {
            s.append("; the director rewrote the destination to ").append(f.server())
                    .append("'s address (NAT), and the reply comes back through it");
        }
        return s.toString();
    }

    private static boolean isDr(String mode) {
        return Explanations.isDr(mode);
    }

    /**
     * "3/1 vs 5/1": active connections per weight, the chosen first. With inactive connections (IPVS
     * counts FIN_WAIT/TIME_WAIT entries too), the overhead ipvsadm compares: 256 x active + inactive.
     */
    private static String figures(String chosen, List<Fact.L4Candidate> all, boolean weighted) {
        boolean inactive = all.stream().anyMatch(c -> c.inactive() > 0);
        Fact.L4Candidate first = all.stream().filter(c -> c.server().equals(chosen)).findFirst().orElse(null);
        StringBuilder s = new StringBuilder();
        if (first != null) {
            s.append(figure(first, weighted, inactive));
        }
        boolean tie = first != null;
        int compared = 0;
        for (Fact.L4Candidate c : all) {
            if (c == first) {
                continue;
            }
            s.append(s.length() == 0 ? "" : " vs ").append(c.server()).append(' ');
            if (!c.available()) {
                s.append("out of the pool");
                continue;
            }
            s.append(figure(c, weighted, inactive));
            compared++;
            if (first != null && overhead(c, inactive) * first.weight() != overhead(first, inactive) * c.weight()) {
                tie = false;
            }
        }
        if (inactive) {
            s.append("; overhead = 256 x active + inactive");
        }
        if (tie && compared > 0) {
            s.append("; a tie, so the first in the list won");
        }
        return s.toString();
    }

    private static long overhead(Fact.L4Candidate c, boolean inactive) {
        return inactive ? 256L * c.active() + c.inactive() : c.active();
    }

    private static String figure(Fact.L4Candidate c, boolean weighted, boolean inactive) {
        return overhead(c, inactive) + (weighted ? "/" + c.weight() : "");
    }

    // ---- HA

    @Override
    public String visit(Fact.HaTransition f) {
        return at("keepalived " + f.from().name() + " -> " + f.to().name() + ": " + f.why());
    }

    @Override
    public String visit(Fact.PriorityChanged f) {
        return at("keepalived priority " + f.from() + " -> " + f.to() + " (" + f.why() + ", weight " + f.weight() + ")");
    }

    @Override
    public String visit(Fact.LowerPriorityMaster f) {
        return at("the master " + f.master() + " has a lower priority (" + f.masterPriority() + " < " + f.ownPriority() + "); "
                + f.plan());
    }

    @Override
    public String visit(Fact.VipWithoutService f) {
        return at("holds the VIP " + f.vip() + " but its own service is down, so connections to the VIP are refused");
    }

    @Override
    public String visit(Fact.VipMoved f) {
        return at("the VIP " + f.vip() + " moved to " + f.to() + (f.from() == null ? "" : " from " + f.from())
                + " (gratuitous ARP tells the network)");
    }

    @Override
    public String visit(Fact.AdvertMissed f) {
        return at("missed the master " + f.master() + "'s VRRP advert (" + f.inARow() + " in a row)");
    }

    @Override
    public String visit(Fact.AdvertDropped f) {
        return at("a partition dropped " + f.from() + "'s advert (" + f.droppedSoFar() + " so far)");
    }

    @Override
    public String visit(Fact.Partition f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.DuplicateVip f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.DuplicateVipResolved f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.SplitBrain f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.SplitBrainResolved f) {
        return at(f.describe());
    }

    // ---- DNS

    @Override
    public String visit(Fact.DnsQuery f) {
        return null; // its answer says it all
    }

    @Override
    public String visit(Fact.DnsAnswer f) {
        String name = f.name() == null ? "(no question)" : trimDot(f.name());
        if (!"NOERROR".equals(f.rcode())) {
            return at(name + " " + f.qclass() + f.type() + ": " + f.rcode());
        }
        return at("answered " + name + " " + f.qclass() + f.type() + " with " + String.join(", ", f.addresses())
                + (f.ttl() >= 0 ? " (TTL " + f.ttl() + " s)" : "") + (f.udp() ? " over UDP" : " over TCP")
                + (f.truncated() ? ", truncated: the client must ask again over TCP" : ""));
    }

    @Override
    public String visit(Fact.Resolved f) {
        String name = trimDot(f.name());
        if (f.fromCache()) {
            return "DNS: " + name + " -> " + f.chosen() + ", cached for " + f.secondsLeft() + " more seconds (TTL " + f.ttlSeconds()
                    + "): the client's resolver answered, no query sent";
        }
        return "DNS: " + name + " -> " + f.chosen() + (f.addresses().size() > 1 ? " (first of " + String.join(", ", f.addresses())
                + ")" : "") + ", asked " + node + (f.server() == null ? "" : " at " + f.server()) + "; the client keeps it for its TTL "
                + f.ttlSeconds() + " s";
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    // ---- gateway

    /** A filter's decision as one step of the gateway's sentence, or null (the access log says nothing new). */
    String filterStep(Fact.FilterDecision f) {
        return switch (f.filter()) {
            case "access_log" -> null;
            case "trace_id" -> "trace id " + f.decision();
            case "risk_control" -> "risk control " + f.decision();
            case "auth" -> "authentication " + f.decision();
            case "rate_limit" -> "rate limit " + f.decision();
            case "circuit_breaker" -> "circuit breaker " + f.decision();
            case "protocol_conversion" -> "converted to RPC";
            default -> f.filter().replace('_', ' ') + " " + f.decision();
        };
    }

    @Override
    public String visit(Fact.FilterDecision f) {
        String step = filterStep(f);
        return step == null ? null : at(step);
    }

    @Override
    public String visit(Fact.FilterRefusal f) {
        return at(f.filter().replace('_', ' ') + " answered " + f.status() + " itself: " + f.reason());
    }

    @Override
    public String visit(Fact.CircuitChange f) {
        return at("circuit breaker of route " + f.route() + " " + f.from() + " -> " + f.to() + " (" + f.why() + ")");
    }

    // ---- RPC

    @Override
    public String visit(Fact.RpcMessage f) {
        return null; // the frames are shown as they are; the worker and the conversion explain the hop
    }

    @Override
    public String visit(Fact.ProtocolConversion f) {
        return at("turned the RPC reply (status " + f.reply().status() + ", " + f.reply().bodyBytes() + " B) into HTTP/1.1 "
                + f.status() + " " + f.reasonPhrase());
    }

    // ---- captures

    @Override
    public String visit(Fact.HeadersSeen f) {
        return null;
    }

    @Override
    public String visit(Fact.FrameSeen f) {
        return null;
    }

    // ---- the client

    @Override
    public String visit(Fact.ClientRequest f) {
        return null; // the visit's own line says what was asked, on which connection
    }

    @Override
    public String visit(Fact.ClientResponse f) {
        return null;
    }

    @Override
    public String visit(Fact.ClientError f) {
        return at("the request failed: " + f.cause().replace('_', ' ') + " (" + f.detail() + ")");
    }

    // ---- beyond LVS

    @Override
    public String visit(Fact.FlowHashed f) {
        return at("ECMP (" + f.policy() + ") hashed flow " + f.flow() + " to " + f.nextHop() + " of " + f.liveNextHops()
                + " next hops");
    }

    @Override
    public String visit(Fact.FlowRehashed f) {
        return at("flow " + f.flow() + " now hashes to " + f.to() + " instead of " + f.from() + " (" + f.policy() + ")");
    }

    @Override
    public String visit(Fact.NextHopChanged f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.MovedFlow f) {
        return at(f.describe());
    }

    @Override
    public String visit(Fact.TableRebuilt f) {
        return at(f.describe());
    }
}
