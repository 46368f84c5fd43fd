package dev.flowlab.tier.nginx;

import dev.flowlab.topology.NginxConfig;
import dev.flowlab.event.EventType;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.event.Fact;
import dev.flowlab.net.http.LabHeaders;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.buffer.Unpooled;
import dev.flowlab.net.http.BodyBudget;
import dev.flowlab.net.http.ClientTimeouts;
import dev.flowlab.net.http.ReadGate;
import dev.flowlab.net.http.RefusedRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the proxy (nginx's ngx_http_request_t side): receives whole requests
 * (bodies buffered, as {@code proxy_request_buffering on}), answers them one at a time in order,
 * keeps the connection alive ({@code keepalive_timeout}, {@code keepalive_requests}), rejects bad
 * input with nginx's status codes, and times out a client that stops half-way through a request.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientTimeouts.Expired, ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final NginxServer server;
    private final NginxSite site;
    /** Requests read and not yet answered; null while parked. */
    private ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>(2);
    private Channel channel;
    private String clientIp;
    private boolean busy;
    private int served;
    /** The current request's host for absolute redirects (absolute URI or Host header, lowercased, no port). */
    private String redirectHost;
    private NginxUri.Parsed currentTarget;
    private ProxyExchange exchange;
    /** Headers of an upstream answer with X-Accel-Redirect that go on in the redirected request's answer; null: none. */
    private HttpHeaders carried;
    /** Internal redirects (X-Accel-Redirect) of the current request; nginx allows 10 (NGX_HTTP_MAX_URI_CHANGES). */
    private int uriChanges;
    /** The limit_conn key the current request holds a count of; null: none. */
    private String heldConnKey;
    /** The limit_conn zone heldConnKey counts in: the location's own, else the server's. */
    private ConnectionLimiter heldConnLimiter;
    /** The current request is answering an error_page (no second one), with this status (0: its own). */
    private boolean inErrorPage;
    private int errStatus;
    /** The body bytes of the request being answered, given back to the budget when it is done. */
    private long currentBodyBytes;
    /** No more requests are read: the stream cannot be trusted past a malformed or refused one. */
    private boolean inputDone;
    /** The pipeline's per-connection steps; all three null while parked (rebuilt on the next request's first bytes). */
    ClientTimeouts timeouts;
    BodyBudget.Account budget;
    ReadGate gate;
    /** The pipeline is stripped to this handler alone: an idle keep-alive connection (see {@link IdleConnections}). */
    private volatile boolean parked;
    /** Links of {@link IdleConnections}: which list (0 none, 1 recent, 2 parked), neighbours, and since when idle. */
    int idleList;
    ClientConnection idlePrev;
    ClientConnection idleNext;
    long idleSince;

    ClientConnection(NginxServer server, NginxSite site) {
        this.server = server;
        this.site = site;
        front();
    }

    /** A fresh set of the pipeline's per-connection steps (for a new connection, or one waking from parked). */
    private void front() {
        this.timeouts = new ClientTimeouts(site.clientHeaderTimeoutNanos, site.clientBodyTimeoutNanos, site.keepaliveTimeoutNanos, this);
        this.budget = new BodyBudget.Account(BodyBudget.SHARED, this::budgetSpent);
        this.gate = new ReadGate();
    }

    NginxSite site() {
        return site;
    }

    long keepaliveNanos() {
        return site.keepaliveTimeoutNanos;
    }

    boolean parked() {
        return parked;
    }

    /**
     * Idle long enough: if nothing is pending anywhere in the pipeline (no request answered or
     * queued, no bytes or part of a request in the codec, no body held), every handler but this one
     * is removed, with the codec's buffers; the keep-alive wait goes to {@link IdleConnections}.
     * False: the connection was not idle after all (it leaves the idle lists).
     */
    boolean park() {
        if (parked || busy || inputDone || exchange != null || !queued.isEmpty() || !channel.isActive() || server.draining()
                || timeouts == null || !timeouts.betweenRequests() || budget.held() > 0 || !gate.isOpen()
                || NginxServer.codecHoldsInput(channel.pipeline())) {
            return false;
        }
        server.stripFront(channel.pipeline());
        timeouts.stop();
        timeouts = null;
        budget = null;
        gate = null;
        queued = null;
        clientIp = null;
        redirectHost = null;
        currentTarget = null;
        parked = true;
        return true;
    }

    /** The first bytes of the next request reached a parked connection: the pipeline is rebuilt and they go through it. */
    private void wake(ChannelHandlerContext ctx, Object msg) {
        server.idle(channel).remove(this);
        parked = false;
        queued = new ArrayDeque<>(2);
        front();
        server.buildFront(ctx.pipeline(), this);
        timeouts.resume(channel);
        ctx.pipeline().context(dev.flowlab.net.http.HttpFront.READ_GATE).fireChannelRead(msg);
    }

    /** keepalive_timeout of a parked connection ran out: closed, as nginx closes it (nothing sent). */
    void keepaliveExpired() {
        channel.close();
    }

    /** The last answer is written: an idle connection from now on, unless a request came meanwhile. */
    @Override
    public void operationComplete(io.netty.channel.ChannelFuture f) {
        becameIdle();
    }

    private void becameIdle() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::becameIdle); // the idle lists are the loop's own
            return;
        }
        if (!parked && !busy && !inputDone && queued.isEmpty() && channel.isActive() && site.keepaliveTimeoutNanos > IdleConnections.PARK_AFTER_NANOS) {
            idleSince = System.nanoTime();
            server.idle(channel).addRecent(this);
        }
    }

    /** The client's address as text; computed again after the connection was parked. */
    String clientIp() {
        String ip = clientIp;
        if (ip == null) {
            InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
            clientIp = ip = remote == null ? "" : remote.getAddress().getHostAddress();
        }
        return ip;
    }

    Channel channel() {
        return channel;
    }

    String redirectHost() {
        return redirectHost;
    }

    /** The current request's URI as nginx normalized it (for a proxy_pass with a URI part). */
    NginxUri.Parsed target() {
        return currentTarget;
    }

    boolean busy() {
        return busy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (parked) {
            wake(ctx, msg);
            return;
        }
        if (idleList != 0) {
            server.idle(channel).remove(this);
        }
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inputDone) {
            req.release();
            return;
        }
        if (req.decoderResult().isFailure()) {
            // answered in its turn, after the requests before it; nothing after it is read
            inputDone = true;
        } else {
            // ignore_invalid_headers on (underscores_in_headers as configured): such headers go no further.
            HeaderNames.dropInvalidClientHeaders(req.headers(), site.underscoresInHeaders);
        }
        queued.add(req);
        processNext();
    }

    /**
     * Answers queued requests one at a time, only while the client takes its responses, and reads
     * ahead at most one request (as nginx reads ahead one buffer): a client that pipelines
     * without reading its answers holds one request and one response, not sixteen.
     */
    private void processNext() {
        if (parked) {
            return;
        }
        while (!busy && !queued.isEmpty() && channel.isActive() && channel.isWritable()) {
            handle(queued.poll());
        }
        gate.reading(!inputDone && queued.isEmpty() && channel.isActive() && channel.isWritable());
    }

    private void handle(FullHttpRequest req) {
        busy = true;
        timeouts.busy();
        currentBodyBytes = req.content().readableBytes();
        if (req.decoderResult().isFailure()) {
            rejectMalformed(req);
            return;
        }
        long start = System.nanoTime();
        server.context().metrics().requestStarted();
        server.context().metrics().bytesIn(req.content().readableBytes());
        String traceId = req.headers().get(LabHeaders.X_LAB_TRACE);
        if (server.context().events().traceMarks().watched(traceId)) {
            server.context().emit(EventType.TRACE_HEADERS, clientIp(), traceId, 0, 0, HeaderCapture.of("request received",
                    channel, req.method() + " " + req.uri() + " " + req.protocolVersion(), req.headers()));
        }
        if (!nginxMethod(req.method().name())) {
            // ngx_http_parse_request_line: a method is A-Z, '_' and '-' only (NGX_HTTP_PARSE_INVALID_METHOD)
            reject(req, 400, start, traceId, "client sent invalid method: " + abbreviate(req.method().name()));
            return;
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && !req.headers().contains(HttpHeaderNames.HOST)) {
            // nginx: "client sent HTTP/1.1 request without "Host" header"
            reject(req, 400, start, traceId, "client sent HTTP/1.1 request without Host header");
            return;
        }
        // nginx normalizes the URI (decoding, merged slashes, dot segments) before it matches a location
        NginxUri.Parsed target = NginxUri.parse(req.uri());
        if (target == null) {
            reject(req, 400, start, traceId, "client sent invalid request URI: " + abbreviate(req.uri()));
            return;
        }
        redirectHost = Redirects.hostOf(target.host() != null ? target.host() : req.headers().get(HttpHeaderNames.HOST));
        if (target.host() != null) {
            // an absolute URI: its path is the request URI from here on (nginx's $request_uri)
            req.setUri(target.unparsed());
        }
        currentTarget = target;
        NginxSite.Match found = site.find(target.path());
        NginxSite.Route route = found == null ? null : found.route();
        if (found != null && found.redirect() != null) {
            // a proxied prefix location ending in / answers its slash-less URI with a 301 (nginx's auto_redirect)
            String location = target.args() == null ? found.redirect() : found.redirect() + "?" + target.args();
            FullHttpResponse r = Responses.error(site, channel.alloc(), 301, keepAliveFor(req));
            r.headers().set(HttpHeaderNames.LOCATION, location);
            Redirects.absolute(r.headers(), redirectHost, (InetSocketAddress) channel.localAddress());
            finishLocal(req, r, start, traceId, "location " + route.prefix() + ": redirect to " + location);
            return;
        }
        // a location's own limit_req replaces the server's
        RequestLimiter limitReq = route != null && route.limitReq() != null ? route.limitReq() : site.limitReq;
        if (limitReq != null) {
            // limit_req (the preaccess phase, after the location is found)
            String key = NginxVariables.expand(limitReq.key, req, clientIp());
            // on the lab's clock, as the gateway's rate limiter (its delay below runs on the loop's real-time timer)
            long delay = limitReq.check(key, TimeUnit.NANOSECONDS.toMillis(server.context().clock().nanos()));
            if (delay == RequestLimiter.BUSY) {
                String why = "limiting requests, excess: " + limitReq.excess(key) + " by " + limitReq.describe + ", key " + key;
                server.context().emit(EventType.REJECTED, clientIp(), traceId, limitReq.status, 0, new Fact.Failure("limit_req", why));
                server.context().metrics().error("limit_req");
                finishLocal(req, Responses.error(site, channel.alloc(), limitReq.status, keepAliveFor(req)), start, traceId, why);
                return;
            }
            if (delay > 0) {
                // within the burst: the request waits until the rate allows it (nginx: "delaying request")
                channel.eventLoop().schedule(() -> {
                    if (channel.isActive()) {
                        limitConnThenProceed(req, route, target, start, traceId);
                    } else {
                        req.release();
                    }
                }, delay, TimeUnit.MILLISECONDS);
                return;
            }
        }
        limitConnThenProceed(req, route, target, start, traceId);
    }

    /** limit_conn (the preaccess phase, after limit_req): the request holds one of its key's count until it is answered. */
    private void limitConnThenProceed(FullHttpRequest req, NginxSite.Route route, NginxUri.Parsed target, long start, String traceId) {
        // a location's own limit_conn replaces the server's
        ConnectionLimiter limitConn = route != null && route.limitConn() != null ? route.limitConn() : site.limitConn;
        if (limitConn != null && route != null) {
            String key = NginxVariables.expand(limitConn.key, req, clientIp());
            if (!limitConn.tryAcquire(key)) {
                String why = "limiting connections by zone, " + limitConn.conn + " in progress, key " + key;
                server.context().emit(EventType.REJECTED, clientIp(), traceId, limitConn.status, 0, new Fact.Failure("limit_conn", why));
                server.context().metrics().error("limit_conn");
                finishLocal(req, Responses.error(site, channel.alloc(), limitConn.status, keepAliveFor(req)), start, traceId, why);
                return;
            }
            heldConnKey = key;
            heldConnLimiter = limitConn;
        }
        proceed(req, route, target, start, traceId);
    }

    private void releaseConnLimit() {
        if (heldConnKey != null) {
            heldConnLimiter.release(heldConnKey);
            heldConnKey = null;
            heldConnLimiter = null;
        }
    }

    /**
     * An upstream answered with {@code X-Accel-Redirect: URI} (proxy_ignore_headers does not name it):
     * nginx's internal redirect. The upstream's answer is dropped; the request starts again at the
     * location for URI (as it is: not decoded, its arguments after a '?'), as a GET (a HEAD stays a
     * HEAD; its body still goes to an upstream, as nginx sends it), with the client's own headers; Set-Cookie, Content-Disposition,
     * Cache-Control, Expires and Accept-Ranges of the dropped answer go on in the new one (the
     * headers ngx_http_upstream_process_headers copies). A named location ({@code @name}) takes the
     * request as it is (its method and URI); a name no location has, and the eleventh redirect, are nginx's 500.
     */
    void internalRedirect(FullHttpRequest req, String uri, HttpHeaders keep, long start, String traceId, String from) {
        exchange = null;
        if (++uriChanges > 10) {
            reject500(req, start, traceId, "rewrite or internal redirection cycle while internally redirecting to \"" + abbreviate(uri) + "\"");
            return;
        }
        if (uri.startsWith("@")) {
            NginxSite.Route named = site.named(uri);
            if (named == null) {
                reject500(req, start, traceId, "could not find named location \"" + abbreviate(uri) + "\"");
                return;
            }
            if (carried == null) {
                carried = new io.netty.handler.codec.http.DefaultHttpHeaders();
            }
            carried.add(keep);
            proceed(req, named, currentTarget, start, traceId);
            return;
        }
        if (unsafeUri(uri)) {
            server.context().emit(EventType.ERROR, clientIp(), traceId, 404, 0, new Fact.Failure("internal_redirect",
                    "X-Accel-Redirect to an unsafe URI \"" + abbreviate(uri) + "\""));
            finishLocal(req, Responses.error(site, channel.alloc(), 404, keepAliveFor(req)), start, traceId, "unsafe X-Accel-Redirect URI");
            return;
        }
        if (carried == null) {
            carried = new io.netty.handler.codec.http.DefaultHttpHeaders();
        }
        carried.add(keep);
        redirectInternally(req, uri, start, traceId);
    }

    /**
     * error_page: nginx answers {@code status} itself and an error_page names a URI for it: the
     * request starts again there (a GET, a HEAD stays a HEAD, its body kept), and its answer has
     * the error's status (or error_page's =CODE). Once per request (recursive_error_pages off): an
     * error while answering the error page is nginx's own page. False: no error_page applies.
     */
    boolean errorPage(FullHttpRequest req, int status, long start, String traceId) {
        NginxConfig.ErrorPage page = site.errorPages.get(status == 494 ? 400 : status);
        if (page == null || inErrorPage || uriChanges >= 10) {
            return false;
        }
        uriChanges++;
        inErrorPage = true;
        errStatus = page.status() == 0 ? (status == 494 ? 400 : status) : Math.max(page.status(), 0);
        exchange = null;
        if (!page.uri().startsWith("/") && !page.uri().startsWith("@")) {
            // ngx_http_send_error_page: any other URI (http://elsewhere/x) is a redirect there, 302 unless =301/303/307/308
            int code = switch (page.status()) {
                case 301, 302, 303, 307, 308 -> page.status();
                default -> 302;
            };
            errStatus = 0;
            FullHttpResponse r = Responses.error(site, channel.alloc(), code, keepAliveFor(req));
            r.headers().set(HttpHeaderNames.LOCATION, page.uri());
            finishLocal(req, r, start, traceId, "error_page " + status + " redirect to " + abbreviate(page.uri()));
            return true;
        }
        if (page.uri().startsWith("@")) {
            // ngx_http_named_location: the request as it is (method, URI) in the named location; no such name is a 500
            NginxSite.Route named = site.named(page.uri());
            if (named == null) {
                errStatus = 0;
                reject500(req, start, traceId, "could not find named location \"" + abbreviate(page.uri()) + "\"");
            } else {
                proceed(req, named, currentTarget, start, traceId);
            }
            return true;
        }
        redirectInternally(req, page.uri(), start, traceId);
        return true;
    }

    /** A file answering an error page with another status than 200: no Last-Modified (nginx's header filter), no Accept-Ranges. */
    private static void errorPageHeaders(HttpHeaders h, int status) {
        if (status != 200) {
            h.remove(HttpHeaderNames.LAST_MODIFIED);
            h.remove(HttpHeaderNames.ACCEPT_RANGES);
        }
    }

    /** The status an error page's answer goes out with instead of its own (0: its own). */
    int errStatus() {
        return errStatus;
    }

    /** The request again at {@code uri}, as a GET (a HEAD stays a HEAD), its body kept (nginx passes it on to an upstream). */
    private void redirectInternally(FullHttpRequest req, String uri, long start, String traceId) {
        FullHttpRequest next = req;
        if (!next.method().equals(HttpMethod.HEAD)) {
            next.setMethod(HttpMethod.GET);
        }
        next.setUri(uri);
        int q = uri.indexOf('?');
        NginxUri.Parsed target = new NginxUri.Parsed(q < 0 ? uri : uri.substring(0, q), q < 0 ? null : uri.substring(q + 1), uri, null);
        currentTarget = target;
        NginxSite.Match found = site.find(target.path());
        proceed(next, found == null ? null : found.route(), target, start, traceId);
    }

    private void reject500(FullHttpRequest req, long start, String traceId, String why) {
        server.context().emit(EventType.ERROR, clientIp(), traceId, 500, 0, new Fact.Failure("internal_redirect", why));
        server.context().metrics().error("internal_redirect");
        finishLocal(req, Responses.error(site, channel.alloc(), 500, keepAliveFor(req)), start, traceId, why);
    }

    /** The headers an X-Accel-Redirect carries over, in place of the local answer's own. */
    void carry(HttpHeaders h) {
        if (carried != null) {
            for (String name : carried.names()) {
                h.set(name, carried.getAll(name));
            }
        }
    }

    /** The same for a proxied answer: its own headers win (nginx copies them after), Set-Cookie lines add up. */
    void carryUnder(HttpHeaders h) {
        if (carried != null) {
            for (String name : carried.names()) {
                if (HttpHeaderNames.SET_COOKIE.contentEqualsIgnoreCase(name)) {
                    h.add(name, carried.getAll(name));
                } else if (!h.contains(name)) {
                    h.set(name, carried.getAll(name));
                }
            }
        }
    }

    /** ngx_http_parse_unsafe_uri: an X-Accel-Redirect URI nginx refuses with 404. */
    private static boolean unsafeUri(String uri) {
        String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
        return uri.isEmpty() || uri.startsWith("?") || path.equals("..") || path.startsWith("../") || path.indexOf('\0') >= 0
                || path.contains("/../") || path.endsWith("/..");
    }

    private void proceed(FullHttpRequest req, NginxSite.Route route, NginxUri.Parsed target, long start, String traceId) {
        if (route == null) {
            finishLocal(req, Responses.error(site, channel.alloc(), 404, keepAliveFor(req)), start, traceId, "no location matches");
            return;
        }
        if (route.upstream() != null) {
            exchange = new ProxyExchange(server, site, this, req, route, start, traceId, keepAliveFor(req));
            exchange.start();
            return;
        }
        serveFile(req, route, target, start, traceId);
    }

    private void serveFile(FullHttpRequest req, NginxSite.Route route, NginxUri.Parsed target, long start, String traceId) {
        boolean keepAlive = keepAliveFor(req);
        HttpMethod m = req.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
            finishLocal(req, Responses.error(site, channel.alloc(), 405, keepAlive), start, traceId, "static files answer GET and HEAD only");
            return;
        }
        boolean head = m.equals(HttpMethod.HEAD);
        ProxyCache cache = route.cache();
        String key = cache == null ? null : ProxyCacheFlow.key(route, req);
        ProxyCache.Lookup cached = cache == null ? null : ProxyCacheFlow.lookupFile(server, route, req, key, start, traceId);
        if (cached != null && cached.status() == ProxyCache.Status.HIT) {
            finishLocal(req, withConnection(ProxyCacheFlow.fileHit(channel.alloc(), cached.entry(), head), keepAlive), start, traceId,
                    "cache HIT " + key);
            return;
        }
        StaticFiles.Resolved res = StaticFiles.resolve(route.root(), target.path(), site.disableSymlinks);
        if (res.status() == 301) {
            String location = target.args() == null ? res.location() : res.location() + "?" + target.args();
            // nginx's 301 page, its Location made absolute (absolute_redirect on)
            FullHttpResponse r = Responses.error(site, channel.alloc(), 301, keepAlive);
            r.headers().set(HttpHeaderNames.LOCATION, location);
            Redirects.absolute(r.headers(), redirectHost, (InetSocketAddress) channel.localAddress());
            finishLocal(req, r, start, traceId, "directory: redirect to " + location);
            return;
        }
        if (res.status() != 200) {
            String why = res.status() == 400 ? "URI leaves the root: " + abbreviate(req.uri()) : "file not found: " + abbreviate(req.uri());
            if (res.status() == 400) {
                server.context().emit(EventType.REJECTED, clientIp(), traceId, 400, 0, new Fact.Failure("bad_request", why));
            }
            finishLocal(req, Responses.error(site, channel.alloc(), res.status(), keepAlive), start, traceId, why);
            return;
        }
        try {
            long size = Files.size(res.file());
            long mtime = Files.getLastModifiedTime(res.file()).toMillis();
            HttpHeaders headers = StaticFiles.fileHeaders(res.file(), mtime, size);
            String etag = headers.get(HttpHeaderNames.ETAG);
            int pre = StaticFiles.preconditions(req.headers(), mtime, etag);
            if (pre == 412) {
                finishLocal(req, Responses.error(site, channel.alloc(), 412, keepAlive), start, traceId, "precondition failed: " + abbreviate(req.uri()));
                return;
            }
            if (pre == 304) {
                FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.LAST_MODIFIED, headers.get(HttpHeaderNames.LAST_MODIFIED)).set(HttpHeaderNames.ETAG, etag);
                finishLocal(req, withConnection(r, keepAlive), start, traceId, "not modified: " + abbreviate(req.uri()));
                return;
            }
            java.util.List<StaticFiles.Range> ranges = StaticFiles.ranges(req.headers(), size, etag, mtime);
            StaticFiles.Range range = ranges == null ? null : ranges.get(0);
            if (ranges != null && ranges.size() > 1) {
                finishLocal(req, withConnection(multipart(res.file(), headers, ranges, size, head), keepAlive), start, traceId,
                        "file " + res.file().getFileName() + ", " + ranges.size() + " ranges");
                return;
            }
            if (range == StaticFiles.UNSATISFIABLE) {
                FullHttpResponse r = Responses.error(site, channel.alloc(), 416, keepAlive);
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                finishLocal(req, r, start, traceId, "range not satisfiable: " + req.headers().get(HttpHeaderNames.RANGE));
                return;
            }
            if (range != null) {
                long length = range.end() - range.start();
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT);
                r.headers().set(headers).remove(HttpHeaderNames.ACCEPT_RANGES);
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.start() + "-" + (range.end() - 1) + "/" + size)
                        .set(HttpHeaderNames.CONTENT_LENGTH, length).set(dev.flowlab.net.http.LabHeaders.X_SERVED_BY, server.id());
                withConnection(r, keepAlive);
                carry(r.headers());
                channel.write(r);
                if (!head) {
                    channel.write(new DefaultFileRegion(res.file().toFile(), range.start(), length));
                }
                var f = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                server.context().metrics().bytesOut(length);
                completed(req, 206, start, traceId, "file " + res.file().getFileName() + " bytes " + range.start() + "-" + (range.end() - 1),
                        keepAlive, f);
                return;
            }
            // The lab's own header (not nginx's): who answered. A file is answered by this Nginx itself.
            headers.set(dev.flowlab.net.http.LabHeaders.X_SERVED_BY, server.id());
            if (cache != null && size <= cache.maxEntryBytes()) {
                byte[] body = StaticFiles.read(res.file());
                ProxyCacheFlow.storeFile(cache, key, cached, headers, body);
                FullHttpResponse r = StaticFiles.response(channel.alloc(), 200, headers, body, head);
                r.headers().set(NginxServer.CACHE_STATUS_HEADER, cached.status().name());
                finishLocal(req, withConnection(r, keepAlive), start, traceId, "file " + res.file().getFileName());
                return;
            }
            // Large or uncached: zero-copy from disk, as nginx's sendfile.
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set(headers).set(HttpHeaderNames.SERVER, site.serverHeader).set(HttpHeaderNames.CONTENT_LENGTH, size)
                    .set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now());
            if (cached != null) {
                r.headers().set(NginxServer.CACHE_STATUS_HEADER, cached.status().name());
            }
            withConnection(r, keepAlive);
            carry(r.headers());
            if (errStatus > 0) {
                r.setStatus(Responses.status(errStatus));
                errorPageHeaders(r.headers(), errStatus);
            }
            channel.write(r);
            if (!head) {
                channel.write(new DefaultFileRegion(res.file().toFile(), 0, size));
            }
            var f = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            server.context().metrics().bytesOut(size);
            completed(req, r.status().code(), start, traceId, "file " + res.file().getFileName(), keepAlive, f);
        } catch (IOException e) {
            log.warn("{}: cannot read {}: {}", server.id(), res.file(), e.toString());
            finishLocal(req, Responses.error(site, channel.alloc(), 500, keepAlive), start, traceId, "cannot read file");
        }
    }

    /** nginx's multipart/byteranges answer to several ranges: each part with its type and range, boundaries numbered per server. */
    private FullHttpResponse multipart(java.nio.file.Path file, HttpHeaders headers, java.util.List<StaticFiles.Range> ranges, long size,
                                       boolean head) throws IOException {
        String boundary = String.format("%020d", server.nextBoundary());
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] bytes = Files.readAllBytes(file);
        for (StaticFiles.Range r : ranges) {
            String part = "\r\n--" + boundary + "\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n")
                    + "Content-Range: bytes " + r.start() + "-" + (r.end() - 1) + "/" + size + "\r\n\r\n";
            body.writeBytes(part.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            body.write(bytes, (int) r.start(), (int) Math.min(r.end() - r.start(), bytes.length - r.start()));
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] all = body.toByteArray();
        FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(all));
        r.headers().set(headers).remove(HttpHeaderNames.ACCEPT_RANGES)
                .set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, all.length).set(dev.flowlab.net.http.LabHeaders.X_SERVED_BY, server.id());
        return r;
    }

    private HttpResponse withConnection(HttpResponse r, boolean keepAlive) {
        r.headers().set(HttpHeaderNames.SERVER, site.serverHeader);
        r.headers().set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now());
        r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    private FullHttpResponse withConnection(FullHttpResponse r, boolean keepAlive) {
        withConnection((HttpResponse) r, keepAlive);
        return r;
    }

    /** A response made here (not proxied): write it and finish the request. */
    private void finishLocal(FullHttpRequest req, FullHttpResponse r, long start, String traceId, String detail) {
        boolean keepAlive = HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(r.headers().get(HttpHeaderNames.CONNECTION, ""));
        int status = r.status().code();
        if (r instanceof Responses.Page && errorPage(req, status, start, traceId)) {
            r.release();
            return;
        }
        if (!(r instanceof Responses.Page) && errStatus > 0) {
            r.setStatus(Responses.status(errStatus));
            status = errStatus;
            errorPageHeaders(r.headers(), status);
        }
        if (status < 400) {
            carry(r.headers()); // nginx's error pages are its own, whatever the X-Accel-Redirect answer said
        }
        server.context().metrics().bytesOut(r.content().readableBytes());
        var f = channel.writeAndFlush(r);
        completed(req, status, start, traceId, detail, keepAlive, f);
    }

    private void completed(FullHttpRequest req, int status, long start, String traceId, String detail, boolean keepAlive,
                           io.netty.channel.ChannelFuture written) {
        long took = System.nanoTime() - start;
        server.context().metrics().requestCompleted(status, took);
        if (server.emitting()) {
            server.context().emit(EventType.RESPONSE_RETURNED, clientIp(), traceId, status, took,
                    new Fact.Answered(req.method().name(), req.uri(), status, null, detail));
        }
        req.release();
        requestDone(keepAlive, written);
    }

    /** The current request is answered; go on with the next one or close. */
    void requestDone(boolean keepAlive, io.netty.channel.ChannelFuture written) {
        busy = false;
        exchange = null;
        carried = null;
        uriChanges = 0;
        inErrorPage = false;
        errStatus = 0;
        releaseConnLimit();
        served++;
        budget.done(currentBodyBytes);
        currentBodyBytes = 0;
        if (!keepAlive) {
            inputDone = true;
            gate.reading(false);
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        timeouts.idle();
        processNext();
        if (!busy && queued.isEmpty()) {
            if (written.isDone()) {
                becameIdle();
            } else {
                written.addListener(this);
            }
        }
    }

    /** Whether the response to this request may keep the connection (keepalive_requests, keepalive_timeout 0, drain). */
    boolean keepAliveFor(FullHttpRequest req) {
        return HttpUtil.isKeepAlive(req) && served + 1 < site.keepaliveRequests && site.keepaliveTimeoutNanos > 0
                && !server.draining();
    }

    private void reject(FullHttpRequest req, int status, long start, String traceId, String why) {
        server.context().emit(EventType.REJECTED, clientIp(), traceId, status, 0, new Fact.Failure("bad_request", why));
        server.context().metrics().error("bad_request");
        finishLocal(req, Responses.error(site, channel.alloc(), status, false), start, traceId, why);
    }

    /** The codec could not parse the request: nginx answers 414, 400 "Request Header Or Cookie Too Large", or 400, and closes. */
    private void rejectMalformed(FullHttpRequest req) {
        Throwable cause = req.decoderResult().cause();
        if (cause instanceof RefusedRequest refused) {
            req.release();
            refuse(refused);
            return;
        }
        int status;
        String why;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            why = "request line longer than large_client_header_buffers (" + site.headerBufferBytes + " bytes)";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 494;
            why = "request headers larger than large_client_header_buffers (" + site.headerBufferCount + " x " + site.headerBufferBytes + " bytes)";
        } else if (unknownTransferCoding(cause)) {
            // ngx_http_process_request_header: a Transfer-Encoding other than "chunked" is 501
            status = 501;
            why = "client sent unknown \"Transfer-Encoding\": " + cause.getMessage();
        } else {
            status = 400;
            why = "malformed request: " + cause;
        }
        log.debug("{}: {} from {}", server.id(), why, channel.remoteAddress());
        busy = true;
        long start = System.nanoTime();
        server.context().metrics().requestStarted();
        server.context().metrics().error(status == 494 || status == 414 ? "header_too_large" : "bad_request");
        server.context().emit(EventType.REJECTED, clientIp(), null, status == 494 ? 400 : status, 0,
                new Fact.Failure(status == 494 || status == 414 ? "header_too_large" : "bad_request", why));
        if (status != 494 && site.errorPages.containsKey(status)) {
            // error_page applies to a request line or header nginx cannot parse too (the server's error pages):
            // the page is fetched as a GET of its own, and the connection closes after it
            req.release();
            FullHttpRequest page = new io.netty.handler.codec.http.DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (errorPage(page, status, start, null)) {
                return;
            }
            page.release();
            req = null;
        }
        FullHttpResponse r = Responses.error(site, channel.alloc(), status, false);
        server.context().metrics().requestCompleted(r.status().code(), System.nanoTime() - start);
        if (req != null) {
            req.release();
        }
        channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A request refused before its body was read (client_max_body_size, the body budget): it
     * takes its turn in the queue like a whole request, so the answers before it go first.
     */
    private void enqueueRefusal(RefusedRequest r) {
        if (inputDone) {
            return;
        }
        inputDone = true;
        gate.reading(false);
        queued.add(r.marker());
        processNext();
    }

    private void refuse(RefusedRequest r) {
        int wire = r.status == 494 ? 400 : r.status;
        server.context().metrics().requestStarted();
        server.context().metrics().error(r.error);
        server.context().emit(EventType.REJECTED, clientIp(), r.traceId, wire, 0, new Fact.Failure(r.error, r.getMessage()));
        if (r.status != 494 && site.errorPages.containsKey(r.status)) {
            // error_page for a request refused on its head (a second Host, a body over client_max_body_size):
            // the page is fetched as a GET of its own, and the connection closes after it
            busy = true;
            FullHttpRequest page = new io.netty.handler.codec.http.DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (errorPage(page, r.status, System.nanoTime(), r.traceId)) {
                return;
            }
            page.release();
        }
        server.context().metrics().requestCompleted(wire, 0);
        channel.writeAndFlush(Responses.error(site, channel.alloc(), r.status, false)).addListener(ChannelFutureListener.CLOSE);
    }

    /** client_max_body_size exceeded: 413 and close (the rest of the body is not read). */
    void rejectOversized(HttpHeaders headers) {
        enqueueRefusal(new RefusedRequest(413, "body_too_large",
                "client intended to send too large body (client_max_body_size " + site.config.clientMaxBodySize() + ")",
                headers.get(LabHeaders.X_LAB_TRACE)));
    }

    /** The JVM's budget for buffered request bodies is spent: 503 and close, never an OutOfMemoryError. */
    private void budgetSpent() {
        enqueueRefusal(new RefusedRequest(503, "body_budget_spent", "request bodies in memory reached the lab's budget of "
                + BodyBudget.SHARED.limit() / (1024 * 1024) + " MB; body refused", null));
    }

    @Override
    public void expired(ClientTimeouts.Phase phase, long waitedNanos) {
        if (phase == ClientTimeouts.Phase.HEADER || phase == ClientTimeouts.Phase.BODY) {
            String what = phase == ClientTimeouts.Phase.HEADER ? "client_header_timeout: client timed out while sending the request header"
                    : "client_body_timeout: client timed out while sending the request body";
            server.context().emit(EventType.REJECTED, clientIp(), null, 408, waitedNanos, new Fact.Failure("client_timeout", what));
            server.context().metrics().error("client_timeout");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.clientWritable();
        }
        processNext();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientGone();
            exchange = null;
        }
        if (idleList != 0) {
            server.idle(channel).remove(this);
        }
        if (queued != null) {
            for (FullHttpRequest r; (r = queued.poll()) != null; ) {
                r.release();
            }
        }
        releaseConnLimit();
        server.clientClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: client connection {} failed: {}", server.id(), ctx.channel(), cause.toString());
        ctx.close();
    }

    /** The codec's refusals of a Transfer-Encoding whose last coding is not chunked (or chunked twice): nginx's 501. */
    private static boolean unknownTransferCoding(Throwable cause) {
        String m = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        return cause instanceof IllegalArgumentException && (m.startsWith("The final transfer coding must be chunked")
                || m.startsWith("chunked must be the last encoding") || m.startsWith("chunked transfer coding must not be applied"));
    }

    /** nginx's request-line parser takes a method of upper-case letters, '_' and '-'; anything else is 400. */
    static boolean nginxMethod(String m) {
        if (m.isEmpty()) {
            return false;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
