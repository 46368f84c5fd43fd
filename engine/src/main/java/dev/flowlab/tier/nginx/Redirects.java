package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * nginx's two rewrites of a redirect's target. {@code proxy_redirect default} (the default) turns an
 * upstream's {@code Location} or {@code Refresh: ...; url=} that starts with the proxy_pass URL
 * ({@code http://NAME/} for a proxy_pass without a URI part) into the location's own prefix
 * ({@code /}). Then, on nginx's own redirects (a directory's 301, a Location proxy_redirect
 * rewrote; not an upstream's relative Location, passed on as it is), {@code absolute_redirect on} (the default) makes a
 * {@code Location} that starts with {@code /} absolute: {@code http://} + the request's host
 * (from the request line's absolute URI or the Host header, lowercased, without its port; else
 * the address the client connected to) + {@code :port} unless it is 80.
 */
final class Redirects {
    private Redirects() {
    }

    /**
     * proxy_redirect default, in place on the upstream's headers; true when it rewrote the Location
     * (only such a Location is nginx's own and made absolute: an upstream's relative one is passed on as it is).
     */
    static boolean proxyRedirect(HttpHeaders h, String proxyPassUrl, String replacement) {
        String location = h.get(HttpHeaderNames.LOCATION);
        boolean rewritten = false;
        if (location != null && startsWithIgnoreCase(location, proxyPassUrl)) {
            h.set(HttpHeaderNames.LOCATION, replacement + location.substring(proxyPassUrl.length()));
            rewritten = true;
        }
        String refresh = h.get("Refresh");
        if (refresh != null) {
            int url = refresh.toLowerCase(Locale.ROOT).indexOf("url=");
            if (url >= 0 && startsWithIgnoreCase(refresh.substring(url + 4), proxyPassUrl)) {
                h.set("Refresh", refresh.substring(0, url + 4) + replacement + refresh.substring(url + 4 + proxyPassUrl.length()));
            }
        }
        return rewritten;
    }

    /** absolute_redirect on: a Location starting with '/' made absolute, in place. */
    static void absolute(HttpHeaders h, String requestHost, InetSocketAddress local) {
        String location = h.get(HttpHeaderNames.LOCATION);
        if (location == null || !location.startsWith("/")) {
            return;
        }
        String host = requestHost != null && !requestHost.isEmpty() ? requestHost
                : local == null ? "localhost" : local.getAddress().getHostAddress();
        int port = local == null ? 80 : local.getPort();
        h.set(HttpHeaderNames.LOCATION, "http://" + host + (port == 80 ? "" : ":" + port) + location);
    }

    /** $host as nginx keeps it for redirects: the Host header's host, lowercased, without the port. */
    static String hostOf(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.indexOf(':');
        h = colon >= 0 ? h.substring(0, colon) : h;
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
