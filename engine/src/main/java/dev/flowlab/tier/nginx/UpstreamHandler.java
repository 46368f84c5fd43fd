package dev.flowlab.tier.nginx;

import dev.flowlab.net.proxy.KeepalivePool;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The proxy's end of one upstream connection. While a request is in flight it hands every
 * response part to that {@link ProxyExchange}; while the connection idles in the keepalive cache
 * it only watches for the server closing it (then it leaves the cache).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream";

    private final KeepalivePool pool;
    private ProxyExchange exchange;

    UpstreamHandler(KeepalivePool pool) {
        this.pool = pool;
    }

    void attach(ProxyExchange e) {
        exchange = e;
    }

    void detach() {
        exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            // Bytes on an idle cached connection: nobody asked; the connection cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        exchange.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ProxyExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onUpstreamClosed(null);
        } else {
            pool.remove(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onUpstreamClosed(cause);
        }
        ctx.close();
    }
}
