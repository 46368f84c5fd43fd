package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;

/**
 * nginx's proxy cache decisions, as the lab's config writes them:
 * <ul>
 * <li>which requests use the cache at all: GET and HEAD ({@code proxy_cache_methods GET HEAD});
 * others pass by it and get no {@code X-Cache-Status} ({@code $upstream_cache_status} is empty);</li>
 * <li>which skip the lookup ({@code proxy_cache_bypass $http_cache_control $http_pragma}: either
 * header with a value other than empty or "0"); their answer is still stored, fresh;</li>
 * <li>how long an upstream's answer stays fresh ({@link #upstreamValidityMillis}): the upstream's
 * own X-Accel-Expires, Cache-Control and Expires, in the order they come, before {@code proxy_cache_valid}; and
 * Set-Cookie or {@code Vary: *} make it uncacheable.</li>
 * </ul>
 */
final class CachePolicy {
    /** {@link #upstreamValidityMillis}: the answer is not stored. */
    static final long NOT_CACHEABLE = -1;
    /** {@link #upstreamValidityMillis}: the upstream said nothing; proxy_cache_valid decides. */
    static final long USE_VALID = 0;

    private CachePolicy() {
    }

    /** proxy_cache_methods GET HEAD. */
    static boolean usesCache(HttpRequest req) {
        HttpMethod m = req.method();
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
    }

    /** proxy_cache_bypass $http_cache_control $http_pragma: any value that is not empty and not "0" (or a method the cache does not take). */
    static boolean bypass(HttpRequest req) {
        if (!usesCache(req)) {
            return true;
        }
        return set(req.headers().get(HttpHeaderNames.CACHE_CONTROL)) || set(req.headers().get(HttpHeaderNames.PRAGMA));
    }

    private static boolean set(String v) {
        return v != null && !v.isEmpty() && !v.equals("0");
    }

    /**
     * How long the upstream's answer is fresh, as nginx 1.22 reads its headers
     * (ngx_http_upstream_process_accel_expires, _cache_control, _expires, _set_cookie, _vary):
     * X-Accel-Expires "0" is not cacheable, "N" seconds or "@epoch" set the time; Cache-Control
     * no-cache, no-store or private is not cacheable, s-maxage=N or max-age=N sets it (0: not
     * cacheable); an Expires in the past is not cacheable, a later one sets it; Set-Cookie and
     * {@code Vary: *} are never cached. Read in the order they come, as nginx 1.22 reads them (below).
     */
    static long upstreamValidityMillis(HttpHeaders h, long nowMillis) {
        return upstreamValidityMillis(h, nowMillis, java.util.Set.of());
    }

    /**
     * As {@link #upstreamValidityMillis(HttpHeaders, long)}, without the headers proxy_ignore_headers names (lowercased).
     * The headers are read in the order they come, as nginx 1.22's handlers read them: "not cacheable" once said
     * stays said; X-Accel-Expires sets the time whatever came before; Cache-Control is passed over after an
     * X-Accel-Expires that set a time, and Expires after anything that set one.
     */
    static long upstreamValidityMillis(HttpHeaders h, long nowMillis, java.util.Set<String> ignored) {
        boolean cacheable = true;
        boolean validSet = false;
        long valid = 0;
        boolean accelExpiresSeen = false;
        for (java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            java.util.Map.Entry<CharSequence, CharSequence> e = it.next();
            String name = e.getKey().toString().toLowerCase(Locale.ROOT);
            String value = e.getValue().toString();
            switch (name) {
                case "set-cookie" -> {
                    if (!ignored.contains("set-cookie")) {
                        cacheable = false;
                    }
                }
                case "vary" -> {
                    if (!ignored.contains("vary") && value.trim().equals("*")) {
                        cacheable = false;
                    }
                }
                case "x-accel-expires" -> {
                    // ngx_http_upstream_process_accel_expires notes the header before it looks at proxy_ignore_headers
                    accelExpiresSeen = true;
                    if (ignored.contains("x-accel-expires")) {
                        continue;
                    }
                    String v = value.trim();
                    if (v.startsWith("@")) {
                        long at = number(v.substring(1));
                        if (at >= 0) {
                            validSet = true;
                            valid = at * 1000 - nowMillis;
                        }
                    } else {
                        long n = number(v);
                        if (n == 0) {
                            cacheable = false;
                        } else if (n > 0) {
                            validSet = true;
                            valid = n * 1000;
                        }
                    }
                }
                case "cache-control" -> {
                    if (ignored.contains("cache-control") || (validSet && accelExpiresSeen)) {
                        continue;
                    }
                    long cc = cacheControl(value.toLowerCase(Locale.ROOT));
                    if (cc == NOT_CACHEABLE) {
                        cacheable = false;
                    } else if (cc > 0) {
                        validSet = true;
                        valid = cc;
                    }
                }
                case "expires" -> {
                    if (ignored.contains("expires") || validSet) {
                        continue;
                    }
                    java.util.Date d = io.netty.handler.codec.DateFormatter.parseHttpDate(value.trim());
                    if (d == null || d.getTime() / 1000 * 1000 < nowMillis / 1000 * 1000) {
                        cacheable = false;
                    } else {
                        validSet = true;
                        valid = d.getTime() / 1000 * 1000 - nowMillis / 1000 * 1000;
                    }
                }
                default -> {
                }
            }
        }
        if (!cacheable) {
            return NOT_CACHEABLE;
        }
        if (validSet) {
            return valid > 0 ? valid : NOT_CACHEABLE;
        }
        return USE_VALID;
    }

    /** One Cache-Control line: NOT_CACHEABLE (no-cache, no-store, private, a max-age of 0 or not a number), its max-age, or 0 (says nothing). */
    private static long cacheControl(String v) {
        if (v.contains("no-cache") || v.contains("no-store") || v.contains("private")) {
            return NOT_CACHEABLE;
        }
        int at = v.indexOf("s-maxage=");
        int offset = 9;
        if (at < 0) {
            at = v.indexOf("max-age=");
            offset = 8;
        }
        if (at < 0) {
            return 0;
        }
        long n = 0;
        for (int i = at + offset; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == ';' || c == ' ') {
                break;
            }
            if (c < '0' || c > '9') {
                return NOT_CACHEABLE;
            }
            n = n * 10 + (c - '0');
        }
        return n == 0 ? NOT_CACHEABLE : n * 1000;
    }

    /** ngx_atoi: decimal digits only, else -1. */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
