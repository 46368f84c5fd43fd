package dev.flowlab.tier.gateway;

import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.net.rpc.RpcFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * The gateway's end of one RPC connection to a Tomcat. While a call is in flight it hands the
 * reply (or the failure) to that call; while the connection idles in the pool it only watches
 * for the server closing it.
 */
final class RpcClientHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "rpc-client";

    /** The call waiting on this connection. */
    interface Call {
        void replied(RpcFrame reply);

        void failed(Throwable cause);
    }

    private final KeepalivePool pool;
    private Call call;

    RpcClientHandler(KeepalivePool pool) {
        this.pool = pool;
    }

    void attach(Call c) {
        call = c;
    }

    void detach() {
        call = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Call c = call;
        call = null;
        if (c == null || !(msg instanceof RpcFrame reply)) {
            // a frame nobody asked for: the connection cannot be trusted any more
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        c.replied(reply);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Call c = call;
        call = null;
        if (c != null) {
            c.failed(null);
        } else {
            pool.remove(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Call c = call;
        call = null;
        if (c != null) {
            c.failed(cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
        }
        ctx.close();
    }
}
