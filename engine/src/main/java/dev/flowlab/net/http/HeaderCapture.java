package dev.flowlab.net.http;

import dev.flowlab.event.Fact;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fact of a {@code trace_headers} event: what was captured, on which connection, the start
 * line and the headers as they were at that hop. Built only for watched traces
 * ({@link dev.flowlab.event.TraceMarks}), so its cost never reaches the hot path.
 */
public final class HeaderCapture {

    private HeaderCapture() {
    }

    public static Fact.HeadersSeen of(String what, Channel connection, String startLine, HttpHeaders headers) {
        List<Fact.Header> list = new ArrayList<>(headers == null ? 0 : headers.size());
        if (headers != null) {
            for (Map.Entry<String, String> h : headers) {
                list.add(new Fact.Header(h.getKey(), h.getValue()));
            }
        }
        return new Fact.HeadersSeen(what, connection == null ? null : connectionOf(connection), startLine, list);
    }

    /** "local -> remote" of a channel. */
    public static String connectionOf(Channel ch) {
        return address(ch.localAddress()) + " -> " + address(ch.remoteAddress());
    }

    public static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? TcpServerNode.hostPort(i) : String.valueOf(a);
    }
}
