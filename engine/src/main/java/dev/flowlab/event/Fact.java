package dev.flowlab.event;

import java.util.List;
import java.util.Map;

/**
 * What an event says, as typed fields instead of a sentence: one record per kind of fact. Emitters
 * build the record (cheaper than formatting a string); {@link #describe()} renders the sentence a
 * human reads, lazily, only where one is shown ({@link LabEvent#detail()}, the event log, JSON
 * outputs). Consumers switch on the record type ({@code instanceof}) and never parse the sentence.
 */
public sealed interface Fact {

    /**
     * Everything that turns a fact into something (a reader's sentence, say) without an
     * {@code instanceof} chain: one method per kind, so a new kind of fact fails to compile until
     * every visitor handles it (Java 17 has no exhaustive pattern switch; this is its equivalent).
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of {@link Fact}; see {@link #accept}. */
    interface Visitor<R> {
        R visit(Note f);

        R visit(Listening f);

        R visit(Failure f);

        R visit(RequestSeen f);

        R visit(Answered f);

        R visit(Forwarded f);

        R visit(UpstreamChosen f);

        R visit(Retry f);

        R visit(GatewayRetry f);

        R visit(Queued f);

        R visit(WorkerServed f);

        R visit(ServerDown f);

        R visit(ServerUp f);

        R visit(HealthChecked f);

        R visit(CacheStatus f);

        R visit(L4Choice f);

        R visit(HaTransition f);

        R visit(PriorityChanged f);

        R visit(LowerPriorityMaster f);

        R visit(VipWithoutService f);

        R visit(VipMoved f);

        R visit(AdvertMissed f);

        R visit(AdvertDropped f);

        R visit(Partition f);

        R visit(DuplicateVip f);

        R visit(DuplicateVipResolved f);

        R visit(SplitBrain f);

        R visit(SplitBrainResolved f);

        R visit(DnsQuery f);

        R visit(DnsAnswer f);

        R visit(Resolved f);

        R visit(FilterDecision f);

        R visit(FilterRefusal f);

        R visit(CircuitChange f);

        R visit(RpcMessage f);

        R visit(ProtocolConversion f);

        R visit(HeadersSeen f);

        R visit(FrameSeen f);

        R visit(ClientRequest f);

        R visit(ClientResponse f);

        R visit(ClientError f);

        R visit(FlowHashed f);

        R visit(FlowRehashed f);

        R visit(NextHopChanged f);

        R visit(MovedFlow f);

        R visit(TableRebuilt f);
    }

    /** The human sentence, as the event log and {@code lab run --events} show it. */
    String describe();

    /** The request path this fact is about, or null (the live view colours traffic by it). */
    default String path() {
        return null;
    }

    /** A request target cut for display (the raw one is kept in the record). */
    static String abbreviate(String uri) {
        if (uri == null) {
            return "";
        }
        return uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
    }

    // ---- free notes (lifecycle and other messages no consumer reads)

    /** A genuinely free human note: node lifecycle, connection open/close. Keep its use minimal. */
    record Note(String text) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return text;
        }
    }

    /** A server node bound its listener. */
    record Listening(String address) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "listening on " + address;
        }
    }

    // ---- failures

    /**
     * An error, timeout or refusal: a short machine cause ({@code queue_full}, {@code max_connections},
     * {@code client_timeout}...) and the human message (nginx's error log wording), either may be null.
     */
    record Failure(String cause, String message) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return message != null ? message : "cause=" + cause;
        }
    }

    // ---- HTTP requests at a server hop

    /** A request arrived: method, path, the client's address, and at a gateway the route it matched (null: none, noRoute). */
    record RequestSeen(String method, String path, String client, String route, boolean noRoute) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public RequestSeen(String method, String path, String client) {
            this(method, path, client, null, false);
        }

        @Override
        public String describe() {
            if (noRoute) {
                return method + " " + path + ": no route";
            }
            return method + " " + abbreviate(path) + (route != null ? " -> route " + route : "");
        }
    }

    /**
     * A response went back: the request, the status, the node that produced it ({@code from}, null
     * when the server answered itself) and how it was produced when not by an upstream
     * ({@code how}: "cache HIT", "file", "no location matches" ...).
     */
    record Answered(String method, String path, int status, String from, String how) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return method + " " + abbreviate(path) + ": " + (how != null ? how : status + (from != null ? " from " + from : ""));
        }
    }

    /** A proxy sent the request to its chosen server, on a reused (keepalive) or new connection. */
    record Forwarded(String method, String path, String to, boolean reused) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return method + " " + abbreviate(path) + " -> " + to + (reused ? " (keepalive connection)" : " (new connection)");
        }
    }

    /**
     * A balancer chose a server: the pool (nginx upstream, gateway route), the server, the
     * balancing method and what made the choice (the balancer's own words: current weights,
     * connection counts, the hash...). {@code step} is the gateway filter that chose, null for nginx.
     */
    record UpstreamChosen(String pool, String server, String algorithm, String reason, String step, String location,
                          List<PeerState> peers) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public UpstreamChosen {
            peers = peers == null ? List.of() : List.copyOf(peers);
        }

        /** Without the location and the balancer's state (a gateway route's choice, a test's fact). */
        public UpstreamChosen(String pool, String server, String algorithm, String reason, String step) {
            this(pool, server, algorithm, reason, step, null, List.of());
        }

        @Override
        public String describe() {
            if (step != null) {
                return step + ": route " + pool + " chose " + server + " (" + reason + ")";
            }
            return "server=" + server + " upstream=" + pool + " algorithm=" + algorithm + " why=" + reason;
        }
    }

    /**
     * One server of a balancer at the moment it chose, for the reader of a traced request: its
     * configured and effective weight, its smooth weighted round-robin current weight after this
     * pick's increment and before the winner gave back the total ({@code currentWeight}), its active
     * connections, and whether it was eligible (not tried yet for this request, not down, not failed recently).
     */
    record PeerState(String server, int weight, int effectiveWeight, int currentWeight, int connections, boolean eligible) {
    }

    /**
     * A proxy tries the next server: the condition ({@code proxy_next_upstream error, timeout,
     * http_502...}), the server that failed, why, how many tries are left, and the request path.
     */
    record Retry(String condition, String from, String why, int triesLeft, String path) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "proxy_next_upstream " + condition + ": " + why + "; tries left " + triesLeft;
        }
    }

    /** A gateway route's retry filter tries again: why, which retry of how many. */
    record GatewayRetry(String from, String why, int retry, int retries) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "retry: " + why + "; retry " + retry + " of " + retries;
        }
    }

    /** A request waits for a worker thread (Tomcat's accept queue): its depth. */
    record Queued(int depth) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "waiting for a worker, queue depth " + depth;
        }
    }

    /**
     * A Tomcat worker took a request (only for a watched trace): how many of the pool's workers were
     * busy with it counted, the pool's size (maxThreads), the requests still waiting in the accept
     * queue, how long this one waited there, and its service time, which the lab models (drawn from
     * {@code model}, e.g. "fixed 20 ms") rather than measures; {@code cpuBurnNanos} is the real CPU
     * spin inside it.
     */
    record WorkerServed(int busyWorkers, int maxThreads, int queued, long queuedNanos, long serviceNanos, String model,
                        long cpuBurnNanos) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "worker " + busyWorkers + " of " + maxThreads + " busy, " + queuedNanos / 1_000_000 + " ms queued, "
                    + serviceNanos / 1_000_000 + " ms service (modelled: " + model + ")";
        }
    }

    // ---- server health

    /**
     * A balancer took a server out: the pool ("upstream backend", "route api", null for a director),
     * the server, the failures counted and for how long it stays out (nginx's max_fails /
     * fail_timeout; 0 when not applicable), or the health checker's words ({@code why}).
     */
    record ServerDown(String pool, String server, int fails, long failTimeoutNanos, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return why;
        }
    }

    /** A balancer put a server back: the pool, the server and why. */
    record ServerUp(String pool, String server, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return why;
        }
    }

    /** One health check of a real server: the check's type (TCP_CHECK, HTTP_GET...), its outcome and what it saw. */
    record HealthChecked(String check, String target, boolean ok, String detail, int retry) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return check + (ok ? " ok: " : " failed: ") + detail + (retry > 0 ? " (retry " + retry + ")" : "");
        }
    }

    // ---- cache

    /** nginx's $upstream_cache_status for a request (HIT, MISS, EXPIRED, STALE, UPDATING, REVALIDATED, BYPASS), its key and a note. */
    record CacheStatus(String status, String key, String note, long ageMillis, long freshMillis) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        /** Without the entry's age (a MISS has no entry; -1: unknown). */
        public CacheStatus(String status, String key, String note) {
            this(status, key, note, -1, -1);
        }

        @Override
        public String describe() {
            return "key " + key + (note == null ? "" : " (" + note + ")");
        }
    }

    // ---- layer 4

    /**
     * A director scheduled a new connection: the scheduler (rr, wrr, lc...), the real server, the
     * forwarding mode (nat, dr), the client's address and the scheduler's figure for the chosen
     * server (its weight and active connections; -1 when unknown).
     */
    record L4Choice(String scheduler, String server, String mode, String client, int weight, int activeConnections,
                    List<L4Candidate> candidates) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public L4Choice {
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }

        /** Without the other real servers' figures. */
        public L4Choice(String scheduler, String server, String mode, String client, int weight, int activeConnections) {
            this(scheduler, server, mode, client, weight, activeConnections, List.of());
        }

        @Override
        public String describe() {
            return scheduler + " " + mode + " from " + (client == null ? "?" : client);
        }
    }

    /**
     * A real server as the director's scheduler saw it just before the choice (ipvsadm -L's figures):
     * its weight, active and inactive connections, and whether it could be chosen (in the pool, weight
     * above 0, not overloaded).
     */
    record L4Candidate(String server, int weight, int active, int inactive, boolean available) {
    }

    // ---- HA (VRRP)

    /** The states of a VRRP instance, as keepalived names them. */
    enum HaRole {
        INIT, BACKUP, MASTER, FAULT, STOPPED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A VRRP instance changed state: from, to, why. A demoted master's role is {@code to}. */
    record HaTransition(HaRole from, HaRole to, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return from.name() + " -> " + to.name() + ": " + why;
        }
    }

    /** A VRRP instance in {@code state} has a new effective priority (a track_script changed): from, to, why, the weight. */
    record PriorityChanged(HaRole state, int from, int to, String why, int weight) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return state.name() + ": priority " + from + " -> " + to + " (" + why + ", weight " + weight + ")";
        }
    }

    /** A backup hears a master of lower priority: the master, both priorities, and what the backup will do. */
    record LowerPriorityMaster(String master, int masterPriority, int ownPriority, String plan) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "BACKUP: master " + master + " has lower priority " + masterPriority + " < " + ownPriority + "; " + plan;
        }
    }

    /** A master holds the VIP but its own service is down. */
    record VipWithoutService(String vip) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "MASTER holds VIP " + vip + " but its local service is down: connections to the VIP are refused";
        }
    }

    /** The VIP is now bound at {@code to} (gratuitous ARP); {@code from} the previous holder, or null. */
    record VipMoved(String vip, String from, String to) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "gratuitous ARP: VIP " + vip + " now at " + to;
        }
    }

    /** A backup missed the master's advert: the master and how many in a row. */
    record AdvertMissed(String master, int inARow) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "advert missed from " + master + " (" + inARow + " in a row)";
        }
    }

    /** A partition dropped an advert: from whom, and how many so far. */
    record AdvertDropped(String from, long droppedSoFar) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "advert from " + from + " dropped by the partition (" + droppedSoFar + " so far)";
        }
    }

    /** A VRRP partition between two members was made or healed. */
    record Partition(String a, String b, boolean healed) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return healed ? "partition healed: adverts flow between " + a + " and " + b + " again"
                    : "partition: VRRP adverts between " + a + " and " + b + " are dropped";
        }
    }

    /**
     * Two or more hosts hold the VIP, at least one of them left behind by a killed keepalived:
     * the VIP, the holders in order, those whose keepalived was killed, and those in MASTER.
     */
    record DuplicateVip(String vip, List<String> holders, List<String> killed, List<String> masters) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public DuplicateVip {
            holders = List.copyOf(holders);
            killed = List.copyOf(killed);
            masters = List.copyOf(masters);
        }

        @Override
        public String describe() {
            List<String> named = holders.stream()
                    .map(h -> h + (killed.contains(h) ? " (keepalived killed)" : masters.contains(h) ? " (MASTER)" : "")).toList();
            String all = holders.size() == 2 ? "both" : "all";
            return "duplicate VIP: " + String.join(" and ", named) + " " + all + " hold " + vip
                    + ": the killed keepalived removed nothing, so " + String.join(" and ", killed)
                    + " still answers on it; new connections are spread between the holders (SO_REUSEPORT in the lab, ARP "
                    + "flapping between hosts on a real network) until the VIP is removed there (start keepalived, or kill the host)";
        }
    }

    /** The duplicate VIP ended: who holds it now (null: nobody), and why (null when not known). */
    record DuplicateVipResolved(String vip, String holder, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "duplicate VIP resolved: " + (holder == null ? "no member holds " + vip : "only " + holder + " holds " + vip)
                    + (why == null ? "" : " (" + why + ")");
        }
    }

    /** Two or more members are MASTER an advert interval after a handover would have settled. */
    record SplitBrain(String vip, List<String> masters) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public SplitBrain {
            masters = List.copyOf(masters);
        }

        @Override
        public String describe() {
            String all = masters.size() == 2 ? "both" : "all";
            return "split brain: " + String.join(" and ", masters) + " are " + all + " MASTER and " + all + " hold VIP " + vip
                    + " (new connections are spread between them)";
        }
    }

    /** The split brain ended: the only master left, or null for none. */
    record SplitBrainResolved(String master) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "split brain resolved: " + (master == null ? "no master" : master + " is the only MASTER");
        }
    }

    // ---- DNS

    /** A query arrived: the name, its class label ("" for IN, "CH "...) and type (A, AAAA, ANY...). */
    record DnsQuery(String name, String qclass, String type) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return name + " " + qclass + type;
        }
    }

    /**
     * An answer went out: the question (null name for a reply without one), the rcode's name, the
     * A addresses and their TTL (-1: none), whether it was truncated (the records that did not fit
     * in {@code limit} bytes), the transport, and the client's EDNS buffer size (-1: no EDNS).
     */
    record DnsAnswer(String name, String qclass, String type, String rcode, List<String> addresses, long ttl,
                     boolean truncated, int records, int limit, boolean udp, int ednsSize, boolean dnssecOk) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder();
            if (name != null) {
                b.append(name).append(' ').append(qclass).append(type).append(' ');
            }
            b.append(rcode);
            if (ttl >= 0 && !addresses.isEmpty()) {
                b.append(' ').append(String.join(",", addresses)).append(" ttl=").append(ttl);
            }
            if (truncated) {
                b.append(" TC (").append(records).append(" records do not fit in ").append(limit).append(" bytes: retry over TCP)");
            }
            b.append(udp ? " udp" : " tcp");
            if (ednsSize >= 0) {
                b.append(" edns ").append(ednsSize).append(dnssecOk ? " do" : "");
            }
            return b.toString();
        }
    }

    /**
     * A client's resolver has an address for a name: from its cache while the answer's TTL lasts
     * ({@code fromCache}, no query sent), or by asking the DNS server ({@code server}, "host:port").
     * {@code chosen} is the address it connects to (the first record), {@code secondsLeft} how long
     * the answer stays cached from now.
     */
    record Resolved(String name, List<String> addresses, String chosen, long ttlSeconds, long secondsLeft,
                    boolean fromCache, String server) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public Resolved {
            addresses = List.copyOf(addresses);
        }

        @Override
        public String describe() {
            return name + " -> " + chosen + (fromCache ? " from the client's cache, " + secondsLeft + " s of TTL " + ttlSeconds + " left"
                    : " asked " + server + ", TTL " + ttlSeconds);
        }
    }

    // ---- gateway

    /** A gateway filter's decision for one request: the filter and what it decided, in its words (figures included). */
    record FilterDecision(String filter, String decision) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return filter + ": " + decision;
        }
    }

    /** A gateway filter (or the routing, the load balancer) answered the request itself: the status and why. */
    record FilterRefusal(String filter, int status, String reason) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return filter + ": " + status + " " + reason;
        }
    }

    /** A route's circuit breaker changed state (CLOSED, OPEN, HALF_OPEN) and why. */
    record CircuitChange(String route, String from, String to, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "circuit breaker of route " + route + ": " + from + " -> " + to + " (" + why + ")";
        }
    }

    // ---- RPC

    /**
     * An RPC message's fields (the lab's RPC protocol): request (method, path, params) or response
     * (status), its ids, attachments, and its body and framed sizes.
     */
    record RpcMessage(boolean request, int version, long requestId, String traceId, String method, String path,
                      Map<String, String> params, int status, Map<String, String> attachments, int bodyBytes,
                      int framedBytes) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            StringBuilder s = new StringBuilder(96);
            s.append("RPC v").append(version).append(' ').append(request ? "REQUEST" : "RESPONSE").append(" #").append(requestId);
            if (!traceId.isEmpty()) {
                s.append(" trace=").append(traceId);
            }
            if (request) {
                s.append(' ').append(method).append(' ').append(path);
                if (!params.isEmpty()) {
                    s.append(" params").append(params);
                }
            } else {
                s.append(" status=").append(status);
            }
            if (!attachments.isEmpty()) {
                s.append(" attachments").append(attachments);
            }
            s.append(" body=").append(bodyBytes).append(" B (").append(framedBytes).append(" B framed)");
            return s.toString();
        }
    }

    /** The gateway turned an RPC reply into the HTTP response: the reply and the HTTP status line it became. */
    record ProtocolConversion(RpcMessage reply, int status, String reasonPhrase) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "protocol_conversion: " + reply.describe() + " -> HTTP/1.1 " + status + " " + reasonPhrase;
        }
    }

    // ---- captures of a watched trace ({@link TraceMarks})

    /** One header as it was on the wire. */
    record Header(String name, String value) {
    }

    /**
     * Headers of a request or response at one hop: what ("request received", "response sent"...),
     * the connection ("local -> remote", null when unknown), the start line and the headers in order.
     */
    record HeadersSeen(String what, String connection, String startLine, List<Header> headers) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public HeadersSeen {
            headers = List.copyOf(headers);
        }

        /** The start line and the headers, one per line, as the inspector shows them. */
        public String text() {
            StringBuilder s = new StringBuilder(256).append(startLine);
            for (Header h : headers) {
                s.append('\n').append(h.name()).append(": ").append(h.value());
            }
            return s.toString();
        }

        @Override
        public String describe() {
            return what + "\nconn " + (connection == null ? "?" : connection) + "\n" + text();
        }
    }

    /** An RPC frame as it crossed the wire at one hop of a watched trace. */
    record FrameSeen(RpcFrameCapture capture) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return capture.describe();
        }
    }

    // ---- the load client

    /** The load client sent a request. */
    record ClientRequest(String method, String path) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return method + " " + path;
        }
    }

    /** The load client got its answer (status and latency are the event's). */
    record ClientResponse(String path) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return path;
        }
    }

    /** The load client's request failed: the cause ({@code connect_refused}, {@code read_timeout}...) and what it saw. */
    record ClientError(String cause, String detail, String path) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "cause=" + cause + " " + detail;
        }
    }

    // ---- beyond LVS: ECMP router and Maglev fleet ----

    /** The router hashed a new flow to one of its equal-cost next hops. */
    record FlowHashed(String policy, String flow, String nextHop, int liveNextHops) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "ecmp " + policy + ": flow " + flow + " hashed to " + nextHop + " (of " + liveNextHops + ")";
        }
    }

    /** A flow's hash now picks another next hop (one went away or came back). */
    record FlowRehashed(String policy, String flow, String from, String to) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return "flow " + flow + " re-hashed from " + from + " to " + to + " (" + policy + ")";
        }
    }

    /** A next hop's BFD session changed: {@code up}, with how many next hops are live now. */
    record NextHopChanged(String nextHop, boolean up, int liveNextHops, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return up ? "BFD session up: " + nextHop + " back in the ECMP group (" + liveNextHops + " next hops)"
                    : "balancer lost: " + why + "; " + liveNextHops + " next hops left, its flows re-hash";
        }
    }

    /** A moved flow reached a balancer with no entry for it, and what became of its connection. */
    record MovedFlow(String flow, String scheduler, String backend, boolean survived, String why) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return survived ? "flow " + flow + " arrived with no connection entry; " + scheduler + " picked " + backend
                    + ", the backend holding it, so the connection lives on (new entry)"
                    : "flow " + flow + " reset: " + why;
        }
    }

    /** A balancer rebuilt its Maglev lookup table: how many slots changed backend, against 1/N. */
    record TableRebuilt(int backends, int moved, int size, double oneOverNPercent) implements Fact {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT,
                    "maglev table rebuilt for %d backends: %d of %d slots (%.1f%%) changed backend; 1/N = %.1f%%",
                    backends, moved, size, 100.0 * moved / Math.max(1, size), oneOverNPercent);
        }
    }
}
