package dev.flowlab.control;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a request may reach the control API, before any routing: the API answers only
 * requests addressed to itself on loopback, never a web page's.
 *
 * <ol>
 *   <li>A request that failed to decode: 400, never executed.</li>
 *   <li>{@code Host} must name the API itself: {@code 127.0.0.1:PORT}, {@code localhost:PORT},
 *       {@code [::1]:PORT} or the bound address (no port only if the port is 80). Otherwise 421,
 *       which stops DNS rebinding (a page at {@code evil.example} re-pointed to 127.0.0.1); a
 *       missing or repeated Host on HTTP/1.1 is 400.</li>
 *   <li>A request from a browser page elsewhere is refused (403): an {@code Origin} that is not
 *       {@code http://} + one of those host names, or {@code Sec-Fetch-Site: cross-site} or
 *       {@code same-site}. A browser sends neither for a URL typed into the address bar (it sends
 *       {@code Sec-Fetch-Site: none}); curl and scripts send neither.</li>
 *   <li>A state-changing request (any method but GET, HEAD, OPTIONS) needs the run's token in
 *       {@value #TOKEN_HEADER} (403 without it or with a wrong one); a non-standard header that no
 *       page can send across origins without a CORS preflight, which this API never grants. If it
 *       has a body, that body must be {@code application/json} (415).</li>
 * </ol>
 * The API sends no {@code Access-Control-Allow-*} header at all.
 */
final class ControlGuard {
    static final String TOKEN_HEADER = "X-Flowlab-Token";
    private static final Set<String> FETCH_SITES_ALLOWED = Set.of("same-origin", "none");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a request is refused: the status and the reason (the error body). The connection is closed after it. */
    record Refusal(HttpResponseStatus status, String reason) {
    }

    private final String token;

    ControlGuard(String token) {
        this.token = token;
    }

    /** 128 random bits as 32 hex digits: a new one for every control server. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Null when the request may go on; otherwise why not. {@code local}: the address the request came in on. */
    Refusal check(FullHttpRequest req, InetSocketAddress local) {
        if (!req.decoderResult().isSuccess()) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed request: " + req.decoderResult().cause().getMessage());
        }
        Set<String> hosts = ownHosts(local);
        List<String> hostHeaders = req.headers().getAll(HttpHeaderNames.HOST);
        if (hostHeaders.size() > 1) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        }
        if (hostHeaders.isEmpty()) {
            if (!req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "missing Host header");
            }
        } else if (!hosts.contains(hostHeaders.get(0).trim().toLowerCase(Locale.ROOT))) {
            return new Refusal(HttpResponseStatus.MISDIRECTED_REQUEST, "Host '" + hostHeaders.get(0)
                    + "' is not this control API; use http://" + hostPort(local) + "/");
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !isOwnOrigin(origin, hosts)) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "requests from Origin '" + origin + "' are refused");
        }
        String site = req.headers().get("Sec-Fetch-Site");
        if (site != null && !FETCH_SITES_ALLOWED.contains(site.trim().toLowerCase(Locale.ROOT))) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "requests from another site (Sec-Fetch-Site: " + site + ") are refused");
        }
        if (isSafe(req.method())) {
            return null;
        }
        if (!tokenMatches(req.headers().getAll(TOKEN_HEADER))) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, req.method() + " needs the header " + TOKEN_HEADER
                    + " with this run's token (printed by `lab serve`, and \"control_token\" in its --endpoints file)");
        }
        if (req.content().isReadable() && !isJson(req)) {
            return new Refusal(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "a request body must be Content-Type: application/json");
        }
        return null;
    }

    static boolean isSafe(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS);
    }

    private boolean tokenMatches(List<String> values) {
        return values.size() == 1 && MessageDigest.isEqual(values.get(0).trim().getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isJson(FullHttpRequest req) {
        CharSequence mime = HttpUtil.getMimeType(req);
        return mime != null && HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(mime.toString().trim());
    }

    private static boolean isOwnOrigin(String origin, Set<String> hosts) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.startsWith("http://") && hosts.contains(o.substring("http://".length()));
    }

    /** The Host values (lower case) that name this API: loopback names with its port, and its bound address. */
    static Set<String> ownHosts(InetSocketAddress local) {
        int port = local.getPort();
        Set<String> hosts = new HashSet<>(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, hostPort(local)));
        if (port == 80) {
            hosts.addAll(List.of("127.0.0.1", "localhost", "[::1]", hostOnly(local)));
        }
        return hosts;
    }

    private static String hostOnly(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h).toLowerCase(Locale.ROOT);
    }

    private static String hostPort(InetSocketAddress a) {
        return hostOnly(a) + ":" + a.getPort();
    }
}
