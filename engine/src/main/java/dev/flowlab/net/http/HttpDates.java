package dev.flowlab.net.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * The Date header value, formatted by Netty's {@link DateFormatter} (RFC 7231 IMF-fixdate,
 * "Sun, 06 Nov 1994 08:49:37 GMT", as nginx and Tomcat send it) once a second, not per response.
 * Other dates (Last-Modified) call {@code DateFormatter.format} directly.
 */
public final class HttpDates {
    private record Cached(long second, AsciiString value) {
    }

    private static volatile Cached current = new Cached(-1, AsciiString.EMPTY_STRING);

    private HttpDates() {
    }

    /** The value for a Date header now. */
    public static AsciiString now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached c = current;
        if (c.second != second) {
            c = new Cached(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
            current = c;
        }
        return c.value;
    }
}
