package dev.flowlab.tier.nginx;

import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.net.http.HeaderCapture;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One proxied request, from the cache lookup to the last byte (nginx's ngx_http_upstream_t). It
 * coordinates three jobs: the tries ({@link UpstreamAttempts}: pick, connect, send, timeouts,
 * proxy_next_upstream, passive health), the request upstreams get ({@link UpstreamRequest}) and the
 * cache ({@link ProxyCacheFlow}: lookup, fill, stale, revalidate, background update); itself it
 * takes the upstream's response (UpstreamHandler hands it every part), rewrites its head for the
 * client, streams it back with back-pressure and ends the request however it ends. Every method
 * runs on the client channel's event loop.
 */
final class ProxyExchange {
    private static final List<CharSequence> HOP_BY_HOP_RESPONSE = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION);

    final NginxServer server;
    final NginxSite site;
    final ClientConnection conn;
    final Channel client;
    final FullHttpRequest request;
    final NginxSite.Route route;
    final Upstream upstream;
    final long startNanos;
    final String traceId;
    /**
     * A background cache update (proxy_cache_background_update): the client already has the stale
     * entry; this exchange only refreshes the cache and writes nothing to the client.
     */
    final boolean background;
    private boolean keepClient;
    /** proxy_cache_lock: when this request, waiting for another's fetch of the same new entry, stops waiting (0: it never waited). */
    long cacheWaitUntil;
    /** proxy_cache_lock_timeout passed: the next lookup goes upstream without storing if the lock is still held. */
    boolean cacheLockTimedOut;

    /** The tries; null while the request has not gone upstream (or never does: a cache hit). */
    private UpstreamAttempts attempts;
    /** The way through the cache; null when the request goes upstream past no cache. */
    private ProxyCacheFlow cache;
    /** The client's headers as rewritten for the upstream, once per request, shared by every try. */
    private HttpHeaders upstreamHeaders;
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
    private long bodyBytes;
    /** The client's answer goes out as bytes, past its encoder: an upstream's 1xx taken as the answer (nginx 1.22). */
    private boolean raw;
    /** The client's headers before they were rewritten for the upstream. */
    private HttpHeaders clientHeaders;
    static final String X_ACCEL_REDIRECT = "X-Accel-Redirect";
    /** What nginx does not pass to the client by default (proxy_hide_header): X-Pad and the X-Accel-* control headers. */
    static final List<String> HIDDEN = List.of("X-Pad", X_ACCEL_REDIRECT, "X-Accel-Expires", "X-Accel-Limit-Rate", "X-Accel-Buffering",
            "X-Accel-Charset");
    /** What an X-Accel-Redirect answer passes on to the redirected request's answer (nginx's "redirect" headers). */
    private static final List<CharSequence> ACCEL_CARRIED = List.of(HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.SET_COOKIE, HttpHeaderNames.CONTENT_DISPOSITION,
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.EXPIRES, HttpHeaderNames.ACCEPT_RANGES);

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
    }

    void start() {
        ProxyCacheFlow flow = null;
        if (route.cache() != null && CachePolicy.usesCache(request)) {
            flow = ProxyCacheFlow.lookup(this);
            if (flow == null) {
                return;
            }
        }
        startUpstream(flow);
    }

    /** The request goes upstream, through {@code flow} when a cache takes part (else null). */
    void startUpstream(ProxyCacheFlow flow) {
        cache = flow;
        attempts = new UpstreamAttempts(this);
        attempts.start();
    }

    /** A second exchange for the same request that refreshes the cache in the background (started by the cache flow). */
    ProxyExchange backgroundUpdate() {
        return new ProxyExchange(server, site, conn, request.retainedDuplicate(), route, System.nanoTime(), traceId, false, true);
    }

    boolean done() {
        return done;
    }

    /** Whether the response's status line is decided for the client (nothing can be retried after). */
    boolean committed() {
        return committed;
    }

    HttpHeaders upstreamHeaders() {
        return upstreamHeaders;
    }

    /** The server of the current (or last) try, if there was one. */
    String peerName() {
        Peer peer = attempts == null ? null : attempts.peer();
        return peer == null ? null : peer.name();
    }

    /** One try's request (see {@link UpstreamRequest}); the client's headers are rewritten on the first. */
    FullHttpRequest upstreamRequest() {
        ByteBuf body = request.content().retainedDuplicate();
        if (upstreamHeaders == null) {
            // kept for an X-Accel-Redirect, whose new request has the client's headers, not these
            clientHeaders = request.headers().copy();
            upstreamHeaders = UpstreamRequest.headers(site, upstream, request, conn.clientIp(), cache, body.readableBytes());
        }
        return UpstreamRequest.build(site, route, request, conn.target(), body, upstreamHeaders, cache != null);
    }

    // ---- the upstream's response (from UpstreamHandler)

    void onUpstreamMessage(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        attempts.ioSeen();
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                attempts.fail(NextUpstream.INVALID_HEADER, "upstream " + peerName() + " sent invalid header: "
                        + UpstreamAttempts.describe(r.decoderResult().cause()));
                return;
            }
            String badName = HeaderNames.firstInvalidUpstreamName(r.headers());
            if (badName != null) {
                ReferenceCountUtil.release(msg);
                attempts.fail(NextUpstream.INVALID_HEADER, "upstream " + peerName() + " sent invalid header: name \"" + badName
                        + "\" is not a token");
                return;
            }
            if (r.status().code() == 101) {
                ReferenceCountUtil.release(msg);
                return;
            }
            attempts.responseStarted();
            if (!onResponseHead(r)) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            if (!committed) {
                c.release();
                if (cache != null && cache.revalidated() && c instanceof LastHttpContent) {
                    completeRevalidated();
                }
                return;
            }
            if (c.decoderResult().isFailure()) {
                c.release();
                abortAfterCommit("upstream " + peerName() + " sent a malformed body");
                return;
            }
            bodyBytes += c.content().readableBytes();
            if (cache != null) {
                cache.fill(c.content());
            }
            boolean last = c instanceof LastHttpContent;
            if (background) {
                c.release();
            } else if (raw) {
                ChannelFuture written = rawWrite(c.content());
                if (last) {
                    lastWrite = written;
                }
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

    /** Decides on the status line: retry (http_5xx... listed, tries left), a stale or revalidated entry, or pass it on to the client. */
    private boolean onResponseHead(HttpResponse r) {
        int code = r.status().code();
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, peerName(), traceId, code, 0, HeaderCapture.of(
                    "response received", attempts.channel(), r.protocolVersion() + " " + r.status(), r.headers()));
        }
        NextUpstream ft = NextUpstream.forStatus(code);
        if (attempts.retriesOn(ft)) {
            attempts.fail(ft, "upstream " + peerName() + " answered " + code);
            return false;
        }
        if (ft != null && cache != null && cache.answersStaleOn(ft)) {
            // nginx's ngx_http_upstream_test_next: no retry left, an expired entry and use_stale http_5xx...
            attempts.abandon(ft.blamesServer() && site.nextUpstream.contains(ft) ? PeerGroup.Outcome.FAILED : PeerGroup.Outcome.OK);
            cache.answerStale("upstream " + peerName() + " answered " + code);
            return false;
        }
        if (cache != null && cache.revalidatedBy(code)) {
            // The cached copy is still good: the rest of this response is its empty end.
            attempts.headReceived();
            upstreamKeepAlive = HttpUtil.isKeepAlive(r);
            return false;
        }
        String accel = r.headers().get(X_ACCEL_REDIRECT);
        if (accel != null && !background && !site.ignoreHeaders.contains("x-accel-redirect")) {
            // nginx's internal redirect: this answer is dropped (its connection closed), the request starts again at accel
            done = true;
            attempts.abandon(PeerGroup.Outcome.OK);
            endCacheUpdate();
            HttpHeaders keep = new io.netty.handler.codec.http.DefaultHttpHeaders();
            for (CharSequence name : ACCEL_CARRIED) {
                for (String v : r.headers().getAll(name)) {
                    keep.add(name, v);
                }
            }
            if (clientHeaders != null) {
                request.headers().clear().add(clientHeaders);
            }
            conn.internalRedirect(request, accel, keep, startNanos, traceId, peerName());
            return false;
        }
        attempts.headReceived();
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
        conn.carryUnder(h);
        if (conn.errStatus() > 0) {
            // the answer to an error_page's redirect goes out with the error's status
            r.setStatus(Responses.status(conn.errStatus()));
        }
        h.set(HttpHeaderNames.SERVER, site.serverHeader);
        // nginx's own Date, not the upstream's (proxy_hide_header Date by default); nginx adds no Via
        h.set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now());
        if (cache != null) {
            cache.onResponseHead(h, code);
        }
        // proxy_hide_header's defaults (Date and Server are nginx's own, set above)
        HIDDEN.forEach(h::remove);
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
        if (code < 200) {
            // an upstream's 100 Continue, which nginx 1.22 answers with: no length, no chunks, so the
            // close ends it; the rest of the upstream's bytes follow as they came (see UpstreamCodec)
            keepClient = false;
            upstreamKeepAlive = false;
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        h.set(HttpHeaderNames.CONNECTION, keepClient ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        committed = true;
        if (background) {
            return true;
        }
        if (code < 200) {
            // Netty's response encoder would take a 1xx head as an interim one and drop the body after it
            raw = true;
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status().code()).append(' ').append(r.status().reasonPhrase())
                    .append("\r\n");
            h.forEach(e -> head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n"));
            ByteBuf bytes = client.alloc().buffer(head.length() + 2);
            bytes.writeCharSequence(head.append("\r\n"), java.nio.charset.StandardCharsets.ISO_8859_1);
            rawWrite(bytes);
            return true;
        }
        pendingHead = r;
        return true;
    }

    /** Bytes to the client past its HTTP encoder (the answer after an upstream's 1xx head). */
    private ChannelFuture rawWrite(ByteBuf bytes) {
        return client.pipeline().context(io.netty.handler.codec.http.HttpServerCodec.class).write(bytes);
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
        if (committed && !background && !(cache != null && cache.filling() && request.method().equals(HttpMethod.HEAD))) {
            // The body is still on its way: the client gets the head now, as nginx sends it. (Not for a
            // HEAD filling the cache with a GET: its head goes when the entry is stored, so the next
            // request finds it; nginx sends it at once and may lose that race.)
            writePendingHead();
            client.flush();
        }
        if (background || client.isWritable()) {
            attempts.channel().read();
        }
    }

    /** The client drained its buffer: read more from the upstream (back-pressure). */
    void clientWritable() {
        Channel up = attempts == null ? null : attempts.channel();
        if (!done && up != null && up.isActive()) {
            up.read();
        }
    }

    void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        String why = cause == null ? "upstream " + peerName() + " prematurely closed connection"
                : "upstream " + peerName() + ": " + UpstreamAttempts.describe(cause);
        if (committed) {
            abortAfterCommit(why);
            return;
        }
        if (cause instanceof io.netty.handler.codec.TooLongFrameException || cause instanceof io.netty.handler.codec.DecoderException) {
            attempts.fail(NextUpstream.INVALID_HEADER, why);
        } else {
            attempts.fail(NextUpstream.ERROR, why);
        }
    }

    // ---- the ends of an exchange

    /** The client went away before its response was complete: 499, and the upstream connection is closed. */
    void clientGone() {
        if (done) {
            return;
        }
        done = true;
        if (attempts != null) {
            attempts.abandon(PeerGroup.Outcome.OK);
        }
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error("client_closed");
        server.context().metrics().requestCompleted(499, took);
        String peer = peerName();
        server.context().emit(EventType.ERROR, conn.clientIp(), traceId, 499, took, new Fact.Failure("client_closed",
                "client prematurely closed connection (499)" + (peer != null ? " while waiting for " + peer : "")));
        request.release();
    }

    /** The process was killed under the exchange: no answer, no blame. */
    void killedWhileProxying() {
        done = true;
        attempts.abandon(PeerGroup.Outcome.NEXT);
        request.release();
        client.close();
    }

    /** The tries are over and the last one failed: an expired entry answers if proxy_cache_use_stale allows, else nginx's error status. */
    void upstreamFailed(NextUpstream ft, String why, String reason) {
        if (cache != null && cache.answersStaleOn(ft)) {
            cache.answerStale(why);
            return;
        }
        // nginx's ngx_http_upstream_next: timeout and http_504 -> 504, http_500/503/403/404/429 as such, the rest 502.
        finishWithError(ft.status, reason, ft == NextUpstream.TIMEOUT ? "timeout" : ft.id());
    }

    /** A failure after the status line went out: nothing to retry, nothing to say; close the client (nginx does the same). */
    void abortAfterCommit(String why) {
        done = true;
        attempts.abandon(PeerGroup.Outcome.OK);
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error("upstream_aborted");
        server.context().emit(EventType.ERROR, peerName(), traceId, status, took,
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

    void finishWithError(int code, String why, String cause) {
        done = true;
        if (attempts != null) {
            attempts.cancelTimer();
        }
        endCacheUpdate();
        long took = System.nanoTime() - startNanos;
        server.context().metrics().error(cause);
        String peer = peerName();
        server.context().emit(EventType.ERROR, peer == null ? upstream.name() : peer, traceId, code, took,
                new Fact.Failure(cause, background ? "background cache update: " + why : why));
        if (background) {
            request.release();
            return;
        }
        if (site.errorPages.containsKey(code)) {
            if (clientHeaders != null) {
                request.headers().clear().add(clientHeaders);
            }
            if (conn.errorPage(request, code, startNanos, traceId)) {
                return;
            }
        }
        var r = Responses.error(site, client.alloc(), code, keepClient);
        server.context().metrics().requestCompleted(code, took);
        server.context().metrics().bytesOut(r.content().readableBytes());
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, conn.clientIp(), traceId, code, took,
                    new Fact.Answered(request.method().name(), request.uri(), code, null, null));
        }
        request.release();
        conn.requestDone(keepClient, client.writeAndFlush(r));
    }

    /** The client's answer is a cache entry (a hit, a stale or a revalidated one), labelled in X-Cache-Status. */
    void answerFromCache(ProxyCache.Entry e, ProxyCache.Status label) {
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

    /** A 304 to proxy_cache_revalidate's conditional request: the cached entry is fresh again and answers. */
    private void completeRevalidated() {
        done = true;
        long now = attempts.succeeded(upstreamKeepAlive);
        ProxyCache.Entry fresh = cache.refreshed(now);
        endCacheUpdate();
        if (background) {
            request.release();
            return;
        }
        answerFromCache(fresh, ProxyCache.Status.REVALIDATED);
    }

    /** The last byte of the response arrived and was written: release the connection, store, count, go on. */
    private void complete() {
        done = true;
        long now = attempts.succeeded(upstreamKeepAlive);
        if (cache != null) {
            cache.store(status, now);
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
            String peer = peerName();
            server.context().emit(EventType.RESPONSE_RETURNED, peer, traceId, status, took,
                    new Fact.Answered(request.method().name(), request.uri(), status, peer, null));
        }
        request.release();
        // Flushed only now: the upstream connection is back in its cache before the client can
        // see the answer and send the next request.
        client.flush();
        conn.requestDone(keepClient, lastWrite);
    }

    private void endCacheUpdate() {
        if (cache != null) {
            cache.endUpdate();
        }
    }
}
