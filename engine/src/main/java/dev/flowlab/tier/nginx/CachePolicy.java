package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Which requests the proxy cache may answer: GET and HEAD (proxy_cache_methods), and not when the
 * client asks for a fresh copy ({@code Cache-Control: no-cache} or {@code Pragma: no-cache}: the
 * lab's config sets {@code proxy_cache_bypass $http_cache_control $http_pragma}).
 */
final class CachePolicy {
    private CachePolicy() {
    }

    static boolean bypass(HttpRequest req) {
        HttpMethod m = req.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
            return true;
        }
        String cc = req.headers().get(HttpHeaderNames.CACHE_CONTROL, "");
        String pragma = req.headers().get(HttpHeaderNames.PRAGMA, "");
        return cc.contains("no-cache") || cc.contains("no-store") || pragma.contains("no-cache");
    }
}
