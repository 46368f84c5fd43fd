package dev.flowlab.net.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link RpcFrame}s in the lab RPC layout ({@link RpcWire}). Stateless, so shared. */
@ChannelHandler.Sharable
public final class RpcFrameEncoder extends MessageToByteEncoder<RpcFrame> {
    public static final RpcFrameEncoder INSTANCE = new RpcFrameEncoder();

    private RpcFrameEncoder() {
        super(RpcFrame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RpcFrame msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(RpcWire.encodedLength(msg));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RpcFrame msg, ByteBuf out) {
        RpcWire.encode(msg, out);
    }
}
