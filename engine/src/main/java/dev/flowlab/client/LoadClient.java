package dev.flowlab.client;

import dev.flowlab.runtime.Transport;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.NodeMetrics;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.topology.ClientConfig;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.Traffic;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's load generator: an HTTP/1.1 client with a keep-alive pool that sends a browser-like
 * mix, open loop (a fixed arrival rate, latency counted from each request's intended send time, so
 * a slow server cannot hide its queueing: no coordinated omission) or closed loop (a fixed number
 * of users, each waiting for its answer before the next request).
 *
 * <p>Every piece of mutable state lives on ONE event loop of the shared group (chosen at
 * construction): the pool, the pending queue, the schedule. That makes the client lock-free and
 * keeps a 10k rps schedule cheap (a 1 ms tick sends all requests that came due). Public methods
 * may be called from any thread; {@link #result()} is a cheap thread-safe snapshot.
 */
public final class LoadClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadClient.class);
    public static final String USER_AGENT = "RequestFlowLab/0.1";
    public static final String SERVED_BY_HEADER = "X-Served-By";
    /** Aggregated responses larger than this fail as bad_response; the demo shop's pages are far smaller. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;
    /** A closed-loop user whose connect failed waits this long before trying again, so a dead target does not become a busy loop. */
    private static final long CONNECT_RETRY_PAUSE_MILLIS = 10;

    private final LoadClientOptions options;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ResultRecorder recorder = new ResultRecorder();
    private final ConnectionEvents connectionEvents = new ConnectionEvents();
    private final long traceSalt;
    /** Every time the client reads: its schedule, latencies, timeouts and the drain deadline. */
    private final LabClock clock;

    // Owned by the loop.
    /** Requests waiting for a connection; its size is the node's {@code queued} gauge. */
    private final ArrayDeque<Exchange> pending = new ArrayDeque<>() {
        @Override
        public boolean add(Exchange x) {
            boolean added = super.add(x);
            counted(1);
            return added;
        }

        @Override
        public Exchange poll() {
            Exchange x = super.poll();
            if (x != null) {
                counted(-1);
            }
            return x;
        }
    };
    private final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
    private final Set<ClientConnection> connected = new LinkedHashSet<>();
    /** Written only on the loop; volatile so that a test on a manual clock can wait for connects to finish. */
    private volatile int connecting;
    private long traceCounter;
    private BrowserMix mix;
    private LabClock.Tick ticker;
    private CompletableFuture<Void> drained;
    private long drainDeadlineNanos;
    private long scheduledSends;
    private double intervalNanos;
    private boolean closed;

    // Written before the loop sees them, read by result() from any thread.
    private volatile boolean running;
    private volatile boolean openLoop;
    private volatile Double targetRps;
    private volatile Integer concurrency;
    private volatile long startNanos;
    private volatile long stopNanos;
    private volatile long sent;
    /** Written only on the loop; volatile so that result() sees a recent value. */
    private volatile int inFlightCount;
    private volatile long sendUntilNanos = Long.MAX_VALUE;

    public LoadClient(EventLoopGroup group, LoadClientOptions options) {
        this(group, options, new LabClock());
    }

    /**
     * With the clock the client reads and ticks on (a lab's; a test may drive a manual one). Connect
     * timeouts stay Netty's, on real time.
     */
    public LoadClient(EventLoopGroup group, LoadClientOptions options, LabClock clock) {
        this.options = options;
        this.clock = clock;
        this.loop = group.next();
        this.traceSalt = new SplittableRandom(options.seed() ^ options.clientId().hashCode()).nextLong();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(Transport.clientChannels())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http-codec", new HttpClientCodec())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast("connection", new ClientConnection(connectionEvents));
                    }
                });
    }

    /**
     * A client for a lab's client node: its effective {@link ClientConfig}, its first downstream
     * node as the target (resolved per new connection: a restarted node is found again), outgoing
     * connections bound to the client's own loopback host so servers see who calls, the lab's
     * event bus and the node's metrics, and the lab's clock.
     */
    public static LoadClient forLab(Lab lab, String clientNodeId) {
        NodeSpec spec = lab.scenario().node(clientNodeId)
                .orElseThrow(() -> new IllegalArgumentException("no node '" + clientNodeId + "'"));
        if (spec.kind() != NodeKind.CLIENT) {
            throw new IllegalArgumentException("node " + clientNodeId + " is a " + spec.kind().id() + ", not a client");
        }
        ClientConfig cfg = Params.withDefaults(spec.configAs(ClientConfig.class));
        String targetId = targetOf(lab, clientNodeId);
        InetSocketAddress own = lab.address(clientNodeId);
        InetSocketAddress source = own == null ? null : new InetSocketAddress(own.getAddress(), 0);
        Target target = dnsOf(lab, clientNodeId)
                .<Target>map(dns -> DnsTarget.forLab(lab, dns, cfg.host(), source))
                .orElseGet(() -> Target.current("node " + targetId, () -> lab.serviceAddress(targetId)));
        LoadClientOptions options = new LoadClientOptions(target, cfg.host(), source,
                cfg.connectTimeout(), cfg.requestTimeout(), cfg.maxConnections(), LoadClientOptions.DEFAULT_MAX_PENDING,
                clientNodeId, lab.events(), lab.metrics().node(clientNodeId), clientNodeId.hashCode());
        return new LoadClient(lab.group(), options, lab.clock());
    }

    /** The DNS node the client resolves its host name through: its first link, when that is a DNS server. */
    static java.util.Optional<String> dnsOf(Lab lab, String clientNodeId) {
        List<NodeSpec> links = lab.scenario().downstreamOf(clientNodeId);
        return links.isEmpty() || links.get(0).kind() != NodeKind.DNS ? java.util.Optional.empty()
                : java.util.Optional.of(links.get(0).id());
    }

    /**
     * The node a client sends to: its first link. Behind a DNS node, the DNS node's first target
     * stands in until the client resolves names itself.
     */
    static String targetOf(Lab lab, String clientNodeId) {
        for (NodeSpec d : lab.scenario().downstreamOf(clientNodeId)) {
            if (d.kind() != NodeKind.DNS) {
                return d.id();
            }
            List<NodeSpec> behindDns = lab.scenario().downstreamOf(d.id());
            if (!behindDns.isEmpty()) {
                return behindDns.get(0).id();
            }
        }
        throw new IllegalArgumentException("client " + clientNodeId + " has no link to a server");
    }

    public LoadClientOptions options() {
        return options;
    }

    /** Starts sending until {@link #stop()}; see {@link #start(Traffic, Duration)}. */
    public void start(Traffic traffic) {
        start(traffic, null);
    }

    /**
     * Starts sending the traffic's mix, open or closed loop per its mode (its duration is not used
     * here). With {@code sendFor}, sending ends exactly that long after the start: the open-loop
     * schedule's last request is the last one planned before then, whatever the timer's jitter.
     */
    public void start(Traffic traffic, Duration sendFor) {
        start(traffic, sendFor, clock.getAsLong());
    }

    /**
     * As {@link #start(Traffic, Duration)}, with the schedule starting at {@code origin} of the
     * client's clock (now or just before): several clients of one run share their start.
     */
    public void start(Traffic traffic, Duration sendFor, long origin) {
        Traffic t = Params.withDefaults(traffic != null ? traffic : Traffic.DEFAULT);
        BrowserMix newMix = new BrowserMix(t.mix(), options.seed());
        boolean open = !"closed".equals(t.mode().toLowerCase(Locale.ROOT));
        long now = origin;
        synchronized (this) {
            if (running) {
                throw new IllegalStateException("client " + options.clientId() + " is already sending");
            }
            running = true;
            openLoop = open;
            targetRps = open ? t.rps() : null;
            concurrency = open ? null : t.concurrency();
            startNanos = now;
            stopNanos = 0;
            sendUntilNanos = sendFor == null ? Long.MAX_VALUE : now + sendFor.toNanos();
        }
        loop.execute(() -> {
            if (closed) {
                return;
            }
            mix = newMix;
            scheduledSends = 0;
            ensureTicker();
            if (open) {
                intervalNanos = t.rps() <= 0 ? Double.POSITIVE_INFINITY : 1e9 / t.rps();
                sendDue(now);
            } else {
                for (int i = 0; i < t.concurrency(); i++) {
                    userSends();
                }
            }
        });
    }

    /** Connections being opened now (for tests that drive a manual clock). */
    int connecting() {
        return connecting;
    }

    public long startNanos() {
        return startNanos;
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops sending new requests; requests in flight go on (see {@link #drain}). */
    public void stop() {
        long now = clock.getAsLong();
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopNanos = Math.min(now, sendUntilNanos);
        }
        loop.execute(() -> {
            if (openLoop && !closed) {
                // Requests planned before the stop are owed even if the timer has not fired yet.
                sendDue(Math.min(now, sendUntilNanos - 1), true);
            }
            sendUntilNanos = Math.min(sendUntilNanos, now);
        });
    }

    /**
     * Completes when no request is in flight or pending, or at the deadline, when those left fail
     * as {@code timeout}. Call after {@link #stop()}.
     */
    public CompletableFuture<Void> drain(Duration deadline) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long until = clock.getAsLong() + deadline.toNanos();
        if (loop.isShuttingDown()) {
            done.complete(null);
            return done;
        }
        loop.execute(() -> {
            if (inFlightCount == 0 || closed) {
                done.complete(null);
                return;
            }
            if (drained != null) {
                drained.whenComplete((v, e) -> done.complete(null));
                return;
            }
            drained = done;
            drainDeadlineNanos = until;
            ensureTicker();
        });
        return done;
    }

    /** What the client has seen so far; safe from any thread. */
    public RunResult result() {
        long start = startNanos;
        long end = running ? Math.min(clock.getAsLong(), sendUntilNanos) : (stopNanos == 0 ? start : stopNanos);
        return recorder.snapshot(openLoop ? "open" : "closed", targetRps, concurrency, Math.max(0, end - start),
                sent, inFlightCount);
    }

    /** Stops sending, fails nothing more, closes every connection. Safe to call twice and after the lab's group is gone. */
    @Override
    public void close() {
        synchronized (this) {
            if (running) {
                running = false;
                stopNanos = clock.getAsLong();
            }
        }
        if (loop.isShuttingDown()) {
            return;
        }
        if (loop.inEventLoop()) {
            closeOnLoop();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closeOnLoop();
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("client {}: close did not finish: {}", options.clientId(), e.toString());
        }
    }

    private void closeOnLoop() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        long now = clock.getAsLong();
        Exchange x;
        while ((x = pending.poll()) != null) {
            fail(x, ErrorCauses.TIMEOUT, "client closed", now);
        }
        for (ClientConnection c : new ArrayList<>(connected)) {
            c.abandon(ErrorCauses.TIMEOUT, "client closed");
        }
        idle.clear();
        if (drained != null) {
            drained.complete(null);
            drained = null;
        }
    }

    // ---- sending (on the loop) ----

    private void ensureTicker() {
        if (ticker == null && !closed) {
            ticker = clock.every(loop, this::tick);
        }
    }

    private void tick() {
        long now = clock.getAsLong();
        if (running && openLoop) {
            sendDue(now);
        }
        sweepTimeouts(now);
        if (drained != null) {
            if (inFlightCount == 0) {
                finishDrain();
            } else if (now >= drainDeadlineNanos) {
                failEverything("still in flight when the drain deadline passed", now);
                finishDrain();
            }
        }
        if (!running && inFlightCount == 0 && drained == null && ticker != null) {
            ticker.cancel();
            ticker = null;
        }
    }

    private void sendDue(long now) {
        sendDue(now, false);
    }

    private void sendDue(long now, boolean evenIfStopped) {
        if (mix == null || (!running && !evenIfStopped)) {
            return;
        }
        long until = Math.min(now, sendUntilNanos - 1);
        while (true) {
            long intended = startNanos + Math.round(scheduledSends * intervalNanos);
            if (intended > until || intervalNanos == Double.POSITIVE_INFINITY) {
                return;
            }
            scheduledSends++;
            dispatch(newExchange(intended));
        }
    }

    private void userSends() {
        if (!running || closed || clock.getAsLong() >= sendUntilNanos) {
            return;
        }
        Exchange x = newExchange(clock.getAsLong());
        x.next = this::userSends;
        dispatch(x);
    }

    private Exchange newExchange(long intendedNanos) {
        long n = traceCounter++;
        EventBus bus = options.events();
        String marked = bus == null ? null : bus.traceMarks().claim();
        // An odd multiplier is a bijection on 64 bits: ids stay unique yet do not look sequential.
        String traceId = marked != null ? marked : HexFormat.of().toHexDigits(traceSalt + n * 0x9E3779B97F4A7C15L);
        return new Exchange(mix.next(), traceId, intendedNanos);
    }

    private void counted(int delta) {
        NodeMetrics m = options.metrics();
        if (m != null) {
            m.queued(delta);
        }
    }

    private void dispatch(Exchange x) {
        sent++;
        inFlightCount++;
        NodeMetrics m = options.metrics();
        if (m != null) {
            m.requestStarted();
        }
        ClientConnection c;
        while ((c = idle.pollLast()) != null) {
            if (c.channel().isActive()) {
                send(c, x);
                return;
            }
        }
        if (pending.size() >= options.maxPending()) {
            fail(x, ErrorCauses.CLIENT_OVERLOADED, "pending queue full (" + options.maxPending() + ")", clock.getAsLong());
            return;
        }
        pending.add(x);
        openConnectionsForPending();
    }

    /** Opens connections until every pending request has one coming, within maxConnections. */
    private void openConnectionsForPending() {
        while (!closed && pending.size() > connecting && connected.size() + connecting < options.maxConnections()) {
            openConnection();
        }
    }

    private void openConnection() {
        connecting++;
        options.target().next().whenComplete((address, error) -> loop.execute(() -> {
            if (error != null) {
                connectFailed(error);
            } else {
                connect(address);
            }
        }));
    }

    private void connect(InetSocketAddress address) {
        ChannelFuture f = options.sourceAddress() != null
                ? bootstrap.connect(address, options.sourceAddress())
                : bootstrap.connect(address);
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                connectFailed(cf.cause());
                return;
            }
            connecting--;
            Channel ch = cf.channel();
            ClientConnection c = ch.pipeline().get(ClientConnection.class);
            if (c == null || closed) {
                ch.close();
                return;
            }
            connected.add(c);
            NodeMetrics m = options.metrics();
            if (m != null) {
                m.connectionOpened();
            }
            connectionReady(c);
        });
    }

    private void connectFailed(Throwable error) {
        connecting--;
        Exchange x = pending.poll();
        if (x != null) {
            fail(x, ErrorCauses.classify(error), String.valueOf(error.getMessage()), clock.getAsLong());
        }
        openConnectionsForPending();
    }

    private void connectionReady(ClientConnection c) {
        Exchange x = pending.poll();
        if (x != null) {
            send(c, x);
        } else {
            idle.addLast(c);
        }
    }

    private void send(ClientConnection c, Exchange x) {
        x.sentNanos = clock.getAsLong();
        c.carry(x);
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, x.request.path(),
                Unpooled.EMPTY_BUFFER);
        HttpHeaders h = req.headers();
        h.set(HttpHeaderNames.HOST, options.host());
        h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        h.set(HttpHeaderNames.ACCEPT, "*/*");
        h.set(LabHeaders.X_LAB_TRACE, x.traceId);
        if (emitting()) {
            emit(EventType.CLIENT_REQUEST, peerOf(c), x.traceId, 0, 0, new Fact.ClientRequest("GET", x.request.path()));
        }
        if (watched(x.traceId)) {
            emit(EventType.TRACE_HEADERS, peerOf(c), x.traceId, 0, 0,
                    HeaderCapture.of("request sent", c.channel(), "GET " + x.request.path() + " HTTP/1.1", h));
        }
        c.channel().writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                c.failWith(f.cause());
            }
        });
    }

    private void sweepTimeouts(long now) {
        long timeout = options.requestTimeout().toNanos();
        Exchange head;
        while ((head = pending.peek()) != null && now - head.intendedNanos >= timeout) {
            pending.poll();
            fail(head, ErrorCauses.TIMEOUT, "no connection within " + options.requestTimeout().toMillis() + " ms", now);
        }
        List<ClientConnection> late = null;
        for (ClientConnection c : connected) {
            Exchange x = c.current();
            if (x != null && now - x.intendedNanos >= timeout) {
                if (late == null) {
                    late = new ArrayList<>();
                }
                late.add(c);
            }
        }
        if (late != null) {
            for (ClientConnection c : late) {
                c.abandon(ErrorCauses.TIMEOUT, "no full response within " + options.requestTimeout().toMillis() + " ms");
            }
        }
    }

    private void failEverything(String why, long now) {
        Exchange x;
        while ((x = pending.poll()) != null) {
            fail(x, ErrorCauses.TIMEOUT, why, now);
        }
        for (ClientConnection c : new ArrayList<>(connected)) {
            if (c.isBusy()) {
                c.abandon(ErrorCauses.TIMEOUT, why);
            }
        }
    }

    private void finishDrain() {
        CompletableFuture<Void> d = drained;
        drained = null;
        if (d != null) {
            d.complete(null);
        }
    }

    // ---- outcomes (on the loop) ----

    private void answered(ClientConnection c, Exchange x, FullHttpResponse response) {
        long now = clock.getAsLong();
        int status = response.status().code();
        String servedBy = response.headers().get(SERVED_BY_HEADER);
        boolean keepAlive = HttpUtil.isKeepAlive(response);
        if (!x.done) {
            x.done = true;
            inFlightCount--;
            long latency = now - x.intendedNanos;
            NodeMetrics m = options.metrics();
            if (m != null) {
                m.requestCompleted(status, latency);
            }
            recorder.response(status, latency, servedBy, now - startNanos);
            if (watched(x.traceId)) {
                emit(EventType.TRACE_HEADERS, peerOf(c), x.traceId, status, 0, HeaderCapture.of("response received",
                        c.channel(), response.protocolVersion() + " " + response.status(), response.headers()));
            }
            if (emitting()) {
                emit(EventType.CLIENT_RESPONSE, servedBy != null ? servedBy : peerOf(c), x.traceId, status, latency,
                        new Fact.ClientResponse(x.request.path()));
            }
        }
        if (keepAlive && !closed) {
            connectionReady(c);
        } else {
            c.channel().close();
        }
        afterOutcome(x, false);
    }

    private void fail(Exchange x, String cause, String detail, long now) {
        if (x.done) {
            return;
        }
        x.done = true;
        inFlightCount--;
        NodeMetrics m = options.metrics();
        if (m != null) {
            m.requestFailed(cause);
        }
        recorder.failure(cause, now - startNanos);
        emit(EventType.CLIENT_ERROR, null, x.traceId, 0, now - x.intendedNanos, new Fact.ClientError(cause, detail, x.request.path()));
        afterOutcome(x, ErrorCauses.CONNECT_REFUSED.equals(cause) || ErrorCauses.CONNECT_TIMEOUT.equals(cause));
    }

    private void afterOutcome(Exchange x, boolean pauseFirst) {
        if (x.next != null && running) {
            // Later, not now: the connection this answer came on must be back in the pool first.
            if (pauseFirst) {
                loop.schedule(x.next, CONNECT_RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                loop.execute(x.next);
            }
        }
        if (drained != null && inFlightCount == 0) {
            finishDrain();
        }
    }

    private void connectionClosed(ClientConnection c) {
        if (connected.remove(c)) {
            NodeMetrics m = options.metrics();
            if (m != null) {
                m.connectionClosed();
            }
        }
        idle.remove(c);
        openConnectionsForPending();
    }

    /** Whether anyone listens: the per-request events are not even built otherwise. */
    private boolean emitting() {
        EventBus bus = options.events();
        return bus != null && bus.hasSubscribers();
    }

    private void emit(EventType type, String peer, String traceId, int status, long durationNanos, Fact fact) {
        EventBus bus = options.events();
        if (bus != null && bus.hasSubscribers()) {
            bus.publish(new LabEvent(clock.getAsLong(), type, options.clientId(), peer, traceId, status, durationNanos, fact));
        }
    }

    private boolean watched(String traceId) {
        EventBus bus = options.events();
        return bus != null && bus.traceMarks().watched(traceId);
    }

    private static String peerOf(ClientConnection c) {
        return c.channel().remoteAddress() instanceof InetSocketAddress a ? TcpServerNode.hostPort(a) : null;
    }

    private final class ConnectionEvents implements ClientConnection.Listener {
        @Override
        public void answered(ClientConnection connection, Exchange exchange, FullHttpResponse response) {
            LoadClient.this.answered(connection, exchange, response);
        }

        @Override
        public void failed(Exchange exchange, String cause, String detail) {
            fail(exchange, cause, detail, clock.getAsLong());
        }

        @Override
        public void closed(ClientConnection connection) {
            connectionClosed(connection);
        }
    }
}
