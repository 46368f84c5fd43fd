package dev.flowlab.net.http;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 7231 dates for Date and Last-Modified; the current Date value is formatted once a second, not per response. */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

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
            c = new Cached(second, new AsciiString(format(second * 1000)));
            current = c;
        }
        return c.value;
    }

    public static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }
}
