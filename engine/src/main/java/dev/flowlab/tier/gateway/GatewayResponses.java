package dev.flowlab.tier.gateway;

import dev.flowlab.net.http.HttpDates;
import dev.flowlab.net.http.JsonText;
import dev.flowlab.net.http.LabHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The gateway's own answers: a JSON body naming the status, the filter that decided and why (Spring Boot's error shape). */
final class GatewayResponses {
    private GatewayResponses() {
    }

    static FullHttpResponse error(ByteBufAllocator alloc, int status, String filter, String message) {
        HttpResponseStatus st = HttpResponseStatus.valueOf(status);
        StringBuilder json = new StringBuilder(96 + message.length()).append("{\"status\":").append(status).append(",\"error\":");
        JsonText.appendQuoted(json, st.reasonPhrase()).append(",\"filter\":");
        JsonText.appendQuoted(json, filter).append(",\"message\":");
        JsonText.appendQuoted(json, message).append('}');
        ByteBuf body = alloc.buffer(json.length());
        body.writeCharSequence(json, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, LabHeaders.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.DATE, HttpDates.now());
        return r;
    }
}
