package dev.flowlab.tier.nginx;

import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.balance.Selection;
import dev.flowlab.event.EventType;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.net.proxy.UpstreamConnector;
import dev.flowlab.event.Fact;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request, from the balancer's choice to the last byte (nginx's ngx_http_upstream_t):
 * picks a server, takes a cached keepalive connection or opens one on the client's own event
 * loop, sends the buffered request, streams the response back with back-pressure, and on a
 * failure applies {@code proxy_next_upstream} (retry while nothing reached the client; never a
 * sent POST/PATCH/LOCK unless {@code non_idempotent}; tries and timeout limits) and passive
 * health. Every method runs on the client channel's event loop.
 */
final class ProxyExchange {
    /** Pipeline steps, by name. */
    static final String UPSTREAM_CODEC = "upstream-codec";

    /** What nginx's proxy module does not pass on (its default proxy_set_header list); Proxy-Authorization, Trailer... go on. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.EXPECT);
    private static final List<CharSequence> HOP_BY_HOP_RESPONSE = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION);

    private final NginxServer server;
    private final NginxSite site;
    private final ClientConnection conn;
    private final Channel client;
    private final FullHttpRequest request;
    private final NginxSite.Route route;
    private final Upstream upstream;
    private final long startNanos;
    private final String traceId;
    private boolean keepClient;
    private final boolean nonIdempotent;

    private Selection selection;
    private Peer peer;
    private InetSocketAddress target;
    private Channel upstreamChannel;
    private boolean reused;
    private boolean requestSent;
    private boolean responseStarted;
    private boolean committed;
    /**
     * The response head, held until this read's end: when the whole response came in one read (the
     * common case), head and body go to the client as one message (one encode, one write).
     */
    private HttpResponse pendingHead;
    /** The write of the response's last part, which the connection waits on before the next request. */
    private ChannelFuture lastWrite;
    private boolean done;
    private int status;
    private boolean upstreamKeepAlive;
    private long lastUpstreamIoNanos;
    private ScheduledFuture<?> timer;
    private boolean timerIsRead;
    private String cacheKey;
    private ProxyCache.Status cacheStatus;
    private ByteArrayOutputStream cacheFill;
    private HttpHeaders cacheHeaders;
    /** How long the answer being stored stays fresh. */
    private long cacheFreshNanos;
    /** The expired entry this request may answer with (proxy_cache_use_stale) or revalidate. */
    private ProxyCache.Entry staleEntry;
    /** This request owns the expired entry's update: it must tell the cache when it ends. */
    private boolean cacheUpdater;
    private boolean revalidating;
    private boolean revalidated;
    /**
     * A background cache update (proxy_cache_background_update): the client already has the stale
     * entry; this exchange only refreshes the cache and writes nothing to the client.
     */
    private final boolean background;
    private long bodyBytes;
    private HttpHeaders upstreamHeaders;

    ProxyExchange(NginxServer server, NginxSite site, ClientConnection conn, FullHttpRequest request, NginxSite.Route route,
                  long startNanos, String traceId, boolean keepClient) {
        this(server, site, conn, request, route, startNanos, traceId, keepClient, false);
    }

    private ProxyExchange(NginxServer server, NginxSite site, ClientConnection conn, FullHttpRequest request, NginxSite.Route route,
                          long startNanos, String traceId, boolean keepClient, boolean background) {
        this.background = background;
        this.server = server;
        this.site = site;
        this.conn = conn;
        this.client = conn.channel();
        this.request = request;
        this.route = route;
        this.upstream = route.upstream();
        this.startNanos = startNanos;
        this.traceId = traceId;
        this.keepClient = keepClient;
        HttpMethod m = request.method();
        this.nonIdempotent = m.equals(HttpMethod.POST) || m.equals(HttpMethod.PATCH) || m.name().equals("LOCK");
    }

    void start() {
        if (route.cache() != null && CachePolicy.usesCache(request)) {
            cacheKey = "http" + route.cacheHost() + request.uri();
            if (CachePolicy.bypass(request)) {
                cacheStatus = ProxyCache.Status.BYPASS;
            } else {
                ProxyCache.Lookup hit = route.cache().lookupForProxy(cacheKey, startNanos);
                cacheStatus = hit.status();
                staleEntry = hit.entry();
                cacheUpdater = hit.updater();
                switch (hit.status()) {
                    case HIT, UPDATING -> {
                        server.emitCache(true, traceId, hit.status().name(), cacheKey,
                                hit.status() == ProxyCache.Status.HIT ? null : "UPDATING: stale while another request refreshes it",
                                hit.entry(), startNanos);
                        answerFromCache(hit.entry(), hit.status());
                        return;
                    }
                    case STALE -> {
                        server.emitCache(true, traceId, "STALE", cacheKey, "STALE: answered at once, refreshed in the background");
                        ProxyExchange update = new ProxyExchange(server, site, conn, request.retainedDuplicate(), route,
                                System.nanoTime(), traceId, false, true);
                        cacheUpdater = false;
                        answerFromCache(hit.entry(), ProxyCache.Status.STALE);
                        update.startBackgroundUpdate(hit.entry());
                        return;
                    }
                    default -> server.emitCache(false, traceId, hit.status().name(), cacheKey, hit.status().name());
                }
            }
        }
        pickAndAttempt();
    }

    private void startBackgroundUpdate(ProxyCache.Entry expired) {
        cacheKey = "http" + route.cacheHost() + request.uri();
        cacheStatus = ProxyCache.Status.EXPIRED;
        staleEntry = expired;
        cacheUpdater = true;
        pickAndAttempt();
    }

    private void pickAndAttempt() {
        PeerGroup group = upstream.group();
        if (group == null) {
            finishWithError(502, "no live upstreams: upstream " + upstream.name() + " has no servers", "no_live_upstreams");
            return;
        }
        byte[] addr = null;
        if (client.remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null) {
            addr = isa.getAddress().getAddress();
        }
        String key = upstream.algorithm().usesKey() ? NginxVariables.expand(upstream.hashKey(), request, conn.clientIp()) : null;
        selection = group.newSelection(addr, key, site.nextUpstreamTries);
        if (server.context().events().traceMarks().watched(traceId)) {
            selection.explain();
        }
        attempt();
    }

    private void attempt() {
        PeerGroup group = upstream.group();
        peer = group.pick(selection, System.nanoTime());
        if (peer == null) {
            finishWithError(502, "no live upstreams while connecting to upstream " + upstream.name(), "no_live_upstreams");
            return;
        }
        if (server.emitting()) {
            server.context().emit(EventType.UPSTREAM_CHOSEN, peer.name(), traceId, 0, 0,
                    new Fact.UpstreamChosen(upstream.name(), peer.name(), upstream.algorithm().id(), selection.reason(), null,
                            route.prefix(), selection.lastState().stream().map(p -> new Fact.PeerState(p.name(), p.weight(),
                                    p.effectiveWeight(), p.currentWeight(), p.conns(), p.available())).toList()));
        }
        target = upstream.addressOf(peer);
        if (target == null) {
            fail(NextUpstream.ERROR, "server " + peer.name() + " has no address (never started)");
            return;
        }
        requestSent = false;
        responseStarted = false;
        Channel cached = UpstreamConnector.pooled(upstream.pool(), client.eventLoop(), target);
        if (cached != null) {
            reused = true;
            use(cached);
            return;
        }
        reused = false;
        ChannelFuture cf = UpstreamConnector.connect(client.eventLoop(), target, server.context().sourceAddress(),
                site.connectTimeoutNanos, false, server.context().metrics(), ch -> ch.pipeline()
                        .addLast(UPSTREAM_CODEC, new UpstreamCodec(HeaderNames.decoderConfig(8192, 64 * 1024, 8192)))
                        .addLast(UpstreamHandler.NAME, new UpstreamHandler(upstream.pool())));
        server.track(cf.channel());
        upstreamChannel = cf.channel();
        cf.addListener((ChannelFutureListener) f -> {
            if (done || upstreamChannel != f.channel()) {
                f.channel().close();
                return;
            }
            if (f.isSuccess()) {
                use(f.channel());
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

    private void use(Channel ch) {
        upstreamChannel = ch;
        UpstreamHandler h = (UpstreamHandler) ch.pipeline().get(UpstreamHandler.NAME);
        h.attach(this);
        FullHttpRequest out = upstreamRequest();
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, peer.name(), traceId, 0, 0, HeaderCapture.of(
                    "request sent" + (reused ? " (keepalive connection)" : " (new connection)"), ch,
                    out.method() + " " + out.uri() + " " + out.protocolVersion(), out.headers()));
        }
        requestSent = true;
        armTimer(site.sendTimeoutNanos, false);
        if (server.emitting()) {
            server.context().emit(EventType.REQUEST_FORWARDED, peer.name(), traceId, 0, System.nanoTime() - startNanos,
                    new Fact.Forwarded(request.method().name(), request.uri(), peer.name(), reused));
        }
        ch.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (done || upstreamChannel != f.channel()) {
                return;
            }
            if (f.isSuccess()) {
                lastUpstreamIoNanos = System.nanoTime();
                switchToReadTimer();
                f.channel().read();
            } else {
                fail(NextUpstream.ERROR, "send to " + peer.name() + " failed: " + describe(f.cause()));
            }
        });
    }

    /**
     * The request as upstreams see it: HTTP/1.1, Host $proxy_host, X-Real-IP, X-Forwarded-For, Via,
     * the trace id. The client's header map is rewritten in place once per request (nothing reads
     * the client's hop-by-hop headers after this point) and shared by every attempt.
     */
    private FullHttpRequest upstreamRequest() {
        ByteBuf body = request.content().retainedDuplicate();
        if (upstreamHeaders == null) {
            upstreamHeaders = rewriteHeadersForUpstream(body.readableBytes());
        }
        // proxy_cache_convert_head on: a HEAD the cache takes is a GET upstream (the client still gets only the head)
        HttpMethod method = cacheStatus != null && request.method().equals(HttpMethod.HEAD) ? HttpMethod.GET : request.method();
        return new DefaultFullHttpRequest(site.upstreamHttp11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0, method, upstreamUri(), body,
                upstreamHeaders, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    }

    /**
     * The URI the upstream gets: the client's as it came, or, for a proxy_pass with a URI part,
     * the normalized URI with the location's prefix replaced by that part, escaped as nginx
     * escapes it (ngx_escape_uri), and the arguments as they came.
     */
    private String upstreamUri() {
        NginxUri.Parsed t = conn.target();
        if (route.uriPart() == null || t == null) {
            return request.uri();
        }
        String rest = t.path().startsWith(route.prefix()) ? t.path().substring(route.prefix().length()) : "";
        String uri = route.spec().modifier() == dev.flowlab.topology.NginxLocationSpec.Modifier.EXACT ? route.uriPart() : route.uriPart() + rest;
        return NginxUri.escape(uri) + (t.args() == null ? "" : "?" + t.args());
    }

    private HttpHeaders rewriteHeadersForUpstream(int bodyBytes) {
        HttpHeaders h = request.headers();
        boolean clientConditional = h.contains(HttpHeaderNames.IF_MODIFIED_SINCE) || h.contains(HttpHeaderNames.IF_NONE_MATCH);
        for (CharSequence name : HOP_BY_HOP) {
            h.remove(name);
        }
        // proxy_set_header: Host $proxy_host and Connection close unless the config says otherwise
        String xff = h.get(NginxServer.X_FORWARDED_FOR);
        String proxyAddXff = xff == null || xff.isBlank() ? conn.clientIp() : xff + ", " + conn.clientIp();
        for (Map.Entry<String, String> e : site.proxySetHeaders.entrySet()) {
            String value = e.getValue()
                    .replace("$proxy_add_x_forwarded_for", proxyAddXff)
                    .replace("$proxy_host", upstream.name());
            value = NginxVariables.expand(value, request, conn.clientIp());
            if (value.isEmpty()) {
                h.remove(e.getKey());
            } else {
                h.set(e.getKey(), value);
            }
        }
        revalidating = false;
        if (cacheUpdater && staleEntry != null && route.cache().revalidate() && !clientConditional) {
            // proxy_cache_revalidate: ask whether the cached copy is still good instead of fetching it again.
            String lastModified = staleEntry.headers().get(HttpHeaderNames.LAST_MODIFIED);
            String etag = staleEntry.headers().get(HttpHeaderNames.ETAG);
            if (lastModified != null) {
                h.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
            }
            if (etag != null) {
                h.set(HttpHeaderNames.IF_NONE_MATCH, etag);
            }
            revalidating = lastModified != null || etag != null;
        }
        HttpMethod m = request.method();
        if (bodyBytes > 0 || m.equals(HttpMethod.POST) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH)) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, bodyBytes);
        } else {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        return h;
    }

    void onUpstreamMessage(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastUpstreamIoNanos = System.nanoTime();
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                fail(NextUpstream.INVALID_HEADER, "upstream " + peer.name() + " sent invalid header: " + describe(r.decoderResult().cause()));
                return;
            }
            String badName = HeaderNames.firstInvalidUpstreamName(r.headers());
            if (badName != null) {
                ReferenceCountUtil.release(msg);
                fail(NextUpstream.INVALID_HEADER, "upstream " + peer.name() + " sent invalid header: name \"" + badName + "\" is not a token");
                return;
            }
            if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ReferenceCountUtil.release(msg);
                return;
            }
            responseStarted = true;
            if (!onResponseHead(r)) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            if (!committed) {
                c.release();
                if (revalidated && c instanceof LastHttpContent) {
                    completeRevalidated();
                }
                return;
            }
            if (c.decoderResult().isFailure()) {
                c.release();
                abortAfterCommit("upstream " + peer.name() + " sent a malformed body");
                return;
            }
            int n = c.content().readableBytes();
            bodyBytes += n;
            if (cacheFill != null) {
                if (cacheFill.size() + n > route.cache().maxEntryBytes()) {
                    cacheFill = null;
                } else {
                    byte[] copy = new byte[n];
                    c.content().getBytes(c.content().readerIndex(), copy);
                    cacheFill.write(copy, 0, n);
                }
            }
            boolean last = c instanceof LastHttpContent;
            if (background) {
                c.release();
            } else if (last && pendingHead != null) {
                HttpResponse head = pendingHead;
                pendingHead = null;
                lastWrite = client.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                        c.content(), head.headers(), ((LastHttpContent) c).trailingHeaders()));
            } else {
                writePendingHead();
                ChannelFuture written = client.write(c);
                if (last) {
                    lastWrite = written;
                }
            }
            if (last) {
                complete();
            }
        }
    }

    /** Decides on the status line: retry (http_5xx... listed, tries left), or pass it on to the client. */
    private boolean onResponseHead(HttpResponse r) {
        int code = r.status().code();
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, peer.name(), traceId, code, 0, HeaderCapture.of(
                    "response received", upstreamChannel, r.protocolVersion() + " " + r.status(), r.headers()));
        }
        NextUpstream ft = NextUpstream.forStatus(code);
        if (ft != null && site.nextUpstream.contains(ft) && selection.triesLeft() > 1 && retryAllowedNow()) {
            fail(ft, "upstream " + peer.name() + " answered " + code);
            return false;
        }
        if (ft != null && canAnswerStale(ft)) {
            // nginx's ngx_http_upstream_test_next: no retry left, an expired entry and use_stale http_5xx...
            Channel up = upstreamChannel;
            cancelTimer();
            detachUpstream();
            up.close();
            upstream.group().free(selection, ft.blamesServer() && site.nextUpstream.contains(ft)
                    ? PeerGroup.Outcome.FAILED : PeerGroup.Outcome.OK, System.nanoTime());
            answerStale("upstream " + peer.name() + " answered " + code);
            return false;
        }
        if (revalidating && code == 304) {
            // The cached copy is still good: the rest of this response is its empty end.
            revalidated = true;
            cancelTimerIfSend();
            upstreamKeepAlive = HttpUtil.isKeepAlive(r);
            return false;
        }
        cancelTimerIfSend();
        status = code;
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
        HttpHeaders h = r.headers();
        for (CharSequence name : HOP_BY_HOP_RESPONSE) {
            h.remove(name);
        }
        // proxy_redirect default (a proxy_pass without a URI part: http://NAME/ becomes /), then absolute_redirect on
        if (route.uriPart() == null ? Redirects.proxyRedirect(h, route.proxyPassUrl() + "/", "/")
                : Redirects.proxyRedirect(h, route.proxyPassUrl(), route.prefix())) {
            Redirects.absolute(h, conn.redirectHost(), (InetSocketAddress) client.localAddress());
        }
        h.set(HttpHeaderNames.SERVER, Responses.SERVER);
        // nginx's own Date, not the upstream's (proxy_hide_header Date by default); nginx adds no Via
        h.set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now());
        if (cacheStatus != null) {
            if (addHeaderApplies(code)) {
                // add_header X-Cache-Status $upstream_cache_status (without "always": only on these statuses)
                h.set(NginxServer.CACHE_STATUS_HEADER, cacheStatus.name());
            }
            // nginx stores after a bypass too; the upstream's X-Accel-Expires, Cache-Control, Expires,
            // Set-Cookie decide before proxy_cache_valid (200 only, as the lab writes it)
            long fresh = CachePolicy.upstreamValidityMillis(h, System.currentTimeMillis());
            cacheFreshNanos = fresh == CachePolicy.USE_VALID ? route.cache().validNanos() : TimeUnit.MILLISECONDS.toNanos(fresh);
            if (code == 200 && fresh != CachePolicy.NOT_CACHEABLE) {
                cacheFill = new ByteArrayOutputStream();
                cacheHeaders = new DefaultHttpHeaders().set(h);
                cacheHeaders.remove(HttpHeaderNames.TRANSFER_ENCODING);
                cacheHeaders.remove(NginxServer.CACHE_STATUS_HEADER);
            }
        }
        if (!HttpUtil.isContentLengthSet(r) && code != 204 && code != 304 && code >= 200 && !request.method().equals(HttpMethod.HEAD)) {
            // No length (chunked or read-until-close upstream): nginx's chunked filter chunks it for an
            // HTTP/1.1 client (even one that asked to close); an HTTP/1.0 client never gets chunks,
            // the end of its body is the close.
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(r, true);
            } else {
                HttpUtil.setTransferEncodingChunked(r, false);
                keepClient = false;
            }
        }
        h.set(HttpHeaderNames.CONNECTION, keepClient ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        committed = true;
        if (background) {
            return true;
        }
        pendingHead = r;
        return true;
    }

    /** The statuses add_header adds its header to (without "always"). */
    static boolean addHeaderApplies(int code) {
        return switch (code) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }

    private void writePendingHead() {
        if (pendingHead != null) {
            client.write(pendingHead);
            pendingHead = null;
        }
    }

    void onUpstreamReadComplete() {
        if (done) {
            return;
        }
        if (committed && !background && !(cacheFill != null && request.method().equals(HttpMethod.HEAD))) {
            // The body is still on its way: the client gets the head now, as nginx sends it. (Not for a
            // HEAD filling the cache with a GET: its head goes when the entry is stored, so the next
            // request finds it; nginx sends it at once and may lose that race.)
            writePendingHead();
            client.flush();
        }
        if (background || client.isWritable()) {
            upstreamChannel.read();
        }
    }

    /** The client drained its buffer: read more from the upstream (back-pressure). */
    void clientWritable() {
        if (!done && upstreamChannel != null && upstreamChannel.isActive()) {
            upstreamChannel.read();
        }
    }

    void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        String why = cause == null ? "upstream " + peer.name() + " prematurely closed connection"
                : "upstream " + peer.name() + ": " + describe(cause);
        if (committed) {
            abortAfterCommit(why);
            return;
        }
        if (cause instanceof io.netty.handler.codec.TooLongFrameException || cause instanceof io.netty.handler.codec.DecoderException) {
            fail(NextUpstream.INVALID_HEADER, why);
        } else {
            fail(NextUpstream.ERROR, why);
        }
    }

    /** The client went away before its response was complete: 499, and the upstream connection is closed. */
    void clientGone() {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        Channel up = upstreamChannel;
        detachUpstream();
        if (up != null) {
            up.close();
        }
        if (selection != null && selection.current() != null) {
            upstream.group().free(selection, PeerGroup.Outcome.OK, System.nanoTime());
        }
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error("client_closed");
        server.context().metrics().requestCompleted(499, took);
        server.context().emit(EventType.ERROR, conn.clientIp(), traceId, 499, took, new Fact.Failure("client_closed",
                "client prematurely closed connection (499)" + (peer != null ? " while waiting for " + peer.name() : "")));
        request.release();
    }

    /** nginx's ngx_http_upstream_next: blame (or not) the server, then retry or answer with an error. */
    private void fail(NextUpstream ft, String why) {
        if (server.state() == dev.flowlab.runtime.NodeState.KILLED) {
            // Its own upstream connections reset by the kill: a dead process neither answers nor blames the server.
            killedWhileProxying();
            return;
        }
        cancelTimer();
        Channel up = upstreamChannel;
        detachUpstream();
        if (up != null) {
            up.close();
        }
        long now = System.nanoTime();
        if (selection.current() != null) {
            upstream.group().free(selection, ft.blamesServer() ? PeerGroup.Outcome.FAILED : PeerGroup.Outcome.NEXT, now);
        }
        if (reused && ft == NextUpstream.ERROR && !responseStarted) {
            // A cached connection the server had already closed: nginx gives the request its try back.
            selectionTriesBack();
        }
        server.context().metrics().error(ft == NextUpstream.TIMEOUT ? "upstream_timeout" : "upstream_" + ft.id());
        boolean listed = site.nextUpstream.contains(ft);
        boolean nonIdempotentBlocked = requestSent && nonIdempotent && !site.nextUpstream.contains(NextUpstream.NON_IDEMPOTENT);
        if (selection.triesLeft() > 0 && listed && !nonIdempotentBlocked && retryAllowedNow()) {
            if (server.emitting()) {
                server.context().emit(EventType.RETRY, peer.name(), traceId, 0, now - startNanos,
                        new Fact.Retry(ft.id(), peer.name(), why, selection.triesLeft(), request.uri()));
            }
            attempt();
            return;
        }
        if (canAnswerStale(ft)) {
            answerStale(why);
            return;
        }
        String reason = why + (nonIdempotentBlocked && listed && selection.triesLeft() > 0
                ? "; not retried: " + request.method() + " was already sent (non_idempotent not set)" : "");
        // nginx's ngx_http_upstream_next: timeout and http_504 -> 504, http_500/503/403/404/429 as such, the rest 502.
        int code = ft.status;
        finishWithError(code, reason, ft == NextUpstream.TIMEOUT ? "timeout" : ft.id());
    }

    private void selectionTriesBack() {
        selection.giveTryBack();
    }

    private boolean retryAllowedNow() {
        return site.nextUpstreamTimeoutNanos <= 0 || System.nanoTime() - startNanos < site.nextUpstreamTimeoutNanos;
    }

    /** Ends the exchange's hold on its upstream: timer off, connection closed (not reused), peer freed with {@code outcome}. */
    private void dropUpstream(PeerGroup.Outcome outcome) {
        done = true;
        cancelTimer();
        Channel up = upstreamChannel;
        detachUpstream();
        if (up != null) {
            up.close();
        }
        if (selection.current() != null) {
            upstream.group().free(selection, outcome, System.nanoTime());
        }
    }

    private void killedWhileProxying() {
        dropUpstream(PeerGroup.Outcome.NEXT);
        request.release();
        client.close();
    }

    /** A failure after the status line went out: nothing to retry, nothing to say; close the client (nginx does the same). */
    private void abortAfterCommit(String why) {
        dropUpstream(PeerGroup.Outcome.OK);
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error("upstream_aborted");
        server.context().emit(EventType.ERROR, peer.name(), traceId, status, took,
                new Fact.Failure("upstream_aborted", why + " while sending the response to the client"));
        request.release();
        if (background) {
            return;
        }
        server.context().metrics().requestCompleted(status, took);
        writePendingHead();
        client.flush();
        client.close();
    }

    private void finishWithError(int code, String why, String cause) {
        done = true;
        cancelTimer();
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error(cause);
        server.context().emit(EventType.ERROR, peer == null ? upstream.name() : peer.name(), traceId, code, took,
                new Fact.Failure(cause, background ? "background cache update: " + why : why));
        if (background) {
            request.release();
            return;
        }
        var r = Responses.error(client.alloc(), code, keepClient);
        server.context().metrics().requestCompleted(code, took);
        server.context().metrics().bytesOut(r.content().readableBytes());
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, conn.clientIp(), traceId, code, took,
                    new Fact.Answered(request.method().name(), request.uri(), code, null, null));
        }
        request.release();
        conn.requestDone(keepClient, client.writeAndFlush(r));
    }

    /** proxy_cache_use_stale: the upstream failed in a listed way and an expired entry exists. */
    private boolean canAnswerStale(NextUpstream failure) {
        return !background && cacheStatus == ProxyCache.Status.EXPIRED && staleEntry != null && !committed
                && route.cache().useStaleOn(failure);
    }

    private void answerStale(String why) {
        cancelTimer();
        endCacheUpdate();
        server.context().emit(EventType.CACHE_HIT, peer == null ? null : peer.name(), traceId, staleEntry.status(), 0,
                new Fact.CacheStatus("STALE", cacheKey, "STALE: proxy_cache_use_stale after " + why));
        answerFromCache(staleEntry, ProxyCache.Status.STALE);
    }

    /** A 304 to proxy_cache_revalidate's conditional request: the cached entry is fresh again and answers. */
    private void completeRevalidated() {
        done = true;
        cancelTimer();
        Channel up = upstreamChannel;
        detachUpstream();
        releaseOrClose(up);
        long now = System.nanoTime();
        upstream.group().free(selection, PeerGroup.Outcome.OK, now);
        ProxyCache.Entry fresh = route.cache().refresh(cacheKey, now);
        endCacheUpdate();
        if (background) {
            request.release();
            return;
        }
        answerFromCache(fresh != null ? fresh : staleEntry, ProxyCache.Status.REVALIDATED);
    }

    private void endCacheUpdate() {
        if (cacheUpdater) {
            cacheUpdater = false;
            route.cache().updateDone(cacheKey);
        }
    }

    private void answerFromCache(ProxyCache.Entry e, ProxyCache.Status label) {
        done = true;
        var r = StaticFiles.response(client.alloc(), e.status(), e.headers(), e.body(), request.method().equals(HttpMethod.HEAD));
        r.headers().set(NginxServer.CACHE_STATUS_HEADER, label.name());
        r.headers().set(HttpHeaderNames.CONNECTION, keepClient ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        long took = System.nanoTime() - startNanos;
        server.context().metrics().requestCompleted(e.status(), took);
        server.context().metrics().bytesOut(e.body().length);
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, conn.clientIp(), traceId, e.status(), took,
                    new Fact.Answered(request.method().name(), request.uri(), e.status(), null, "cache " + label));
        }
        request.release();
        conn.requestDone(keepClient, client.writeAndFlush(r));
    }

    /** The last byte of the response arrived and was written: release the connection, count, go on. */
    private void complete() {
        done = true;
        cancelTimer();
        Channel up = upstreamChannel;
        detachUpstream();
        releaseOrClose(up);
        long now = System.nanoTime();
        upstream.group().free(selection, PeerGroup.Outcome.OK, now);
        if (cacheFill != null) {
            route.cache().put(cacheKey, status, cacheHeaders, cacheFill.toByteArray(), now, cacheFreshNanos);
        }
        endCacheUpdate();
        if (background) {
            request.release();
            return;
        }
        long took = now - startNanos;
        server.context().metrics().bytesOut(bodyBytes);
        server.context().metrics().requestCompleted(status, took);
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, peer.name(), traceId, status, took,
                    new Fact.Answered(request.method().name(), request.uri(), status, peer.name(), null));
        }
        request.release();
        // Flushed only now: the upstream connection is back in its cache before the client can
        // see the answer and send the next request.
        client.flush();
        conn.requestDone(keepClient, lastWrite);
    }

    /** Back to the upstream's keepalive cache when it may stay open, else closed. */
    private void releaseOrClose(Channel up) {
        KeepalivePool pool = upstream.pool();
        // nginx keeps a connection only when it asked for it: HTTP/1.1 without Connection: close
        boolean askedToKeep = site.upstreamHttp11 && !"close".equalsIgnoreCase(upstreamHeaders == null ? null
                : upstreamHeaders.get(HttpHeaderNames.CONNECTION));
        if (pool.enabled() && askedToKeep && upstreamKeepAlive && !server.draining() && up.isActive() && pool.countRequest(up)) {
            pool.release(up);
            // Keep a read pending so a server closing the idle connection is noticed at once.
            up.read();
        } else {
            up.close();
        }
    }

    private void detachUpstream() {
        Channel up = upstreamChannel;
        upstreamChannel = null;
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
        timer = client.eventLoop().schedule(this::timerFired, nanos, TimeUnit.NANOSECONDS);
    }

    private void timerFired() {
        timer = null;
        if (done) {
            return;
        }
        if (timerIsRead) {
            long idle = System.nanoTime() - lastUpstreamIoNanos;
            if (idle < site.readTimeoutNanos) {
                armTimer(site.readTimeoutNanos - idle, true);
                return;
            }
        }
        String why = "upstream timed out (" + (timerIsRead ? "read" : "send") + ") from " + peer.name();
        if (committed) {
            abortAfterCommit(why);
        } else {
            fail(NextUpstream.TIMEOUT, why);
        }
    }

    private void cancelTimerIfSend() {
        if (timer != null && !timerIsRead) {
            switchToReadTimer();
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

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static String describe(Throwable t) {
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
