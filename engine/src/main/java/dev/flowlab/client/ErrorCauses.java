package dev.flowlab.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;

/** The stable names of the ways a request can fail without an HTTP answer; reports and scripts use them. */
public final class ErrorCauses {
    public static final String CONNECT_REFUSED = "connect_refused";
    public static final String CONNECT_TIMEOUT = "connect_timeout";
    /** No full response within the request timeout (counted from the intended send time). */
    public static final String TIMEOUT = "timeout";
    /** The peer reset the connection (RST), e.g. a killed server. */
    public static final String RESET = "reset";
    /** The connection closed (FIN) before a full response arrived. */
    public static final String CLOSED = "closed";
    /** Bytes that are not a valid HTTP/1.1 response, or one too large. */
    public static final String BAD_RESPONSE = "bad_response";
    /** The name did not resolve through the lab's DNS (NXDOMAIN, no answer, no server). */
    public static final String DNS = "dns";
    /** The client's own pending queue was full: the load generator, not the target, was the limit. */
    public static final String CLIENT_OVERLOADED = "client_overloaded";

    public static final List<String> ALL = List.of(CONNECT_REFUSED, CONNECT_TIMEOUT, TIMEOUT, RESET, CLOSED,
            BAD_RESPONSE, CLIENT_OVERLOADED, DNS);

    private ErrorCauses() {
    }

    /** Maps a transport or codec failure to its cause name. */
    public static String classify(Throwable e) {
        if (e instanceof java.net.UnknownHostException) {
            return DNS;
        }
        if (e instanceof ConnectTimeoutException) {
            return CONNECT_TIMEOUT;
        }
        if (e instanceof ConnectException) {
            return CONNECT_REFUSED;
        }
        if (e instanceof PrematureChannelClosureException || e instanceof ClosedChannelException) {
            return CLOSED;
        }
        if (e instanceof DecoderException) {
            return BAD_RESPONSE;
        }
        if (e instanceof IOException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            // The JDK words a peer's RST as "Connection reset" on read and "Broken pipe" on write.
            if (m.contains("reset") || m.contains("broken pipe")) {
                return RESET;
            }
        }
        return CLOSED;
    }
}
