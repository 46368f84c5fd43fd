package dev.flowlab.tier.nginx;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sits between the HTTP codec and the body buffer: a request that announces no body (no
 * Content-Length, not chunked), followed by its empty end, becomes one {@code FullHttpRequest}
 * here, which the aggregator passes through untouched. Most requests through a proxy are such
 * GETs; this spares each of them the aggregator's composite buffer and bookkeeping.
 */
final class BodilessRequests extends ChannelInboundHandlerAdapter {
    private HttpRequest held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpRequest pending = held;
        if (pending != null) {
            held = null;
            if (msg instanceof LastHttpContent last && !last.content().isReadable() && last.trailingHeaders().isEmpty()
                    && last.decoderResult().isSuccess()) {
                last.release();
                DefaultFullHttpRequest full = new DefaultFullHttpRequest(pending.protocolVersion(), pending.method(), pending.uri(),
                        Unpooled.EMPTY_BUFFER, pending.headers(), EmptyHttpHeaders.INSTANCE);
                full.setDecoderResult(pending.decoderResult());
                ctx.fireChannelRead(full);
                return;
            }
            ctx.fireChannelRead(pending);
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest r && !(msg instanceof HttpContent) && r.decoderResult().isSuccess()
                && !r.headers().contains(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH)
                && !HttpUtil.isTransferEncodingChunked(r)) {
            held = r;
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        held = null;
        ctx.fireChannelInactive();
    }
}
