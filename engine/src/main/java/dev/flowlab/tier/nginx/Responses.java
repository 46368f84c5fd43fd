package dev.flowlab.tier.nginx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * nginx's own answers: the built-in error pages, word for word, with nginx's reason phrases, signed
 * as the Server header is ({@code nginx/1.22.1}, or {@code nginx} with server_tokens off).
 */
final class Responses {
    private Responses() {
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Not Allowed";
            case 408 -> "Request Time-out";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 494 -> "Request Header Or Cookie Too Large";
            case 499 -> "Client Closed Request";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }

    /**
     * nginx's error page. 494 is nginx's internal code for "Request Header Or Cookie Too Large":
     * on the wire it is a 400 with that title.
     */
    static FullHttpResponse error(NginxSite site, ByteBufAllocator alloc, int status, boolean keepAlive) {
        String title = status + " " + reason(status);
        if (status == 494) {
            title = "400 Request Header Or Cookie Too Large";
        }
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n"
                + (status == 494 ? "<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n"
                        : "<center><h1>" + title + "</h1></center>\r\n")
                + "<hr><center>" + site.serverHeader + "</center>\r\n</body>\r\n</html>\r\n";
        int wire = status == 494 ? 400 : status;
        ByteBuf body = alloc.buffer(html.length());
        body.writeCharSequence(html, StandardCharsets.ISO_8859_1);
        // nginx's status line says "302 Moved Temporarily" where its page's title says "302 Found"
        FullHttpResponse r = new Page(new HttpResponseStatus(wire, wire == 400 ? "Bad Request" : wire == 302 ? "Moved Temporarily" : reason(wire)), body);
        r.headers().set(HttpHeaderNames.SERVER, site.serverHeader)
                .set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now())
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    /** nginx's own error page (which error_page may replace), as opposed to a file or an upstream's answer. */
    static final class Page extends DefaultFullHttpResponse {
        Page(HttpResponseStatus status, ByteBuf body) {
            super(HttpVersion.HTTP_1_1, status, body);
        }
    }

    /** A status line with nginx's reason phrase. */
    static HttpResponseStatus status(int code) {
        return new HttpResponseStatus(code, reason(code));
    }
}
