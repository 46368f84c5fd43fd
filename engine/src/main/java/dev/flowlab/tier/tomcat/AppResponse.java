package dev.flowlab.tier.tomcat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * What the application answers: a status, a content type (and language, which only Tomcat's own
 * error pages set), a body it hands over (the writer releases it) and up to a few extra headers.
 * The connector adds the protocol headers.
 */
record AppResponse(HttpResponseStatus status, AsciiString contentType, AsciiString contentLanguage, ByteBuf body,
                   CharSequence[] extraHeaders) {
    private static final CharSequence[] NONE = new CharSequence[0];

    AppResponse(HttpResponseStatus status, AsciiString contentType, ByteBuf body, CharSequence[] extraHeaders) {
        this(status, contentType, null, body, extraHeaders);
    }

    static AppResponse of(HttpResponseStatus status, AsciiString contentType, byte[] body) {
        return new AppResponse(status, contentType, null, Unpooled.wrappedBuffer(body), NONE);
    }

    static AppResponse of(HttpResponseStatus status, AsciiString contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** @param nameValuePairs header name, value, name, value... */
    AppResponse withHeaders(CharSequence... nameValuePairs) {
        return new AppResponse(status, contentType, contentLanguage, body, nameValuePairs);
    }

    AppResponse withContentLanguage(AsciiString language) {
        return new AppResponse(status, contentType, language, body, extraHeaders);
    }
}
