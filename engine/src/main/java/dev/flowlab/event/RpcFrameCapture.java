package dev.flowlab.event;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One RPC frame as it crossed the wire at one hop of a traced request: what happened to it
 * ("request sent", "response received"...), the connection, its fields decoded, and the first
 * {@link #MAX_HEAD_BYTES} bytes exactly as they were written or read. Bounded: at most
 * {@link #MAX_ENTRIES} params and attachments, values cut at {@link #MAX_VALUE_CHARS}.
 * It travels typed, in a {@code trace_frame} event's {@link Fact.FrameSeen}.
 */
public record RpcFrameCapture(String what, String connection, Type type, int version, long requestId,
                              String traceId, String method, String path, Map<String, String> params, int status,
                              Map<String, String> attachments, int omittedEntries, int bodyBytes, int frameBytes,
                              String headHex) {
    /** The bytes of a frame kept for its hex dump: the fixed header, the ids, the call and the first metadata. */
    public static final int MAX_HEAD_BYTES = 256;
    public static final int MAX_ENTRIES = 32;
    public static final int MAX_VALUE_CHARS = 200;

    /** A request or a response frame. */
    public enum Type { REQUEST, RESPONSE }

    public RpcFrameCapture {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        attachments = attachments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
        headHex = headHex == null ? "" : headHex;
        traceId = traceId == null ? "" : traceId;
    }

    /**
     * The capture of a frame's fields and its encoded bytes ({@code length} bytes of {@code wire}
     * from {@code from}, the fixed header included; the version is read from them, else
     * {@code version}). Reads the buffer without moving its indexes; bounds the entries and values.
     */
    public static RpcFrameCapture of(String what, String connection, boolean request, int version, long requestId,
                                     String traceId, String method, String path, Map<String, String> params, int status,
                                     Map<String, String> attachments, int bodyBytes, ByteBuf wire, int from, int length) {
        int kept = Math.min(length, MAX_HEAD_BYTES);
        byte[] head = new byte[kept];
        wire.getBytes(from, head);
        int[] omitted = {0};
        Map<String, String> p = bounded(params, omitted);
        Map<String, String> a = bounded(attachments, omitted);
        return new RpcFrameCapture(what, connection, request ? Type.REQUEST : Type.RESPONSE, kept > 2 ? head[2] & 0xFF : version,
                requestId, cut(traceId), request ? method : null, request ? cut(path) : null,
                p, status, a, omitted[0], bodyBytes, length, HexFormat.of().formatHex(head));
    }

    private static Map<String, String> bounded(Map<String, String> m, int[] omitted) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (out.size() == MAX_ENTRIES) {
                omitted[0] += m.size() - MAX_ENTRIES;
                break;
            }
            out.put(cut(e.getKey()), cut(e.getValue()));
        }
        return out;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }

    public boolean isRequest() {
        return type == Type.REQUEST;
    }

    /** The kept bytes. */
    public byte[] head() {
        return HexFormat.of().parseHex(headHex);
    }

    /** Whether the frame is longer than the bytes kept. */
    public boolean truncated() {
        return headHex.length() / 2 < frameBytes;
    }

    /** The kept bytes as a classic dump: offset, sixteen bytes in hex, the printable ones as text. */
    public String hexDump() {
        byte[] b = head();
        StringBuilder s = new StringBuilder(b.length * 5);
        for (int row = 0; row < b.length; row += 16) {
            s.append(String.format(Locale.ROOT, "%04x  ", row));
            StringBuilder text = new StringBuilder(16);
            for (int i = row; i < row + 16; i++) {
                if (i < b.length) {
                    s.append(String.format(Locale.ROOT, "%02x ", b[i] & 0xFF));
                    int c = b[i] & 0xFF;
                    text.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
                } else {
                    s.append("   ");
                }
                if (i == row + 7) {
                    s.append(' ');
                }
            }
            s.append(" |").append(text).append("|\n");
        }
        if (truncated()) {
            s.append(String.format(Locale.ROOT, "... %d more bytes%n", frameBytes - b.length));
        }
        return s.toString();
    }

    /** One line for the event log: what happened to the frame, on which connection, its fields. */
    public String describe() {
        StringBuilder s = new StringBuilder(128);
        s.append(what).append(" on ").append(connection == null ? "?" : connection).append(": RPC v").append(version)
                .append(' ').append(type).append(" #").append(requestId);
        if (!traceId.isEmpty()) {
            s.append(" trace=").append(traceId);
        }
        if (isRequest()) {
            s.append(' ').append(method).append(' ').append(path);
            if (!params.isEmpty()) {
                s.append(" params").append(params);
            }
        } else {
            s.append(" status=").append(status);
        }
        if (!attachments.isEmpty()) {
            s.append(" attachments").append(attachments);
        }
        if (omittedEntries > 0) {
            s.append(" (").append(omittedEntries).append(" entries omitted)");
        }
        s.append(" body=").append(bodyBytes).append(" B (").append(frameBytes).append(" B framed)");
        return s.toString();
    }
}
