package dev.flowlab.net.http;

import io.netty.util.AsciiString;

/**
 * Header names and values every HTTP tier of the lab uses. {@link AsciiString} constants so the
 * encoders copy bytes instead of re-encoding strings on the hot path.
 */
public final class LabHeaders {
    /** The node that produced a response; set by every server tier, on errors too. */
    public static final AsciiString X_SERVED_BY = AsciiString.cached("x-served-by");
    /** The trace id the lab's client stamps on each request; tiers pass it on and echo it. */
    public static final AsciiString X_LAB_TRACE = AsciiString.cached("x-lab-trace");

    public static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    public static final AsciiString TEXT_HTML_UTF8 = AsciiString.cached("text/html;charset=UTF-8");

    private LabHeaders() {
    }
}
