package dev.flowlab.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection of the load client and the last handler of its pipeline: it carries
 * at most one request at a time and hands the aggregated response, or the reason the connection
 * failed, back to the client. Runs on the client's event loop.
 */
final class ClientConnection extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** What the client does with a connection's outcomes. */
    interface Listener {
        void answered(ClientConnection connection, Exchange exchange, FullHttpResponse response);

        void failed(Exchange exchange, String cause, String detail);

        void closed(ClientConnection connection);
    }

    private final Listener listener;
    private Channel channel;
    private Exchange current;
    private String failureCause;
    private String failureDetail;

    ClientConnection(Listener listener) {
        this.listener = listener;
    }

    Channel channel() {
        return channel;
    }

    boolean isBusy() {
        return current != null;
    }

    Exchange current() {
        return current;
    }

    void carry(Exchange exchange) {
        current = exchange;
    }

    /** Fails the request in progress now (e.g. its deadline passed) and closes: its answer can no longer be told apart. */
    void abandon(String cause, String detail) {
        Exchange x = current;
        current = null;
        if (x != null) {
            listener.failed(x, cause, detail);
        }
        channel.close();
    }

    /** Remembers why the connection is going down; the request in progress fails with it once it is closed. */
    void failWith(Throwable cause) {
        if (failureCause == null) {
            failureCause = ErrorCauses.classify(cause);
            failureDetail = String.valueOf(cause.getMessage());
        }
        channel.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!response.decoderResult().isSuccess()) {
            failWith(new io.netty.handler.codec.DecoderException(response.decoderResult().cause()));
            return;
        }
        Exchange x = current;
        current = null;
        if (x == null) {
            // An answer nobody asked for: the stream is out of step, so the connection is useless.
            log.debug("{}: unsolicited response {}, closing", ctx.channel(), response.status());
            ctx.close();
            return;
        }
        listener.answered(this, x, response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: connection failed: {}", ctx.channel(), cause.toString());
        failWith(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange x = current;
        current = null;
        if (x != null) {
            listener.failed(x, failureCause != null ? failureCause : ErrorCauses.CLOSED,
                    failureDetail != null ? failureDetail : "connection closed before a full response");
        }
        listener.closed(this);
    }
}
