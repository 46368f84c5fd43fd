package dev.flowlab.net.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the lab's RPC protocol (the gateway's backend protocol, in the spirit of Dubbo's
 * and gRPC's framings): a request (method, path, query params, attachments, body) or a response
 * (status, attachments, body), both carrying the request id they belong to and the trace id.
 * Attachments are what Dubbo calls them: string key/value pairs travelling with the call
 * (content type, the authenticated principal, the node that served it).
 */
public record RpcFrame(Type type, long requestId, String traceId, String method, String path,
                       Map<String, String> params, int status, Map<String, String> attachments, byte[] body) {

    public enum Type {
        REQUEST(1), RESPONSE(2);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            return switch (code) {
                case 1 -> REQUEST;
                case 2 -> RESPONSE;
                default -> null;
            };
        }
    }

    public RpcFrame {
        Objects.requireNonNull(type, "type");
        traceId = traceId == null ? "" : traceId;
        method = method == null ? "" : method;
        path = path == null ? "" : path;
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        attachments = attachments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
        body = body == null ? new byte[0] : body;
    }

    public static RpcFrame request(long requestId, String traceId, String method, String path, Map<String, String> params,
                                   Map<String, String> attachments, byte[] body) {
        return new RpcFrame(Type.REQUEST, requestId, traceId, method, path, params, 0, attachments, body);
    }

    public static RpcFrame response(long requestId, String traceId, int status, Map<String, String> attachments, byte[] body) {
        return new RpcFrame(Type.RESPONSE, requestId, traceId, null, null, null, status, attachments, body);
    }

    public boolean isRequest() {
        return type == Type.REQUEST;
    }

    /** The body as text (the protocol carries JSON; static files pass as bytes). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** One line for traces and inspectors: the frame as the wire carries it, field by field. */
    public String summary() {
        return RpcTap.message(this).describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RpcFrame f && f.type == type && f.requestId == requestId && f.traceId.equals(traceId)
                && f.method.equals(method) && f.path.equals(path) && f.params.equals(params) && f.status == status
                && f.attachments.equals(attachments) && java.util.Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, requestId, traceId, method, path, params, status, attachments) * 31 + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return summary();
    }
}
