package dev.flowlab.tier.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the byte stream into frames by the length field and parses each into an {@link RpcFrame}.
 * The magic, version, type and length are checked as soon as their bytes arrive, so a peer
 * speaking something else is rejected at once rather than after a (possibly huge) "frame" was
 * buffered. A violation raises {@link RpcProtocolException}; the handler after this one closes
 * the connection (and reports it).
 */
public final class RpcFrameDecoder extends LengthFieldBasedFrameDecoder {
    private final RpcTap tap;

    public RpcFrameDecoder() {
        this(null);
    }

    /** With a tap, the frames of watched traces are captured with the bytes they were decoded from. */
    public RpcFrameDecoder(RpcTap tap) {
        super(RpcWire.MAX_FRAME_BYTES, RpcWire.LENGTH_FIELD_OFFSET, 4, 0, 0, true);
        this.tap = tap;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        RpcWire.checkPrefix(in);
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            int start = frame.readerIndex();
            int length = frame.readableBytes();
            RpcFrame decoded = RpcWire.decode(frame);
            if (tap != null && tap.watching(decoded.traceId())) {
                tap.received(ctx.channel(), decoded, frame, start, length);
            }
            return decoded;
        } finally {
            frame.release();
        }
    }
}
