package dev.flowlab.net.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The first named steps of every HTTP tier's client connection, in order (Zuul's
 * BaseZuulChannelInitializer is the model): the read gate (one request read ahead, real read
 * stops), the byte-level client timeouts, the HTTP codec, the message-level timeout phases and
 * then the tier's own steps, among them the JVM-wide body budget under {@link #BODY_BUDGET}.
 * Handler names are constants, never string literals.
 */
public final class HttpFront {
    public static final String READ_GATE = "read-gate";
    public static final String CLIENT_TIMEOUTS = "client-timeouts";
    public static final String CODEC = "http-codec";
    public static final String REQUEST_PHASES = "request-phases";
    public static final String BODY_BUDGET = "body-budget";

    private HttpFront() {
    }

    public static ChannelPipeline install(ChannelPipeline p, ReadGate gate, ClientTimeouts timeouts, HttpServerCodec codec) {
        return p.addLast(READ_GATE, gate)
                .addLast(CLIENT_TIMEOUTS, timeouts.bytes())
                .addLast(CODEC, codec)
                .addLast(REQUEST_PHASES, timeouts.messages());
    }

    /** As {@link #install}, the same steps in the same order, before the handler named {@code before}. */
    public static ChannelPipeline installBefore(ChannelPipeline p, String before, ReadGate gate, ClientTimeouts timeouts, HttpServerCodec codec) {
        return p.addBefore(before, READ_GATE, gate)
                .addBefore(before, CLIENT_TIMEOUTS, timeouts.bytes())
                .addBefore(before, CODEC, codec)
                .addBefore(before, REQUEST_PHASES, timeouts.messages());
    }
}
