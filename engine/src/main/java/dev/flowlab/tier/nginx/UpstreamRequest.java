package dev.flowlab.tier.nginx;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * The request as upstreams see it (nginx's ngx_http_proxy_create_request): {@code proxy_http_version}
 * (HTTP/1.0 unless 1.1), the URI ({@code proxy_pass} with or without a URI part), the client's
 * headers without the hop-by-hop ones, {@code proxy_set_header} (by default {@code Host $proxy_host}
 * and {@code Connection close}; {@code $proxy_add_x_forwarded_for}), a proxy_cache_revalidate's
 * conditional headers, and the body's length. The client's header map is rewritten in place once
 * per request (nothing reads the client's hop-by-hop headers after this point) and shared by every
 * attempt; each attempt gets its own request object around it.
 */
final class UpstreamRequest {
    /** What nginx's proxy module does not pass on (its default proxy_set_header list); Proxy-Authorization, Trailer... go on. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.EXPECT);

    private UpstreamRequest() {
    }

    /**
     * One attempt's request around the headers {@link #headers} made. {@code cacheFill}: the cache
     * takes this request's answer, so a HEAD goes upstream as a GET (proxy_cache_convert_head on; the
     * client still gets only the head).
     */
    static FullHttpRequest build(NginxSite site, NginxSite.Route route, FullHttpRequest request, NginxUri.Parsed target,
                                 ByteBuf body, HttpHeaders headers, boolean cacheFill) {
        HttpMethod method = cacheFill && request.method().equals(HttpMethod.HEAD) ? HttpMethod.GET : request.method();
        return new DefaultFullHttpRequest(site.upstreamHttp11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0, method,
                uri(route, request, target), body, headers, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * The URI the upstream gets: the client's as it came, or, for a proxy_pass with a URI part,
     * the normalized URI with the location's prefix replaced by that part, escaped as nginx
     * escapes it (ngx_escape_uri), and the arguments as they came.
     */
    static String uri(NginxSite.Route route, FullHttpRequest request, NginxUri.Parsed target) {
        if (route.uriPart() == null || target == null) {
            return request.uri();
        }
        String rest = target.path().startsWith(route.prefix()) ? target.path().substring(route.prefix().length()) : "";
        String uri = route.spec().modifier() == dev.flowlab.topology.NginxLocationSpec.Modifier.EXACT ? route.uriPart()
                : route.uriPart() + rest;
        return NginxUri.escape(uri) + (target.args() == null ? "" : "?" + target.args());
    }

    /**
     * Rewrites the client's headers in place for the upstream: hop-by-hop ones out, proxy_set_header
     * in (an empty value removes the header), the cache's revalidation headers when {@code cache}
     * revalidates an expired entry (unless the client's request is conditional itself), and
     * Content-Length for a body or a method that has one.
     */
    static HttpHeaders headers(NginxSite site, Upstream upstream, FullHttpRequest request, String clientIp,
                               ProxyCacheFlow cache, int bodyBytes) {
        HttpHeaders h = request.headers();
        boolean clientConditional = h.contains(HttpHeaderNames.IF_MODIFIED_SINCE) || h.contains(HttpHeaderNames.IF_NONE_MATCH);
        for (CharSequence name : HOP_BY_HOP) {
            h.remove(name);
        }
        // proxy_set_header: Host $proxy_host and Connection close unless the config says otherwise
        String xff = h.get(NginxServer.X_FORWARDED_FOR);
        String proxyAddXff = xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp;
        for (Map.Entry<String, String> e : site.proxySetHeaders.entrySet()) {
            String value = NginxVariables.expand(e.getValue(), request, clientIp, proxyAddXff, upstream.proxyHost());
            if (value.isEmpty()) {
                h.remove(e.getKey());
            } else {
                h.set(e.getKey(), value);
            }
        }
        if (cache != null) {
            cache.addRevalidationHeaders(h, clientConditional);
        }
        HttpMethod m = request.method();
        if (bodyBytes > 0 || m.equals(HttpMethod.POST) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH)) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, bodyBytes);
        } else {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        return h;
    }

    /** nginx keeps an upstream connection only when it asked for it: HTTP/1.1 without Connection: close. */
    static boolean asksKeepalive(NginxSite site, HttpHeaders sent) {
        return site.upstreamHttp11 && !"close".equalsIgnoreCase(sent == null ? null : sent.get(HttpHeaderNames.CONNECTION));
    }
}
