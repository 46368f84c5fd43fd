package dev.flowlab.net.http;

import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension, as Tomcat's default {@code web.xml} mime mappings give them (no
 * charset is added for static files). The Nginx tier keeps nginx's own table ({@code MimeTypes}):
 * the two servers really differ, e.g. .js is text/javascript in Tomcat, application/javascript in nginx.
 */
public final class ContentTypes {
    public static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");

    private static final Map<String, AsciiString> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", AsciiString.cached("text/html")),
            Map.entry("htm", AsciiString.cached("text/html")),
            Map.entry("css", AsciiString.cached("text/css")),
            Map.entry("js", AsciiString.cached("text/javascript")),
            Map.entry("mjs", AsciiString.cached("text/javascript")),
            Map.entry("json", AsciiString.cached("application/json")),
            Map.entry("txt", AsciiString.cached("text/plain")),
            Map.entry("svg", AsciiString.cached("image/svg+xml")),
            Map.entry("png", AsciiString.cached("image/png")),
            Map.entry("jpg", AsciiString.cached("image/jpeg")),
            Map.entry("jpeg", AsciiString.cached("image/jpeg")),
            Map.entry("gif", AsciiString.cached("image/gif")),
            Map.entry("webp", AsciiString.cached("image/webp")),
            Map.entry("ico", AsciiString.cached("image/x-icon")),
            Map.entry("woff", AsciiString.cached("font/woff")),
            Map.entry("woff2", AsciiString.cached("font/woff2")));

    private ContentTypes() {
    }

    /** The type for a file name; {@code application/octet-stream} when the extension is unknown. */
    public static AsciiString forFileName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }
}
