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

/** nginx's own answers: the built-in error pages, word for word, with nginx's reason phrases. */
final class Responses {
    static final String SERVER = "nginx";

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
    static FullHttpResponse error(ByteBufAllocator alloc, int status, boolean keepAlive) {
        String title = status + " " + reason(status);
        if (status == 494) {
            title = "400 Request Header Or Cookie Too Large";
        }
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n"
                + (status == 494 ? "<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n"
                        : "<center><h1>" + title + "</h1></center>\r\n")
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        int wire = status == 494 ? 400 : status;
        ByteBuf body = alloc.buffer(html.length());
        body.writeCharSequence(html, StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(wire, wire == 400 ? "Bad Request" : reason(wire)), body);
        r.headers().set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, dev.flowlab.net.http.HttpDates.now())
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }
}
