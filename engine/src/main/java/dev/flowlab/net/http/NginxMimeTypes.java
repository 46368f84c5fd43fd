package dev.flowlab.net.http;

import java.util.Locale;
import java.util.Map;

/**
 * A few entries of nginx's own mime.types; anything else is default_type application/octet-stream. The lab's Nginx
 * answers static files with them, and the exported nginx.conf writes them as its {@code types} block, so the real
 * nginx answers the same. Kept apart from the Tomcat tier's table on purpose: nginx and Tomcat map some extensions
 * differently.
 */
public final class NginxMimeTypes {
    public static final String DEFAULT_TYPE = "application/octet-stream";
    /** Extension to type. */
    public static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "application/javascript"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain"), Map.entry("xml", "text/xml"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("map", "application/json"));

    private NginxMimeTypes() {
    }

    public static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return DEFAULT_TYPE;
        }
        return TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
    }
}
