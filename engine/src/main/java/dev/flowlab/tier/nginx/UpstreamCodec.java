package dev.flowlab.tier.nginx;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
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
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<UpstreamCodec.Decoder, UpstreamCodec.Encoder> {
    UpstreamCodec(HttpDecoderConfig config) {
        ArrayDeque<HttpMethod> sent = new ArrayDeque<>(2);
        init(new Decoder(config, sent), new Encoder(sent));
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
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // an interim answer: the final one is still to come
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
