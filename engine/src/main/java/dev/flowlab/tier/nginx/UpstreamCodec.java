package dev.flowlab.tier.nginx;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The proxy's HTTP codec towards upstreams: Netty's request encoder and response decoder, which
 * remember the methods sent (a HEAD's answer has no body) like {@code HttpClientCodec}, and read
 * header names as nginx's ngx_http_parse_header_line does: a name ended by a space or a tab rather
 * than its colon ({@code This is not a header}, {@code Name : value}) is "upstream sent invalid
 * header". The decoder keeps such a name with the space after it, which is no HTTP token, so the
 * proxy's check of the response's names ({@link HeaderNames#firstInvalidUpstreamName}) refuses it
 * as every other invalid name: 502, or the next server ({@code invalid_header}).
 *
 * <p>An interim answer (100 Continue) is no interim answer to nginx 1.22's proxy: it is the
 * response, without a length, so the bytes after its head (the final answer's status line,
 * headers and body) are its body until the upstream closes.
 *
 * <p>Content-Length is read as nginx 1.22 reads it (ngx_http_upstream_process_content_length): each
 * line replaces the one before, the last one counts, and a value that is not all digits (a list
 * such as {@code 21, 21}) means no length: the body runs until the upstream closes. Two lines,
 * the same or different, are no error in 1.22 (only 1.23 refuses them: "upstream sent duplicate
 * header line"); Netty's decoder would refuse different values, so its headers never see a second
 * line.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<UpstreamCodec.Decoder, UpstreamCodec.Encoder> {
    UpstreamCodec(HttpDecoderConfig config) {
        ArrayDeque<HttpMethod> sent = new ArrayDeque<>(2);
        init(new Decoder(config.clone().setHeadersFactory(LAST_CONTENT_LENGTH), sent), new Encoder(sent));
    }

    /** Response headers whose Content-Length lines replace each other, as nginx 1.22 reads them. */
    private static final HttpHeadersFactory LAST_CONTENT_LENGTH = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new LastContentLengthHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new LastContentLengthHeaders();
        }
    };

    @SuppressWarnings("deprecation")
    static final class LastContentLengthHeaders extends DefaultHttpHeaders {
        LastContentLengthHeaders() {
            super(false);
        }

        @Override
        public HttpHeaders add(CharSequence name, Object value) {
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                String v = String.valueOf(value).trim();
                if (digits(v)) {
                    return super.set(name, v);
                }
                return super.remove(name); // nginx's ngx_atoof fails: no length
            }
            return super.add(name, value);
        }

        @Override
        public HttpHeaders add(String name, Object value) {
            return add((CharSequence) name, value);
        }

        /** One to 18 ASCII digits (what nginx's ngx_atoof takes without overflow). */
        static boolean digits(String v) {
            int n = v.length();
            if (n == 0 || n > 18) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Encoder extends HttpRequestEncoder {
        private final ArrayDeque<HttpMethod> sent;

        Encoder(ArrayDeque<HttpMethod> sent) {
            this.sent = sent;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest r) {
                sent.add(r.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    static final class Decoder extends HttpResponseDecoder {
        private final ArrayDeque<HttpMethod> sent;

        Decoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> sent) {
            super(config);
            this.sent = sent;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponse r = (HttpResponse) msg;
            if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL && r.status().code() != 101) {
                // nginx 1.22 takes an upstream's 100 Continue (any 1xx) as its answer: no length, so
                // everything after its head, the real answer included, is its body, up to the close
                sent.poll();
                return false;
            }
            HttpMethod m = sent.poll();
            return HttpMethod.HEAD.equals(m) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] line, int start, int length) {
            AsciiString name = super.splitHeaderName(line, start, length);
            int after = start + length;
            if (after < line.length && line[after] != ':') {
                return new AsciiString(name + " ");
            }
            return name;
        }
    }
}
