package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header names checked the way nginx checks them, once per decoded message. The Nginx tier's codecs
 * run without Netty's per-call validation (which checked every name again on each add and set,
 * including the constant names the proxy sets); what nginx does with a bad name is done here:
 * <ul>
 * <li>from a client, {@code ignore_invalid_headers on} (the default): a header whose name is not
 * letters, digits and hyphens ({@code underscores_in_headers off}, also the default) is ignored,
 * not passed on, and the request goes ahead;</li>
 * <li>from an upstream, a name that is not an HTTP token is "upstream sent invalid header": 502, or
 * the next server (it always counts as {@code invalid_header}).</li>
 * </ul>
 */
final class HeaderNames {
    private static final boolean[] NGINX_CLIENT = new boolean[128];
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            NGINX_CLIENT[c] = true;
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            NGINX_CLIENT[c] = true;
            NGINX_CLIENT[Character.toUpperCase(c)] = true;
            TOKEN[c] = true;
            TOKEN[Character.toUpperCase(c)] = true;
        }
        NGINX_CLIENT['-'] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private HeaderNames() {
    }

    /** A decoder configuration whose headers do not validate each name on every add and set. */
    static HttpDecoderConfig decoderConfig(int maxInitialLine, int maxHeaderSize, int maxChunk) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLine)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunk)
                // nginx takes a bare LF as a line end (in the request line, the headers and chunk sizes)
                .setStrictLineParsing(false)
                .setHeadersFactory(HEADERS)
                .setTrailersFactory(TRAILERS);
    }

    /** nginx's {@code ignore_invalid_headers on}: removes the client's headers nginx would ignore. */
    static void dropInvalidClientHeaders(HttpHeaders headers) {
        dropInvalidClientHeaders(headers, false);
    }

    /** As {@link #dropInvalidClientHeaders(HttpHeaders)}, with {@code underscores_in_headers on} when {@code underscores}. */
    static void dropInvalidClientHeaders(HttpHeaders headers, boolean underscores) {
        List<String> dropped = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!all(name, NGINX_CLIENT) && !(underscores && all(name.toString().replace('_', '-'), NGINX_CLIENT))) {
                if (dropped == null) {
                    dropped = new ArrayList<>(2);
                }
                dropped.add(name.toString());
            }
        }
        if (dropped != null) {
            dropped.forEach(headers::remove);
        }
    }

    /** The first of an upstream's header names that is not an HTTP token, or null when all are. */
    static String firstInvalidUpstreamName(HttpHeaders headers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!all(name, TOKEN)) {
                return name.toString();
            }
        }
        return null;
    }

    private static boolean all(CharSequence name, boolean[] allowed) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }
}
