package dev.flowlab.net.rpc;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.event.RpcFrameCapture;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.net.http.HeaderCapture;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundInvoker;

/**
 * A node's view of its RPC frames for the traces someone watches ({@link dev.flowlab.event.TraceMarks}):
 * each such frame, written or read, becomes a {@code trace_frame} event carrying its
 * {@link RpcFrameCapture}. The bytes captured are the bytes on the wire: an outgoing frame of a
 * watched trace is encoded here and that buffer is written; an incoming one is captured by
 * {@link RpcFrameDecoder} from the bytes it decoded. When nobody traces, a frame costs one
 * volatile read.
 */
public final class RpcTap {
    private final NodeContext context;

    public RpcTap(NodeContext context) {
        this.context = context;
    }

    /** Whether frames of this trace are captured. */
    public boolean watching(String traceId) {
        return context.events().traceMarks().watched(traceId);
    }

    /**
     * Writes and flushes a frame on {@code out} (the channel, or a handler's context on it); a
     * watched trace's frame is encoded first and its bytes captured.
     */
    public ChannelFuture writeAndFlush(ChannelOutboundInvoker out, Channel channel, RpcFrame frame) {
        if (!watching(frame.traceId())) {
            return out.writeAndFlush(frame);
        }
        ByteBuf wire = channel.alloc().buffer(RpcWire.encodedLength(frame));
        RpcWire.encode(frame, wire);
        emit(channel, frame, frame.isRequest() ? "request sent" : "response sent", wire, wire.readerIndex(), wire.readableBytes());
        // a ByteBuf passes the frame encoder untouched
        return out.writeAndFlush(wire);
    }

    /** A watched trace's frame, just decoded from {@code length} bytes of {@code wire} at {@code from}. */
    void received(Channel channel, RpcFrame frame, ByteBuf wire, int from, int length) {
        emit(channel, frame, frame.isRequest() ? "request received" : "response received", wire, from, length);
    }

    private void emit(Channel channel, RpcFrame frame, String what, ByteBuf wire, int from, int length) {
        RpcFrameCapture capture = capture(what, HeaderCapture.connectionOf(channel), frame, wire, from, length);
        context.emit(EventType.TRACE_FRAME, HeaderCapture.address(channel.remoteAddress()), frame.traceId(),
                frame.isRequest() ? 0 : frame.status(), 0, new Fact.FrameSeen(capture));
    }

    /**
     * The capture of a frame and its encoded bytes ({@code length} bytes of {@code wire} from
     * {@code from}, the fixed header included). Reads the buffer without moving its indexes.
     */
    public static RpcFrameCapture capture(String what, String connection, RpcFrame f, ByteBuf wire, int from, int length) {
        return RpcFrameCapture.of(what, connection, f.isRequest(), RpcWire.VERSION, f.requestId(), f.traceId(), f.method(),
                f.path(), f.params(), f.status(), f.attachments(), f.body().length, wire, from, length);
    }

    /** A frame's fields as an event carries them. */
    public static Fact.RpcMessage message(RpcFrame f) {
        return new Fact.RpcMessage(f.isRequest(), RpcWire.VERSION, f.requestId(), f.traceId(), f.method(), f.path(),
                f.params(), f.status(), f.attachments(), f.body().length, RpcWire.encodedLength(f));
    }
}
