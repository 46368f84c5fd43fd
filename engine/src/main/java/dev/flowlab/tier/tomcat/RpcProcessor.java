package dev.flowlab.tier.tomcat;

import dev.flowlab.event.EventType;
import dev.flowlab.net.rpc.RpcFrame;
import dev.flowlab.net.rpc.RpcFrameDecoder;
import dev.flowlab.net.rpc.RpcProtocolException;
import dev.flowlab.event.Fact;
import dev.flowlab.net.rpc.RpcTap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC side of the connector (the role Dubbo's protocol handler plays next to Tomcat's HTTP
 * one): one call at a time per connection, the same worker pool, service time and shop
 * application as HTTP, so a call through the gateway costs a Tomcat exactly what an HTTP request
 * costs. The request reaches the application as the HTTP request it stands for (method, path and
 * query, attachments as headers). A frame that breaks the protocol closes the connection with an
 * error event.
 */
final class RpcProcessor extends WorkerBoundProcessor {
    private static final Logger log = LoggerFactory.getLogger(RpcProcessor.class);


    private RpcFrame call;
    private long receivedNanos;
    private ScheduledFuture<?> idleTimer;
    private boolean closeAfterResponse;
    private boolean protocolErrorReported;

    RpcProcessor(Connector connector) {
        super(connector);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (context.events().hasSubscribers()) {
            context.emit(EventType.CONNECTION_OPENED, peer(), null, 0, 0, new Fact.Note("accepted (RPC)"));
        }
        armIdle();
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RpcFrame frame) || phase != Phase.AWAITING_REQUEST) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!frame.isRequest()) {
            protocolError("a response frame sent to the server (#" + frame.requestId() + ")");
            return;
        }
        cancelIdle();
        call = frame;
        receivedNanos = System.nanoTime();
        context.metrics().requestStarted();
        context.metrics().bytesIn(frame.body().length);
        if (context.events().hasSubscribers()) {
            context.emit(EventType.REQUEST_RECEIVED, peer(), frame.traceId(), 0, 0, RpcTap.message(frame));
        }
        dispatch(frame.traceId());
    }

    @Override
    protected boolean awaitingWorker() {
        return phase == Phase.AWAITING_REQUEST || phase == Phase.QUEUED;
    }

    @Override
    protected void rejectQueueFull(AppResponse busy) {
        respond(busy);
    }

    @Override
    protected void finishService() {
        serviceTimer = null;
        if (phase != Phase.IN_SERVICE) {
            return;
        }
        AppResponse response;
        try {
            response = connector.application.handle(asHttpRequest(call), Unpooled.wrappedBuffer(call.body()));
        } catch (RuntimeException e) {
            log.warn("{}: the application failed on RPC {} {}", context.id(), call.method(), call.path(), e);
            context.metrics().error("application_error");
            response = ShopApplication.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the application failed");
        }
        respond(response);
        connector.workers.release();
    }

    /** The HTTP request an RPC call stands for: the application serves both the same way. */
    static HttpRequest asHttpRequest(RpcFrame call) {
        String uri = call.path();
        if (!call.params().isEmpty()) {
            QueryStringEncoder q = new QueryStringEncoder(call.path());
            call.params().forEach(q::addParam);
            uri = q.toString();
        }
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(call.method()), uri);
        call.attachments().forEach((k, v) -> req.headers().add(k, v));
        return req;
    }

    private void respond(AppResponse app) {
        ByteBuf content = app.body();
        byte[] body = new byte[content.readableBytes()];
        content.readBytes(body);
        content.release();
        Map<String, String> attachments = new LinkedHashMap<>();
        if (app.contentType() != null) {
            attachments.put("content-type", app.contentType().toString());
        }
        if (app.contentLanguage() != null) {
            attachments.put("content-language", app.contentLanguage().toString());
        }
        attachments.put("x-served-by", context.id());
        CharSequence[] extra = app.extraHeaders();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            attachments.put(extra[i].toString().toLowerCase(java.util.Locale.ROOT), extra[i + 1].toString());
        }
        RpcFrame reply = RpcFrame.response(call.requestId(), call.traceId(), app.status().code(), attachments, body);
        int status = app.status().code();
        long took = System.nanoTime() - receivedNanos;
        context.metrics().requestCompleted(status, took);
        context.metrics().bytesOut(body.length);
        if (context.events().hasSubscribers()) {
            context.emit(EventType.RESPONSE_RETURNED, peer(), call.traceId(), status, took, RpcTap.message(reply));
        }
        call = null;
        phase = Phase.AWAITING_REQUEST;
        var written = connector.rpcTap.writeAndFlush(ctx, ctx.channel(), reply);
        if (closeAfterResponse || connector.isDraining()) {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        armIdle();
        ctx.read();
    }

    /** Graceful stop: an idle connection closes now, a busy one after its reply. */
    void drain() {
        closeAfterResponse = true;
        if (phase == Phase.AWAITING_REQUEST) {
            ctx.close();
        }
    }

    /** An idle RPC connection is closed after keepAliveTimeout, as an idle HTTP keep-alive one is. */
    private void armIdle() {
        long nanos = connector.settings.keepAliveTimeoutNanos();
        if (nanos > 0 && idleTimer == null) {
            idleTimer = ctx.executor().schedule(() -> {
                idleTimer = null;
                RpcFrameDecoder decoder = ctx.pipeline().get(RpcFrameDecoder.class);
                // a frame on its way is the frame timeout's to judge, not the idle one's
                if (phase == Phase.AWAITING_REQUEST && (decoder == null || !decoder.inProgress())) {
                    ctx.close();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelIdle() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private void protocolError(String why) {
        if (protocolErrorReported) {
            // the decoder fails again on the bytes left when the channel closes
            return;
        }
        protocolErrorReported = true;
        log.debug("{}: RPC protocol error from {}: {}", context.id(), peer(), why);
        context.metrics().error("bad_rpc_frame");
        if (context.events().hasSubscribers()) {
            context.emit(EventType.ERROR, peer(), null, 0, 0, new Fact.Failure("rpc_protocol", "RPC protocol error, connection closed: " + why));
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof RpcProtocolException || root instanceof io.netty.handler.codec.TooLongFrameException) {
            protocolError(root.getMessage());
            return;
        }
        if (root instanceof IOException) {
            log.debug("{}: {} on {}", context.id(), root.toString(), ctx.channel());
        } else {
            log.warn("{}: unexpected error on {}, closing", context.id(), ctx.channel(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdle();
        closed();
        if (call != null) {
            context.metrics().requestFailed("connection_closed");
            call = null;
        }
        ctx.fireChannelInactive();
    }
}
