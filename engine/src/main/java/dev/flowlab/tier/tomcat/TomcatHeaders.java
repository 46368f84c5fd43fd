package dev.flowlab.tier.tomcat;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * The response head as Tomcat 10.1 writes it (measured against Tomcat 10.1.55, see
 * {@code RealTomcatDifferentialTest}): a status line without a reason phrase ({@code "HTTP/1.1 200 "},
 * the trailing space included), header names capitalised as Tomcat sends them, and Tomcat's own
 * values. Constants, so the hot path copies bytes and builds no strings: Netty's headers compare
 * names case-insensitively, so lookups by its lower-case names still find these.
 */
final class TomcatHeaders {
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString CONTENT_LANGUAGE = AsciiString.cached("Content-Language");
    static final AsciiString DATE = AsciiString.cached("Date");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString KEEP_ALIVE = AsciiString.cached("Keep-Alive");
    static final AsciiString ALLOW = AsciiString.cached("Allow");
    static final AsciiString ETAG = AsciiString.cached("ETag");
    static final AsciiString LAST_MODIFIED = AsciiString.cached("Last-Modified");
    static final AsciiString ACCEPT_RANGES = AsciiString.cached("Accept-Ranges");

    static final AsciiString CLOSE = AsciiString.cached("close");
    static final AsciiString KEEP_ALIVE_TOKEN = AsciiString.cached("keep-alive");
    static final AsciiString EN = AsciiString.cached("en");

    /**
     * What a servlet that calls {@code setContentType("application/json")} and
     * {@code setCharacterEncoding("UTF-8")} sends: Tomcat appends the charset it was given. The shop
     * is modelled as such a servlet (Tomcat sends a bare {@code application/json} only when the
     * application sets no character encoding and never calls {@code getWriter()}).
     */
    static final AsciiString APPLICATION_JSON_UTF8 = AsciiString.cached("application/json;charset=UTF-8");
    /** Tomcat's own error pages (ErrorReportValve): lower-case {@code utf-8}, with {@code Content-Language: en}. */
    static final AsciiString ERROR_PAGE_HTML = AsciiString.cached("text/html;charset=utf-8");

    private static final int FIRST = 100;
    private static final HttpResponseStatus[] BARE = new HttpResponseStatus[600 - FIRST];

    static {
        for (int code = FIRST; code < 600; code++) {
            BARE[code - FIRST] = new HttpResponseStatus(code, "");
        }
    }

    private TomcatHeaders() {
    }

    /** The status as Tomcat puts it on the wire: the code and no reason phrase ({@code "HTTP/1.1 200 "}). */
    static HttpResponseStatus onWire(HttpResponseStatus status) {
        int code = status.code();
        return code >= FIRST && code < 600 ? BARE[code - FIRST] : new HttpResponseStatus(code, "");
    }

    /**
     * Tomcat's {@code Http11Processor.statusDropsConnection}: after these the connection closes, with
     * {@code Connection: close}, whatever the client asked for (the application's own 400 or 500 too).
     */
    static boolean statusDropsConnection(int status) {
        return status == 400 || status == 408 || status == 411 || status == 413 || status == 414
                || status == 500 || status == 501 || status == 503;
    }
}
