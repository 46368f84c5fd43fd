package dev.flowlab.net.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into frames by the length field and parses each into an {@link RpcFrame}.
 * The magic, version, type and length are checked as soon as their bytes arrive, so a peer
 * speaking something else is rejected at once rather than after a (possibly huge) "frame" was
 * buffered. A violation raises {@link RpcProtocolException}; the handler after this one closes
 * the connection (and reports it).
 *
 * <p>A frame that arrives in pieces is held as the pieces (a composite buffer, not a copy that
 * doubles as it grows), and with a frame timeout the whole frame must arrive within it from its
 * first byte: a peer that announces a large frame and trickles it holds at most the bytes it sent,
 * for at most that long.
 */
public final class RpcFrameDecoder extends LengthFieldBasedFrameDecoder {
    /** Told when a frame did not complete in time (the decoder then closes the connection). */
    public interface FrameTimeout {
        void expired(long waitedNanos, int bytesHeld);
    }

    private final RpcTap tap;
    private final long frameTimeoutNanos;
    private final FrameTimeout onTimeout;
    private ScheduledFuture<?> timer;
    private long frameStart;

    public RpcFrameDecoder() {
        this(null);
    }

    /** With a tap, the frames of watched traces are captured with the bytes they were decoded from. */
    public RpcFrameDecoder(RpcTap tap) {
        this(tap, 0, null);
    }

    /** With a frame timeout: a frame begun must be whole within {@code frameTimeoutNanos} (0: no limit). */
    public RpcFrameDecoder(RpcTap tap, long frameTimeoutNanos, FrameTimeout onTimeout) {
        super(RpcWire.MAX_FRAME_BYTES, RpcWire.LENGTH_FIELD_OFFSET, 4, 0, 0, true);
        setCumulator(COMPOSITE_CUMULATOR);
        this.tap = tap;
        this.frameTimeoutNanos = frameTimeoutNanos;
        this.onTimeout = onTimeout;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        RpcWire.checkPrefix(in);
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            if (in.isReadable()) {
                startClock(ctx);
            }
            return null;
        }
        stopClock();
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

    /** Whether part of a frame has arrived and the rest is awaited (its clock runs). */
    public boolean inProgress() {
        return timer != null;
    }

    private void startClock(ChannelHandlerContext ctx) {
        if (frameTimeoutNanos <= 0 || timer != null) {
            return;
        }
        frameStart = System.nanoTime();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (ctx.channel().isActive()) {
                if (onTimeout != null) {
                    onTimeout.expired(System.nanoTime() - frameStart, actualReadableBytes());
                }
                ctx.close();
            }
        }, frameTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stopClock() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.channelInactive(ctx);
    }
}
