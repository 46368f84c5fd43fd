package dev.flowlab.net.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A request refused before its body was read (a body over the limit, the body budget spent). It
 * takes its turn in a connection's queue as a failed request ({@link #marker()}), so the answers
 * to the requests pipelined before it go first; the Nginx tier and the gateway share it.
 */
public final class RefusedRequest extends Exception {
    public final int status;
    public final String error;
    public final String traceId;

    public RefusedRequest(int status, String error, String why, String traceId) {
        super(why, null, false, false);
        this.status = status;
        this.error = error;
        this.traceId = traceId;
    }

    /** A stand-in request whose decoder result is this refusal. */
    public FullHttpRequest marker() {
        DefaultFullHttpRequest m = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        m.setDecoderResult(DecoderResult.failure(this));
        return m;
    }
}
