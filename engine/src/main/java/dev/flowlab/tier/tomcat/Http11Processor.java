package dev.flowlab.tier.tomcat;

import dev.flowlab.event.EventType;
import dev.flowlab.net.http.HeaderCapture;
import dev.flowlab.net.http.HttpDates;
import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.event.Fact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP/1.1 processing, named after Tomcat's {@code Http11Processor}: reads one
 * request at a time (the channel's auto-read is off and a {@code FlowControlHandler} hands over
 * one decoded message per {@code read()}, so pipelined requests wait in the socket and are
 * answered in order), waits for a worker, serves the request for its service time, writes the
 * response and only then reads the next request.
 *
 * <p>Timeouts follow Tomcat: {@code connectionTimeout} for a new connection to deliver its first
 * request head (and for a body to arrive), {@code keepAliveTimeout} for an idle keep-alive
 * connection to start the next one; either expiring closes the connection without a response.
 * One timer per connection, re-armed lazily, so the hot path schedules nothing.
 */
final class Http11Processor extends WorkerBoundProcessor {
    private static final Logger log = LoggerFactory.getLogger(Http11Processor.class);
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private static final HttpResponseStatus CONTINUE = TomcatHeaders.onWire(HttpResponseStatus.CONTINUE);


    private final TomcatSettings settings;
    private int requestsOnConnection;
    private boolean closeAfterResponse;
    private boolean readWhenWritable;
    private boolean inChannelRead;
    private boolean readRequested;
    /** A read() is outstanding: the next decoded message is wanted. */
    private boolean wantMessage;

    // The request being processed (at most one per connection).
    private HttpRequest request;
    private String traceId;
    private long receivedNanos;
    private boolean requestOpen;
    private boolean captureBody;
    private long bodyBytes;
    private CompositeByteBuf body;

    // Waiting for the client (a request head, or the rest of a body) until waitDeadline.
    private boolean waiting;
    private long waitDeadline;
    private boolean waitIsKeepAlive;
    private ScheduledFuture<?> waitTimer;
    private long waitTimerFiresAt;

    Http11Processor(Connector connector) {
        super(connector);
        this.settings = connector.settings;
    }

    Phase phase() {
        return phase;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (context.events().hasSubscribers()) {
            context.emit(EventType.CONNECTION_OPENED, peer(), null, 0, 0, new Fact.Note("accepted"));
        }
        if (connector.isDraining()) {
            closeNow("draining");
            return;
        }
        awaitClient(settings.connectionTimeoutNanos(), false);
        wantMessage = true;
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean outermost = !inChannelRead;
        inChannelRead = true;
        wantMessage = false;
        try {
            process(msg);
        } finally {
            ReferenceCountUtil.release(msg);
            if (outermost) {
                inChannelRead = false;
                readDeferredRequests();
            }
        }
    }

    private void process(Object msg) {
        if (phase != Phase.AWAITING_REQUEST && phase != Phase.READING_BODY) {
            return;
        }
        if (msg instanceof HttpRequest head) {
            if (phase != Phase.AWAITING_REQUEST || !onHead(head)) {
                return;
            }
            if (!(msg instanceof HttpContent)) {
                requestRead();
                return;
            }
        }
        if (msg instanceof HttpContent content && phase == Phase.READING_BODY) {
            onContent(content);
        }
    }

    /**
     * Asks for the next decoded message. The flow-control handler may deliver it synchronously,
     * so inside channelRead the read is deferred to the end of the outermost call: a client that
     * pipelines a thousand requests in one packet then costs a loop, not a thousand nested frames.
     */
    private void requestRead() {
        wantMessage = true;
        if (inChannelRead) {
            readRequested = true;
        } else {
            ctx.read();
        }
    }

    /**
     * A read() ends with channelReadComplete even when no whole message arrived (a request head
     * split over packets, or the rest of a pipelined batch not sent yet); the flow-control
     * handler then forgets it, so ask again while a message is still wanted.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wantMessage && !inChannelRead && (phase == Phase.AWAITING_REQUEST || phase == Phase.READING_BODY)) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void readDeferredRequests() {
        while (readRequested && phase != Phase.CLOSED) {
            readRequested = false;
            inChannelRead = true;
            try {
                ctx.read();
            } finally {
                inChannelRead = false;
            }
        }
        readRequested = false;
    }

    /** True when the request continues (its body follows); false when it was answered already. */
    private boolean onHead(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            badRequest(head.decoderResult().cause());
            return false;
        }
        String hostProblem = hostProblem(head);
        if (hostProblem != null) {
            badRequest(hostProblem);
            return false;
        }
        stopWaiting();
        requestsOnConnection++;
        request = head;
        receivedNanos = System.nanoTime();
        traceId = head.headers().get(LabHeaders.X_LAB_TRACE);
        requestOpen = true;
        context.metrics().requestStarted();
        if (context.events().hasSubscribers()) {
            context.emit(EventType.REQUEST_RECEIVED, peer(), traceId, 0, 0, new Fact.RequestSeen(head.method().name(), head.uri(), peer()));
            if (context.events().traceMarks().watched(traceId)) {
                context.emit(EventType.TRACE_HEADERS, peer(), traceId, 0, 0, HeaderCapture.of("request received",
                        ctx.channel(), head.method() + " " + head.uri() + " " + head.protocolVersion(), head.headers()));
            }
        }
        long contentLength = HttpUtil.getContentLength(head, -1L);
        if (contentLength > TomcatSettings.MAX_BODY_BYTES) {
            rejectBody();
            return false;
        }
        bodyBytes = 0;
        captureBody = head.method().equals(HttpMethod.POST) && head.uri().startsWith("/api/cart")
                && (head.uri().length() == 9 || head.uri().charAt(9) == '?');
        phase = Phase.READING_BODY;
        if (contentLength > 0 || HttpUtil.isTransferEncodingChunked(head)) {
            if (HttpUtil.is100ContinueExpected(head)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, CONTINUE,
                        Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS));
            }
            awaitClient(settings.connectionTimeoutNanos(), false);
        }
        return true;
    }

    /**
     * Tomcat's {@code prepareRequest}: more than one Host header is 400 whatever the version, and
     * an HTTP/1.1 request without one is 400 (an empty Host is accepted). Null when the Host is fine.
     */
    static String hostProblem(HttpRequest head) {
        Iterator<? extends CharSequence> hosts = head.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            return head.protocolVersion().equals(HttpVersion.HTTP_1_1) ? "HTTP/1.1 request without a Host header" : null;
        }
        hosts.next();
        return hosts.hasNext() ? "more than one Host header" : null;
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            badRequest(content.decoderResult().cause());
            return;
        }
        ByteBuf data = content.content();
        bodyBytes += data.readableBytes();
        if (bodyBytes > TomcatSettings.MAX_BODY_BYTES) {
            rejectBody();
            return;
        }
        if (captureBody && data.isReadable()) {
            if (body == null) {
                body = ctx.alloc().compositeBuffer();
            }
            body.addComponent(true, data.retain());
        }
        if (content instanceof LastHttpContent) {
            stopWaiting();
            dispatch(traceId);
        } else {
            requestRead();
        }
    }

    @Override
    protected boolean awaitingWorker() {
        return phase == Phase.READING_BODY || phase == Phase.QUEUED;
    }

    @Override
    protected void rejectQueueFull(AppResponse busy) {
        releaseBody();
        respond(busy, false);
    }

    @Override
    protected void finishService() {
        serviceTimer = null;
        if (phase != Phase.IN_SERVICE) {
            return;
        }
        ByteBuf requestBody = body;
        body = null;
        AppResponse response;
        try {
            response = connector.application.handle(request, requestBody);
        } catch (RuntimeException e) {
            log.warn("{}: the application failed on {} {}", context.id(), request.method(), request.uri(), e);
            context.metrics().error("application_error");
            response = ShopApplication.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the application failed");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        respond(response, keepAlive);
        connector.workers.release();
    }

    /**
     * Writes the response, then either reads the next request or closes. The head is Tomcat's
     * ({@link TomcatHeaders}): no reason phrase; the application's headers as it set them, then
     * Content-Type, Content-Length and Date; then what Tomcat's {@code prepareResponse} says about
     * the connection: {@code Connection: close} when it will close (always after the statuses that
     * drop the connection), {@code Connection: keep-alive} for an HTTP/1.0 keep-alive, and
     * {@code Keep-Alive: timeout=N} (with {@code Connection: keep-alive} on HTTP/1.1) when the
     * request itself said {@code Connection: keep-alive}.
     */
    private void respond(AppResponse app, boolean requestWantsKeepAlive) {
        int status = app.status().code();
        boolean keepAlive = requestWantsKeepAlive && !closeAfterResponse && !connector.isDraining()
                && settings.keepAliveAllowedAfter(requestsOnConnection) && !TomcatHeaders.statusDropsConnection(status);
        ByteBuf content = app.body();
        int length = content.readableBytes();
        boolean head = request != null && request.method().equals(HttpMethod.HEAD);
        if (head) {
            content.release();
            content = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, TomcatHeaders.onWire(app.status()),
                content, HEADERS, TRAILERS);
        HttpHeaders h = response.headers();
        CharSequence[] extra = app.extraHeaders();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            h.set(extra[i], extra[i + 1]);
        }
        h.set(LabHeaders.X_SERVED_BY, connector.servedBy);
        if (traceId != null) {
            h.set(LabHeaders.X_LAB_TRACE, traceId);
        }
        if (app.contentType() != null) {
            h.set(TomcatHeaders.CONTENT_TYPE, app.contentType());
        }
        if (app.contentLanguage() != null) {
            h.set(TomcatHeaders.CONTENT_LANGUAGE, app.contentLanguage());
        }
        if (status != HttpResponseStatus.NOT_MODIFIED.code()) {
            h.setInt(TomcatHeaders.CONTENT_LENGTH, length);
        }
        h.set(TomcatHeaders.DATE, HttpDates.now());
        if (!keepAlive) {
            h.set(TomcatHeaders.CONNECTION, TomcatHeaders.CLOSE);
        } else {
            boolean http10 = request != null && request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            if (http10) {
                h.set(TomcatHeaders.CONNECTION, TomcatHeaders.KEEP_ALIVE_TOKEN);
            }
            if (connector.keepAliveHeader != null && request != null
                    && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true)) {
                h.set(TomcatHeaders.KEEP_ALIVE, connector.keepAliveHeader);
                if (!http10) {
                    h.set(TomcatHeaders.CONNECTION, TomcatHeaders.KEEP_ALIVE_TOKEN);
                }
            }
        }
        if (traceId != null && context.events().traceMarks().watched(traceId)) {
            context.emit(EventType.TRACE_HEADERS, peer(), traceId, status, 0, HeaderCapture.of("response sent",
                    ctx.channel(), response.protocolVersion() + " " + response.status(), h));
        }
        // counted before the write, so whoever sees the response also sees it in the metrics
        completeRequest(status);
        ChannelFuture written = ctx.writeAndFlush(response);

        if (!keepAlive) {
            phase = Phase.CLOSING;
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        phase = Phase.AWAITING_REQUEST;
        awaitClient(settings.keepAliveTimeoutNanos(), true);
        if (ctx.channel().isWritable()) {
            requestRead();
        } else {
            readWhenWritable = true;
        }
    }

    private void completeRequest(int status) {
        if (!requestOpen) {
            return;
        }
        requestOpen = false;
        long took = System.nanoTime() - receivedNanos;
        context.metrics().requestCompleted(status, took);
        if (context.events().hasSubscribers()) {
            context.emit(EventType.RESPONSE_RETURNED, peer(), traceId, status, took,
                    request == null ? null : new Fact.Answered(request.method().name(), request.uri(), status, null, null));
        }
        request = null;
        traceId = null;
    }

    /** Tomcat answers a request it cannot parse with 400 (its status report page) and closes the connection. */
    private void badRequest(Throwable cause) {
        String why;
        if (cause instanceof TooLongHttpHeaderException) {
            why = "request header too large (maxHttpHeaderSize " + TomcatSettings.MAX_HTTP_HEADER_SIZE + ")";
        } else if (cause instanceof TooLongHttpLineException) {
            why = "request line too long (maxHttpHeaderSize " + TomcatSettings.MAX_HTTP_HEADER_SIZE + ")";
        } else {
            why = "invalid request: " + (cause == null ? "unknown" : cause.getMessage());
        }
        badRequest(why);
    }

    private void badRequest(String why) {
        log.debug("{}: 400 for {}: {}", context.id(), ctx.channel(), why);
        stopWaiting();
        releaseBody();
        if (!requestOpen) {
            requestOpen = true;
            receivedNanos = System.nanoTime();
            context.metrics().requestStarted();
        }
        context.metrics().error("bad_request");
        if (context.events().hasSubscribers()) {
            context.emit(EventType.ERROR, peer(), traceId, 400, 0, new Fact.Failure("bad_request", why));
        }
        requestsOnConnection++;
        respond(ShopApplication.statusPage(HttpResponseStatus.BAD_REQUEST, why, ShopApplication.BAD_REQUEST_DESCRIPTION), false);
    }

    /** A body over Tomcat's maxPostSize: 413, and the connection closes rather than swallow the rest. */
    private void rejectBody() {
        stopWaiting();
        releaseBody();
        context.metrics().error("body_too_large");
        if (context.events().hasSubscribers()) {
            context.emit(EventType.REJECTED, peer(), traceId, 413, 0,
                    new Fact.Failure("body_too_large", "cause=body_too_large (limit " + TomcatSettings.MAX_BODY_BYTES + " bytes)"));
        }
        respond(ShopApplication.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body larger than " + TomcatSettings.MAX_BODY_BYTES + " bytes"), false);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (readWhenWritable && ctx.channel().isWritable()) {
            readWhenWritable = false;
            requestRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Graceful stop: an idle connection closes now; a busy one after its response (Connection: close). */
    void drain() {
        closeAfterResponse = true;
        if (phase == Phase.AWAITING_REQUEST) {
            closeNow("drain");
        }
    }

    private void closeNow(String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (context.events().hasSubscribers()) {
            context.emit(EventType.CONNECTION_CLOSED, peer(), null, 0, 0, new Fact.Note("closed by server: " + why));
        }
        phase = Phase.CLOSING;
        ctx.close();
    }

    // --- waiting for the client -------------------------------------------------------------

    private void awaitClient(long timeoutNanos, boolean keepAlive) {
        if (timeoutNanos <= 0) {
            waiting = false;
            return;
        }
        waiting = true;
        // the executor's ticker, not System.nanoTime(): tests drive it with virtual time
        long now = ctx.executor().ticker().nanoTime();
        waitDeadline = now + timeoutNanos;
        waitIsKeepAlive = keepAlive;
        if (waitTimer == null || waitTimerFiresAt - waitDeadline > 0) {
            if (waitTimer != null) {
                waitTimer.cancel(false);
            }
            waitTimerFiresAt = waitDeadline;
            waitTimer = ctx.executor().schedule(this::checkWait, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopWaiting() {
        waiting = false;
    }

    private void checkWait() {
        waitTimer = null;
        if (!waiting || phase == Phase.CLOSED || phase == Phase.CLOSING) {
            return;
        }
        long left = waitDeadline - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            waitTimerFiresAt = waitDeadline;
            waitTimer = ctx.executor().schedule(this::checkWait, left, TimeUnit.NANOSECONDS);
            return;
        }
        String which = waitIsKeepAlive ? "keepAliveTimeout" : "connectionTimeout";
        if (requestOpen) {
            requestOpen = false;
            context.metrics().requestFailed("timeout");
        } else if (!waitIsKeepAlive) {
            context.metrics().error("connection_timeout");
        }
        if (context.events().hasSubscribers()) {
            context.emit(EventType.TIMEOUT, peer(), traceId, 0, 0, new Fact.Failure(which, which + " expired"));
        }
        closeNow(which);
    }

    // --- closing -------------------------------------------------------------------------------

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (waitTimer != null) {
            waitTimer.cancel(false);
            waitTimer = null;
        }
        Phase was = closed();
        releaseBody();
        if (requestOpen) {
            requestOpen = false;
            context.metrics().requestFailed("connection_closed");
            if (context.events().hasSubscribers()) {
                context.emit(EventType.ERROR, peer(), traceId, 0, System.nanoTime() - receivedNanos,
                        new Fact.Failure("connection_closed",
                                "connection closed before the response (" + was.name().toLowerCase(java.util.Locale.ROOT) + ")"));
            }
        }
        if (was != Phase.CLOSING && context.events().hasSubscribers()) {
            context.emit(EventType.CONNECTION_CLOSED, peer(), null, 0, 0, new Fact.Note("closed"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // resets and broken pipes are the client's business; the close that follows is enough
            log.debug("{}: {} on {}", context.id(), cause.toString(), ctx.channel());
        } else {
            log.warn("{}: unexpected error on {}, closing", context.id(), ctx.channel(), cause);
        }
        ctx.close();
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
