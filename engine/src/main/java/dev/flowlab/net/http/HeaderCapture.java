package dev.flowlab.net.http;

import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * The text of a {@code trace_headers} event: what was captured, on which connection, the start
 * line and the headers as they were at that hop. Built only for watched traces
 * ({@link dev.flowlab.event.TraceMarks}), so its cost never reaches the hot path.
 *
 * <pre>
 * request received
 * conn 127.0.1.1:40112 -> 127.0.2.1:8080
 * GET /api/item/3 HTTP/1.1
 * host: www.taobao.lab
 * </pre>
 */
public final class HeaderCapture {
    public static final String CONN_PREFIX = "conn ";

    private HeaderCapture() {
    }

    public static String describe(String what, Channel connection, String startLine, HttpHeaders headers) {
        StringBuilder s = new StringBuilder(256).append(what).append('\n');
        s.append(CONN_PREFIX).append(connection == null ? "?" : address(connection.localAddress()) + " -> "
                + address(connection.remoteAddress())).append('\n');
        s.append(startLine);
        if (headers != null) {
            for (Map.Entry<String, String> h : headers) {
                s.append('\n').append(h.getKey()).append(": ").append(h.getValue());
            }
        }
        return s.toString();
    }

    public static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? TcpServerNode.hostPort(i) : String.valueOf(a);
    }
}
