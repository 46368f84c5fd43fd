package dev.flowlab.visit;

import dev.flowlab.client.DnsTarget;
import dev.flowlab.client.ErrorCauses;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.event.TraceMarks;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.runtime.Transport;
import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceBuilder;
import dev.flowlab.trace.TraceHop;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser on a lab's client node: what a learner's browser does when they type a keyword. It
 * resolves the site's name through the lab's DNS tier with a real query, keeping the answer for its
 * TTL as a stub resolver does (a second visit within the TTL reuses it and says so), connects to
 * the VIP from the client's own address, sends {@code GET /search?q=KEYWORD}, reads the page's
 * style sheets, scripts and images and fetches them over the same keep-alive connection. Every
 * request carries its own {@link LabHeaders#X_LAB_TRACE} id, watched on the lab's
 * {@link TraceMarks} so every tier captures its hop, and comes back with the {@link Trace} the lab's
 * events rebuilt.
 *
 * <p>Independent of the load client: a visit may run while traffic flows, and its requests are
 * told apart by their trace ids and its connection's address. One visit at a time per browser;
 * {@link #visit} blocks (call it off any UI thread).
 */
public final class Browser implements AutoCloseable {
    public static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) RequestFlowLab-Browser/0.1";
    static final int MAX_RESPONSE_BYTES = 4 << 20;
    /** After the last answer, how long the browser waits for events still being published by the hops' threads. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    private static final Pattern ASSET = Pattern.compile(
            "<(link|script|img)\\b[^>]*?\\b(href|src)\\s*=\\s*\"([^\"]*)\"[^>]*>", Pattern.CASE_INSENSITIVE);

    private final Lab lab;
    private final String clientId;
    private final String host;
    private final String dnsNode;
    private final DnsTarget resolver;
    private final Function<InetAddress, InetSocketAddress> portOf;
    private final InetSocketAddress source;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final LongSupplier nanoClock;
    private final Set<String> directors;
    private final Bootstrap bootstrap;

    private Browser(Lab lab, String clientId, LongSupplier nanoClock) {
        this.lab = lab;
        this.clientId = clientId;
        this.nanoClock = nanoClock;
        NodeSpec spec = lab.scenario().node(clientId)
                .orElseThrow(() -> new IllegalArgumentException("no node '" + clientId + "' in the scenario"));
        if (spec.kind() != NodeKind.CLIENT) {
            throw new IllegalArgumentException("node " + clientId + " is a " + spec.kind().id() + ", not a client");
        }
        ClientConfig cfg = Params.withDefaults(spec.configAs(ClientConfig.class));
        this.host = cfg.host();
        this.requestTimeout = cfg.requestTimeout();
        this.connectTimeout = cfg.connectTimeout();
        InetSocketAddress own = lab.address(clientId);
        this.source = own == null ? null : new InetSocketAddress(own.getAddress(), 0);
        List<NodeSpec> links = lab.scenario().downstreamOf(clientId);
        this.dnsNode = !links.isEmpty() && links.get(0).kind() == NodeKind.DNS ? links.get(0).id() : null;
        if (dnsNode != null) {
            List<String> behind = lab.scenario().downstreamOf(dnsNode).stream().map(NodeSpec::id).toList();
            this.portOf = vip -> {
                for (String id : behind) {
                    InetSocketAddress a = lab.serviceAddress(id);
                    if (a != null && a.getAddress().equals(vip)) {
                        return a;
                    }
                }
                return null;
            };
            this.resolver = new DnsTarget(lab.group().next(), () -> lab.address(dnsNode), host, source, portOf,
                    Duration.ofSeconds(2), nanoClock);
        } else {
            this.portOf = null;
            this.resolver = null;
        }
        this.directors = lab.scenario().nodes().stream()
                .filter(n -> n.kind() == NodeKind.LVS || n.kind() == NodeKind.ROUTER)
                .map(NodeSpec::id).collect(Collectors.toUnmodifiableSet());
        this.bootstrap = new Bootstrap().group(lab.group().next()).channelFactory(Transport.clientChannels())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES), new Exchange());
                    }
                });
    }

    /** A browser on the scenario's first client node. */
    public static Browser forLab(Lab lab) {
        String client = lab.scenario().nodesOfKind(NodeKind.CLIENT).stream().findFirst().map(NodeSpec::id)
                .orElseThrow(() -> new IllegalArgumentException("the scenario has no client node to browse from"));
        return new Browser(lab, client, lab.clock());
    }

    /** A browser on the given client node, its resolver's TTLs counted on {@code nanoClock} (tests move it). */
    public static Browser forLab(Lab lab, String clientNodeId, LongSupplier nanoClock) {
        return new Browser(lab, clientNodeId, nanoClock);
    }

    public String clientNode() {
        return clientId;
    }

    /** The site's name, as the client resolves it and sends it in Host. */
    public String host() {
        return host;
    }

    /** The path of the shop's search page for a keyword: {@code /search?q=...}, the keyword encoded as a form would. */
    public static String searchPath(String keyword) {
        QueryStringEncoder q = new QueryStringEncoder("/search");
        q.addParam("q", keyword);
        return q.toString();
    }

    /** Types the keyword into the shop's search box: a visit of {@link #searchPath}. */
    public Visit search(String keyword) throws VisitException {
        if (keyword == null || keyword.isBlank()) {
            throw new IllegalArgumentException("the keyword is empty");
        }
        return visit(searchPath(keyword.strip()), keyword.strip());
    }

    /** {@link #search} on its own thread. */
    public CompletableFuture<Visit> searchAsync(String keyword) {
        CompletableFuture<Visit> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(search(keyword));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "flowlab-browser-visit");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Opens a path of the site and fetches the assets its HTML links; {@code keyword} is only recorded. */
    public synchronized Visit visit(String path, String keyword) throws VisitException {
        if (lab.isClosed()) {
            throw new VisitException("the lab is not running");
        }
        EventBus bus = lab.events();
        TraceMarks marks = bus.traceMarks();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        String clientHost = source == null ? null : source.getAddress().getHostAddress();
        EventBus.Subscription sub = bus.subscribe(16_384, e -> (e.traceId() != null && ids.contains(e.traceId()))
                || (e.traceId() == null && directors.contains(e.node()))
                || (e.traceId() == null && (e.type() == EventType.SERVER_DOWN || e.type() == EventType.SERVER_UP))
                || (dnsNode != null && dnsNode.equals(e.node()) && e.peer() != null && clientHost != null
                        && (e.type() == EventType.DNS_QUERY || e.type() == EventType.DNS_ANSWER)
                        && e.peer().startsWith(clientHost + ":")));
        List<LabEvent> seen = new ArrayList<>();
        List<Attempt> attempts = new ArrayList<>();
        Connection conn = null;
        try {
            long lookupStart = now();
            Fact.Resolved resolved = null;
            LabEvent resolvedEvent = null;
            InetSocketAddress to;
            if (resolver != null) {
                long queriesBefore = resolver.queries();
                DnsTarget.Resolution r;
                try {
                    r = resolver.resolution().get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new VisitException("DNS: " + e.getCause().getMessage(), e.getCause());
                }
                boolean fromCache = resolver.queries() == queriesBefore;
                long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(r.expiresAtNanos() - nanoClock.getAsLong()));
                InetSocketAddress dns = lab.address(dnsNode);
                resolved = new Fact.Resolved(host, r.answer().stream().map(InetAddress::getHostAddress).toList(),
                        r.vip().getHostAddress(), r.ttlSeconds(), left, fromCache,
                        dns == null ? null : TcpServerNode.hostPort(dns));
                resolvedEvent = emit(EventType.DNS_QUERY, dnsNode, null, 0, now() - lookupStart, resolved);
                to = portOf.apply(r.vip());
                if (to == null) {
                    throw new VisitException("DNS: " + host + " -> " + r.vip().getHostAddress()
                            + ", but no lab node answers on that address");
                }
            } else {
                NodeSpec entry = lab.httpEntry().orElseThrow(() -> new VisitException("the client has no link to a server"));
                to = lab.serviceAddress(entry.id());
                if (to == null) {
                    throw new VisitException("node " + entry.id() + " has no address (is it running?)");
                }
            }
            long lookupEnd = now();

            Attempt page = new Attempt(path, Visit.Role.PAGE);
            attempts.add(page);
            conn = fetch(page, conn, to, ids, marks);
            if (page.status == 200 && page.contentType != null && page.contentType.startsWith("text/html")) {
                for (Map.Entry<String, Visit.Role> a : assetsOf(new String(page.body, java.nio.charset.StandardCharsets.UTF_8)).entrySet()) {
                    Attempt asset = new Attempt(a.getKey(), a.getValue());
                    attempts.add(asset);
                    conn = fetch(asset, conn, to, ids, marks);
                }
            }
            // Hops on other threads may publish a moment after the client has its answer.
            // Real time: a wait for the hops' threads, not a stamp.
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < SETTLE_NANOS) {
                if (sub.drain(seen::add, 16_384) > 0) {
                    quietSince = System.nanoTime();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VisitException("interrupted");
                }
            }
            sub.drain(seen::add, 16_384);
            return assemble(path, keyword, resolved, resolvedEvent, lookupStart, lookupEnd, attempts, seen);
        } catch (TimeoutException e) {
            throw new VisitException("DNS: no answer from " + dnsNode + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisitException("interrupted");
        } finally {
            if (conn != null) {
                conn.channel.close();
            }
            sub.close();
            for (String id : ids) {
                marks.release(id);
            }
        }
    }

    /** The same-site style sheets, scripts and images an HTML page links, in document order, each once. */
    static Map<String, Visit.Role> assetsOf(String html) {
        Map<String, Visit.Role> out = new LinkedHashMap<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) {
            String tag = m.group(1).toLowerCase(Locale.ROOT);
            String attr = m.group(2).toLowerCase(Locale.ROOT);
            String url = m.group(3).replace("&amp;", "&");
            Visit.Role role;
            if (tag.equals("link") && attr.equals("href")) {
                if (!m.group(0).toLowerCase(Locale.ROOT).matches("(?s).*\\brel\\s*=\\s*\"[^\"]*stylesheet[^\"]*\".*")) {
                    continue;
                }
                role = Visit.Role.STYLESHEET;
            } else if (tag.equals("script") && attr.equals("src")) {
                role = Visit.Role.SCRIPT;
            } else if (tag.equals("img") && attr.equals("src")) {
                role = Visit.Role.IMAGE;
            } else {
                continue;
            }
            // Same site only: an absolute path (another origin would be another name to resolve).
            if (url.startsWith("/") && !url.startsWith("//")) {
                out.putIfAbsent(url, role);
            }
        }
        return out;
    }

    private Connection fetch(Attempt a, Connection conn, InetSocketAddress to, Set<String> ids, TraceMarks marks)
            throws InterruptedException {
        a.traceId = "visit-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        a.startNanos = now();
        try {
            return send(a, conn, to, ids, marks);
        } finally {
            a.endNanos = now();
        }
    }

    private Connection send(Attempt a, Connection conn, InetSocketAddress to, Set<String> ids, TraceMarks marks)
            throws InterruptedException {
        ids.add(a.traceId);
        marks.watch(a.traceId);
        boolean reused = conn != null && conn.channel.isActive();
        if (!reused) {
            if (conn != null) {
                conn.channel.close();
            }
            ChannelFuture f = source != null ? bootstrap.connect(to, source) : bootstrap.connect(to);
            if (!f.await(connectTimeout.toMillis() + 1000) || !f.isSuccess()) {
                Throwable cause = f.cause() != null ? f.cause() : new java.net.ConnectException("connect timed out");
                fail(a, ErrorCauses.classify(cause), cause.getMessage() + " (" + TcpServerNode.hostPort(to) + ")");
                return null;
            }
            conn = new Connection(f.channel());
        }
        a.reused = reused;
        a.connection = HeaderCapture.connectionOf(conn.channel);
        Exchange x = conn.channel.pipeline().get(Exchange.class);
        CompletableFuture<Answer> answer = x.expect();
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, a.path, Unpooled.EMPTY_BUFFER);
        HttpHeaders h = req.headers();
        h.set(HttpHeaderNames.HOST, host);
        h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        h.set(HttpHeaderNames.ACCEPT, switch (a.role) {
            case PAGE -> "text/html,application/xhtml+xml,*/*;q=0.8";
            case STYLESHEET -> "text/css,*/*;q=0.1";
            case IMAGE -> "image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.8";
            case SCRIPT -> "*/*";
        });
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        h.set(LabHeaders.X_LAB_TRACE, a.traceId);
        String peer = TcpServerNode.hostPort(to);
        emit(EventType.CLIENT_REQUEST, peer, a.traceId, 0, 0, new Fact.ClientRequest("GET", a.path));
        emit(EventType.TRACE_HEADERS, peer, a.traceId, 0, 0,
                HeaderCapture.of("request sent", conn.channel, "GET " + a.path + " HTTP/1.1", h));
        long sent = now();
        conn.channel.writeAndFlush(req);
        try {
            Answer r = answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            a.status = r.status;
            a.headers = r.headers;
            a.body = r.body;
            a.contentType = r.headers.get("content-type");
            emit(EventType.TRACE_HEADERS, peer, a.traceId, r.status, 0, new Fact.HeadersSeen("response received",
                    a.connection, r.statusLine, r.headerList));
            String servedBy = r.headers.get("x-served-by");
            emit(EventType.CLIENT_RESPONSE, servedBy != null ? servedBy : peer, a.traceId, r.status, now() - sent,
                    new Fact.ClientResponse(a.path));
            if (!r.keepAlive) {
                conn.channel.close();
                return null;
            }
            return conn;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            fail(a, cause instanceof ClosedChannelException ? ErrorCauses.CLOSED : ErrorCauses.classify(cause),
                    cause instanceof ClosedChannelException ? "connection closed before a full response" : String.valueOf(cause.getMessage()));
            conn.channel.close();
            return null;
        } catch (TimeoutException e) {
            fail(a, ErrorCauses.TIMEOUT, "no full response within " + requestTimeout.toMillis() + " ms");
            conn.channel.close();
            return null;
        }
    }

    private void fail(Attempt a, String cause, String detail) {
        a.error = cause + ": " + detail;
        emit(EventType.CLIENT_ERROR, null, a.traceId, 0, 0, new Fact.ClientError(cause, detail, a.path));
    }

    private Visit assemble(String path, String keyword, Fact.Resolved resolved, LabEvent resolvedEvent, long lookupStart, long lookupEnd,
                           List<Attempt> attempts, List<LabEvent> seen) {
        Map<String, List<LabEvent>> byTrace = new LinkedHashMap<>();
        List<LabEvent> health = new ArrayList<>();
        Map<String, List<LabEvent>> l4ByClient = new LinkedHashMap<>();
        List<LabEvent> dnsServer = new ArrayList<>();
        for (LabEvent e : seen) {
            if (e.traceId() != null) {
                byTrace.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e);
            } else if (e.fact() instanceof Fact.L4Choice c && c.client() != null) {
                l4ByClient.computeIfAbsent(c.client(), k -> new ArrayList<>()).add(e);
            } else if (e.fact() instanceof Fact.FlowHashed f && f.flow() != null) {
                // A router's ECMP choice of balancer comes first at layer 4.
                l4ByClient.computeIfAbsent(f.flow(), k -> new ArrayList<>()).add(0, e);
            } else if (e.node().equals(dnsNode) && e.nanos() >= lookupStart && e.fact() != null
                    && !(e.fact() instanceof Fact.Resolved)) {
                dnsServer.add(e);
            } else if (e.type() == EventType.SERVER_DOWN || e.type() == EventType.SERVER_UP) {
                health.add(e);
            } else if (directors.contains(e.node()) && e.type() == EventType.REJECTED && e.peer() != null) {
                l4ByClient.computeIfAbsent(e.peer(), k -> new ArrayList<>()).add(e);
            }
        }
        Visit.Lookup lookup = null;
        if (resolved != null) {
            List<Fact> facts = new ArrayList<>();
            facts.add(resolved);
            List<String> notes = new ArrayList<>();
            int status = 0;
            for (LabEvent e : dnsServer) {
                facts.add(e.fact());
                notes.add(e.type().id() + ": " + e.detail());
                status = e.status();
            }
            if (resolved.fromCache()) {
                notes.add(0, "no query sent: the client's resolver still holds the answer (" + resolved.secondsLeft()
                        + " s of its TTL " + resolved.ttlSeconds() + " s left)");
            }
            TraceHop hop = new TraceHop(dnsNode, NodeKind.DNS.id(), TraceHop.Layer.DNS, "DNS lookup", resolved.server(),
                    lookupStart, lookupEnd, status, resolved.fromCache() ? "client's resolver cache" : resolved.server(),
                    List.of(), List.of(), List.copyOf(notes), facts);
            lookup = new Visit.Lookup(resolved, hop, dnsNode);
        }
        TraceBuilder builder = new TraceBuilder(lab.scenario());
        List<Visit.Fetch> fetches = new ArrayList<>();
        for (Attempt a : attempts) {
            List<LabEvent> events = new ArrayList<>(byTrace.getOrDefault(a.traceId, List.of()));
            // A balancer marking a server down while this request failed over belongs to its story (max_fails, fail_timeout).
            Set<String> crossed = events.stream().map(LabEvent::node).collect(Collectors.toSet());
            for (LabEvent h : health) {
                if (crossed.contains(h.node()) && h.nanos() >= a.startNanos && h.nanos() <= a.endNanos) {
                    events.add(h);
                }
            }
            Trace t = builder.build(a.traceId, events, l4ByClient::get, null);
            if (a.role == Visit.Role.PAGE && lookup != null) {
                // The page's trace starts with the name lookup that found the VIP, as a browser's waterfall does.
                List<TraceHop> hops = new ArrayList<>(t.hops());
                hops.add(0, lookup.hop());
                List<LabEvent> all = new ArrayList<>();
                if (resolvedEvent != null) {
                    all.add(resolvedEvent);
                }
                all.addAll(dnsServer);
                all.addAll(t.events());
                t = new Trace(t.traceId(), t.path(), t.status(), Math.min(t.startNanos(), lookupStart), t.endNanos(),
                        List.copyOf(hops), List.copyOf(all));
            }
            fetches.add(new Visit.Fetch(a.path, a.role, a.traceId, a.status, a.headers, a.body, a.connection, a.reused,
                    a.error, t));
        }
        String url = "http://" + host + path;
        return new Visit(url, keyword, lookup, fetches);
    }

    /**
     * Now on the lab's clock, which stamps the hops' events: the visit's windows (its lookup, each
     * fetch) are compared with those stamps, so they are read on it too.
     */
    private long now() {
        return lab.clock().nanos();
    }

    private LabEvent emit(EventType type, String peer, String traceId, int status, long nanos, Fact fact) {
        LabEvent e = new LabEvent(now(), type, clientId, peer, traceId, status, nanos, fact);
        lab.events().publish(e);
        return e;
    }

    @Override
    public void close() {
        // Connections live only for one visit; the resolver cache goes with the browser.
    }

    /** What went wrong before the visit could be made at all (no address, the lab stopped). */
    public static final class VisitException extends IOException {
        public VisitException(String message) {
            super(message);
        }

        public VisitException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class Attempt {
        final String path;
        final Visit.Role role;
        String traceId;
        long startNanos;
        long endNanos;
        int status;
        Map<String, String> headers = Map.of();
        byte[] body = new byte[0];
        String contentType;
        String connection;
        boolean reused;
        String error;

        Attempt(String path, Visit.Role role) {
            this.path = path;
            this.role = role;
        }
    }

    private record Connection(Channel channel) {
    }

    private record Answer(int status, String statusLine, Map<String, String> headers, List<Fact.Header> headerList,
                          byte[] body, boolean keepAlive) {
    }

    /** The last handler: one request at a time, the aggregated answer copied out on the loop. */
    private static final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
        private volatile CompletableFuture<Answer> current;

        CompletableFuture<Answer> expect() {
            CompletableFuture<Answer> f = new CompletableFuture<>();
            current = f;
            return f;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            CompletableFuture<Answer> f = current;
            if (f == null) {
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            List<Fact.Header> list = new ArrayList<>();
            for (Map.Entry<String, String> h : r.headers()) {
                headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
                list.add(new Fact.Header(h.getKey(), h.getValue()));
            }
            f.complete(new Answer(r.status().code(), r.protocolVersion() + " " + r.status(), headers, list,
                    ByteBufUtil.getBytes(r.content()), HttpUtil.isKeepAlive(r)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<Answer> f = current;
            if (f != null) {
                f.completeExceptionally(new ClosedChannelException());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<Answer> f = current;
            if (f != null) {
                f.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
