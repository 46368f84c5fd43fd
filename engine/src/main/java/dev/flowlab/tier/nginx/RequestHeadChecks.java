package dev.flowlab.tier.nginx;

import dev.flowlab.net.http.LabHeaders;
import dev.flowlab.net.http.RefusedRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Iterator;
import java.util.Map;

/**
 * The checks nginx 1.22 makes on a request's line and header lines before it reads any body
 * (ngx_http_parse_request_line, ngx_http_parse_header_line, ngx_http_process_request_header), in
 * nginx's order, on the head as the codec decoded it. A request that fails one becomes a failed
 * request here ({@link RefusedRequest} as its decoder result): answered in its turn with nginx's
 * status, then the connection is closed, and its body (if any) is never read.
 * <ul>
 * <li>a request line with HTTP/2.0 or above on this HTTP/1 port: 505;</li>
 * <li>a header line longer than one {@code large_client_header_buffers} buffer (8k): 400 "Request
 * Header Or Cookie Too Large" (nginx's internal 494); the line is measured as {@code name: value};</li>
 * <li>a header name with a space or a control character in it: 400 (nginx 1.21.1 and later; other
 * bad names are ignored, {@code ignore_invalid_headers on});</li>
 * <li>a second Host header: 400 "client sent duplicate header line";</li>
 * <li>a Transfer-Encoding other than exactly {@code chunked}: 501 (HTTP/1.0 with one, or one with a
 * Content-Length: 400, which the codec already refuses).</li>
 * </ul>
 * An {@code Expect} other than {@code 100-continue} is ignored, as nginx ignores it (the body
 * buffer would otherwise answer 417).
 */
final class RequestHeadChecks extends ChannelInboundHandlerAdapter {
    private final int lineBytes;

    RequestHeadChecks(int lineBytes) {
        this.lineBytes = lineBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest r && r.decoderResult().isSuccess()) {
            RefusedRequest refused = check(r, lineBytes);
            if (refused != null) {
                r.headers().remove(HttpHeaderNames.EXPECT);
                r.setDecoderResult(DecoderResult.failure(refused));
            } else if (r.headers().contains(HttpHeaderNames.EXPECT)
                    && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(r.headers().get(HttpHeaderNames.EXPECT).trim())) {
                r.headers().remove(HttpHeaderNames.EXPECT);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The first of nginx's checks this head fails, or null. */
    static RefusedRequest check(HttpRequest r, int lineBytes) {
        if (!ClientConnection.nginxMethod(r.method().name())) {
            return null; // the method is refused (400) further on, before anything else is looked at
        }
        String trace = r.headers().get(LabHeaders.X_LAB_TRACE);
        if (r.protocolVersion().majorVersion() > 1) {
            return new RefusedRequest(505, "bad_request", "client sent " + r.protocolVersion().text()
                    + " request on an HTTP/1 port: 505 HTTP Version Not Supported", trace);
        }
        HttpHeaders h = r.headers();
        boolean host = false;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (name.length() + 2 + e.getValue().length() + 2 > lineBytes) {
                return new RefusedRequest(494, "header_too_large", "client sent too long header line: \""
                        + ClientConnection.abbreviate(name + ": " + e.getValue()) + "\" (over large_client_header_buffers, "
                        + lineBytes + " bytes)", trace);
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= 0x20 || c == 0x7f) {
                    return new RefusedRequest(400, "bad_request", "client sent invalid header line: \""
                            + ClientConnection.abbreviate(name.toString()) + "\" (a space or control character in a header name)", trace);
                }
            }
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                if (host) {
                    return new RefusedRequest(400, "bad_request", "client sent duplicate header line: \"Host: "
                            + ClientConnection.abbreviate(e.getValue().toString()) + "\"", trace);
                }
                host = true;
            }
        }
        String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (te != null && !te.equalsIgnoreCase("chunked")) {
            return new RefusedRequest(501, "bad_request", "client sent unknown \"Transfer-Encoding\": \""
                    + ClientConnection.abbreviate(te) + "\"", trace);
        }
        return null;
    }
}
