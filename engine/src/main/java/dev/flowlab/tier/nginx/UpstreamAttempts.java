package dev.flowlab.tier.nginx;

import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.balance.Selection;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.net.proxy.UpstreamConnector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The tries of one proxied request (nginx's ngx_http_upstream_connect and ngx_http_upstream_next):
 * the balancer's pick, a cached keepalive connection or a new one on the client's event loop, the
 * request sent, {@code proxy_send_timeout} then {@code proxy_read_timeout}, and on a failure
 * {@code proxy_next_upstream}: blame the server or not (passive health: max_fails / fail_timeout),
 * then retry while tries and {@code proxy_next_upstream_timeout} allow and nothing reached the
 * client (never a sent POST/PATCH/LOCK unless {@code non_idempotent}), else hand the last failure
 * to the {@link ProxyExchange}. Every method runs on the client channel's event loop.
 *
 * <p>It is its own send listener and its own timer task, so a try costs no listener or task object.
 */
final class UpstreamAttempts implements ChannelFutureListener, Runnable {
    /** Pipeline steps of an upstream connection, by name. */
    static final String UPSTREAM_CODEC = "upstream-codec";

    private final ProxyExchange exchange;
    private final NginxServer server;
    private final NginxSite site;
    private final Upstream upstream;
    private final boolean nonIdempotent;

    private Selection selection;
    private Peer peer;
    private Channel channel;
    private boolean reused;
    private boolean requestSent;
    private boolean responseStarted;
    private long lastIoNanos;
    private ScheduledFuture<?> timer;
    private boolean timerIsRead;

    UpstreamAttempts(ProxyExchange exchange) {
        this.exchange = exchange;
        this.server = exchange.server;
        this.site = exchange.site;
        this.upstream = exchange.upstream;
        HttpMethod m = exchange.request.method();
        this.nonIdempotent = m.equals(HttpMethod.POST) || m.equals(HttpMethod.PATCH) || m.name().equals("LOCK");
    }

    /** The server of the current try (null before the first pick). */
    Peer peer() {
        return peer;
    }

    /** The upstream connection of the current try (null between tries and after the end). */
    Channel channel() {
        return channel;
    }

    /** The balancer's selection for this request: the first try. */
    void start() {
        PeerGroup group = upstream.group();
        if (group == null) {
            exchange.finishWithError(502, "no live upstreams: upstream " + upstream.name() + " has no servers", "no_live_upstreams");
            return;
        }
        Channel client = exchange.client;
        byte[] addr = null;
        if (client.remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null) {
            addr = isa.getAddress().getAddress();
        }
        String key = upstream.algorithm().usesKey()
                ? NginxVariables.expand(upstream.hashKey(), exchange.request, exchange.conn.clientIp()) : null;
        selection = group.newSelection(addr, key, site.nextUpstreamTries);
        if (server.context().events().traceMarks().watched(exchange.traceId)) {
            selection.explain();
        }
        attempt();
    }

    private void attempt() {
        PeerGroup group = upstream.group();
        peer = group.pick(selection, System.nanoTime());
        if (peer == null) {
            exchange.finishWithError(502, "no live upstreams while connecting to upstream " + upstream.name(), "no_live_upstreams");
            return;
        }
        if (server.emitting()) {
            server.context().emit(EventType.UPSTREAM_CHOSEN, peer.name(), exchange.traceId, 0, 0,
                    new Fact.UpstreamChosen(upstream.name(), peer.name(), upstream.algorithm().id(), selection.reason(), null,
                            exchange.route.prefix(), selection.lastState().stream().map(p -> new Fact.PeerState(p.name(), p.weight(),
                                    p.effectiveWeight(), p.currentWeight(), p.conns(), p.available())).toList()));
        }
        InetSocketAddress target = upstream.addressOf(peer);
        if (target == null) {
            fail(NextUpstream.ERROR, "server " + peer.name() + " has no address (never started)");
            return;
        }
        requestSent = false;
        responseStarted = false;
        Channel loopOf = exchange.client;
        Channel cached = UpstreamConnector.pooled(upstream.pool(), loopOf.eventLoop(), target);
        if (cached != null) {
            reused = true;
            send(cached);
            return;
        }
        reused = false;
        ChannelFuture cf = UpstreamConnector.connect(loopOf.eventLoop(), target, server.context().sourceAddress(),
                site.connectTimeoutNanos, false, server.context().metrics(), ch -> ch.pipeline()
                        .addLast(UPSTREAM_CODEC, new UpstreamCodec(HeaderNames.decoderConfig(8192, 64 * 1024, 8192)))
                        .addLast(UpstreamHandler.NAME, new UpstreamHandler(upstream.pool())));
        server.track(cf.channel());
        channel = cf.channel();
        cf.addListener((ChannelFutureListener) f -> {
            if (exchange.done() || channel != f.channel()) {
                f.channel().close();
                return;
            }
            if (f.isSuccess()) {
                send(f.channel());
            } else {
                Throwable c = f.cause();
                if (c instanceof ConnectTimeoutException) {
                    fail(NextUpstream.TIMEOUT, "upstream timed out (connect) to " + peer.name());
                } else {
                    fail(NextUpstream.ERROR, "connect() to " + peer.name() + " failed: " + describe(c));
                }
            }
        });
    }

    private void send(Channel ch) {
        channel = ch;
        UpstreamHandler h = (UpstreamHandler) ch.pipeline().get(UpstreamHandler.NAME);
        h.attach(exchange);
        FullHttpRequest out = exchange.upstreamRequest();
        String traceId = exchange.traceId;
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, peer.name(), traceId, 0, 0, HeaderCapture.of(
                    "request sent" + (reused ? " (keepalive connection)" : " (new connection)"), ch,
                    out.method() + " " + out.uri() + " " + out.protocolVersion(), out.headers()));
        }
        requestSent = true;
        armTimer(site.sendTimeoutNanos, false);
        if (server.emitting()) {
            FullHttpRequest request = exchange.request;
            server.context().emit(EventType.REQUEST_FORWARDED, peer.name(), traceId, 0, System.nanoTime() - exchange.startNanos,
                    new Fact.Forwarded(request.method().name(), request.uri(), peer.name(), reused));
        }
        ch.writeAndFlush(out).addListener(this);
    }

    /** The request was written (or not) to the current try's connection. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (exchange.done() || channel != f.channel()) {
            return;
        }
        if (f.isSuccess()) {
            lastIoNanos = System.nanoTime();
            switchToReadTimer();
            f.channel().read();
        } else {
            fail(NextUpstream.ERROR, "send to " + peer.name() + " failed: " + describe(f.cause()));
        }
    }

    /** Bytes came from the upstream: proxy_read_timeout counts from now. */
    void ioSeen() {
        lastIoNanos = System.nanoTime();
    }

    /** A final (not 1xx) status line came: this try can no longer be given back. */
    void responseStarted() {
        responseStarted = true;
    }

    /** The response head is here: the send timer, if still on, becomes the read timer. */
    void headReceived() {
        if (timer != null && !timerIsRead) {
            switchToReadTimer();
        }
    }

    /** proxy_next_upstream http_5xx...: the status is listed and a try and time are left, so the next server gets it. */
    boolean retriesOn(NextUpstream ft) {
        return ft != null && site.nextUpstream.contains(ft) && selection.triesLeft() > 1 && retryAllowedNow();
    }

    /** nginx's ngx_http_upstream_next: blame (or not) the server, then retry or hand the failure to the exchange. */
    void fail(NextUpstream ft, String why) {
        if (server.state() == dev.flowlab.runtime.NodeState.KILLED) {
            // Its own upstream connections reset by the kill: a dead process neither answers nor blames the server.
            exchange.killedWhileProxying();
            return;
        }
        cancelTimer();
        closeChannel();
        long now = System.nanoTime();
        if (selection.current() != null) {
            upstream.group().free(selection, ft.blamesServer() ? PeerGroup.Outcome.FAILED : PeerGroup.Outcome.NEXT, now);
        }
        if (reused && ft == NextUpstream.ERROR && !responseStarted) {
            // A cached connection the server had already closed: nginx gives the request its try back.
            selection.giveTryBack();
        }
        server.context().metrics().error(ft == NextUpstream.TIMEOUT ? "upstream_timeout" : "upstream_" + ft.id());
        boolean listed = site.nextUpstream.contains(ft);
        boolean nonIdempotentBlocked = requestSent && nonIdempotent && !site.nextUpstream.contains(NextUpstream.NON_IDEMPOTENT);
        if (selection.triesLeft() > 0 && listed && !nonIdempotentBlocked && retryAllowedNow()) {
            if (server.emitting()) {
                server.context().emit(EventType.RETRY, peer.name(), exchange.traceId, 0, now - exchange.startNanos,
                        new Fact.Retry(ft.id(), peer.name(), why, selection.triesLeft(), exchange.request.uri()));
            }
            attempt();
            return;
        }
        String reason = why + (nonIdempotentBlocked && listed && selection.triesLeft() > 0
                ? "; not retried: " + exchange.request.method() + " was already sent (non_idempotent not set)" : "");
        exchange.upstreamFailed(ft, why, reason);
    }

    private boolean retryAllowedNow() {
        return site.nextUpstreamTimeoutNanos <= 0 || System.nanoTime() - exchange.startNanos < site.nextUpstreamTimeoutNanos;
    }

    /**
     * Ends the hold on the upstream without using its connection again: timer off, connection closed,
     * the server freed with {@code outcome} (FAILED counts toward max_fails).
     */
    void abandon(PeerGroup.Outcome outcome) {
        cancelTimer();
        closeChannel();
        if (selection != null && selection.current() != null) {
            upstream.group().free(selection, outcome, System.nanoTime());
        }
    }

    /**
     * The response is all in: the connection goes back to the upstream's keepalive cache when it may
     * ({@code keepalive}: the upstream did not ask to close), the server is freed as OK. Returns the time.
     */
    long succeeded(boolean keepalive) {
        cancelTimer();
        Channel up = channel;
        detach();
        releaseOrClose(up, keepalive);
        long now = System.nanoTime();
        upstream.group().free(selection, PeerGroup.Outcome.OK, now);
        return now;
    }

    /** Back to the upstream's keepalive cache when it may stay open, else closed. */
    private void releaseOrClose(Channel up, boolean upstreamKeepAlive) {
        KeepalivePool pool = upstream.pool();
        boolean askedToKeep = UpstreamRequest.asksKeepalive(site, exchange.upstreamHeaders());
        if (pool.enabled() && askedToKeep && upstreamKeepAlive && !server.draining() && up.isActive() && pool.countRequest(up)) {
            pool.release(up);
            // Keep a read pending so a server closing the idle connection is noticed at once.
            up.read();
        } else {
            up.close();
        }
    }

    private void closeChannel() {
        Channel up = channel;
        detach();
        if (up != null) {
            up.close();
        }
    }

    private void detach() {
        Channel up = channel;
        channel = null;
        if (up != null) {
            UpstreamHandler h = (UpstreamHandler) up.pipeline().get(UpstreamHandler.NAME);
            if (h != null) {
                h.detach();
            }
        }
    }

    /** proxy_send_timeout while the request is written, then proxy_read_timeout between two reads. */
    private void armTimer(long nanos, boolean read) {
        cancelTimer();
        if (nanos <= 0) {
            return;
        }
        timerIsRead = read;
        timer = exchange.client.eventLoop().schedule(this, nanos, TimeUnit.NANOSECONDS);
    }

    /** The send or read timer fired. */
    @Override
    public void run() {
        timer = null;
        if (exchange.done()) {
            return;
        }
        if (timerIsRead) {
            long idle = System.nanoTime() - lastIoNanos;
            if (idle < site.readTimeoutNanos) {
                armTimer(site.readTimeoutNanos - idle, true);
                return;
            }
        }
        String why = "upstream timed out (" + (timerIsRead ? "read" : "send") + ") from " + peer.name();
        if (exchange.committed()) {
            exchange.abortAfterCommit(why);
        } else {
            fail(NextUpstream.TIMEOUT, why);
        }
    }

    /**
     * From proxy_send_timeout to proxy_read_timeout. The read timer re-checks the time since the
     * last upstream I/O when it fires, so a pending send timer due no later than a fresh read timer
     * can simply be relabelled: one timer per request instead of two.
     */
    private void switchToReadTimer() {
        if (timer != null && !timer.isDone() && site.readTimeoutNanos > 0
                && timer.getDelay(TimeUnit.NANOSECONDS) <= site.readTimeoutNanos) {
            timerIsRead = true;
            return;
        }
        armTimer(site.readTimeoutNanos, true);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    static String describe(Throwable t) {
        if (t instanceof ConnectException) {
            return "Connection refused";
        }
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        if (m != null && m.contains("Connection reset")) {
            return "Connection reset by peer";
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
