package dev.flowlab.net.rpc;

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
 *
 * <p>It travels as the text of a {@code trace_frame} event ({@link #toText()}, {@link #parse}),
 * one field per line, values escaped so a line break in a value cannot end the field:
 *
 * <pre>
 * request sent
 * conn 127.0.30.1:40112 -> 127.0.40.1:8080
 * frame REQUEST 1 412
 * requestId 17
 * traceId trace-0f3a
 * method GET
 * path /api/item/3
 * param id=3
 * attachment host=www.taobao.lab
 * body 0
 * head f10b0101000001940000000000000011...
 * </pre>
 */
public record RpcFrameCapture(String what, String connection, RpcFrame.Type type, int version, long requestId,
                              String traceId, String method, String path, Map<String, String> params, int status,
                              Map<String, String> attachments, int omittedEntries, int bodyBytes, int frameBytes,
                              String headHex) {
    /** The bytes of a frame kept for its hex dump: the fixed header, the ids, the call and the first metadata. */
    public static final int MAX_HEAD_BYTES = 256;
    public static final int MAX_ENTRIES = 32;
    public static final int MAX_VALUE_CHARS = 200;
    private static final String CONN_PREFIX = "conn ";

    public RpcFrameCapture {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        attachments = attachments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
        headHex = headHex == null ? "" : headHex;
    }

    /**
     * The capture of a frame and its encoded bytes ({@code length} bytes of {@code wire} from
     * {@code from}, the fixed header included). Reads the buffer without moving its indexes.
     */
    public static RpcFrameCapture of(String what, String connection, RpcFrame f, ByteBuf wire, int from, int length) {
        int kept = Math.min(length, MAX_HEAD_BYTES);
        byte[] head = new byte[kept];
        wire.getBytes(from, head);
        int[] omitted = {0};
        Map<String, String> params = bounded(f.params(), omitted);
        Map<String, String> attachments = bounded(f.attachments(), omitted);
        return new RpcFrameCapture(what, connection, f.type(), kept > 2 ? head[2] & 0xFF : RpcWire.VERSION,
                f.requestId(), cut(f.traceId()), f.isRequest() ? f.method() : null, f.isRequest() ? cut(f.path()) : null,
                params, f.status(), attachments, omitted[0], f.body().length, length, HexFormat.of().formatHex(head));
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
        return type == RpcFrame.Type.REQUEST;
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

    /** The event text this capture travels as. */
    public String toText() {
        StringBuilder s = new StringBuilder(256 + headHex.length());
        s.append(escape(what)).append('\n');
        s.append(CONN_PREFIX).append(connection == null ? "?" : escape(connection)).append('\n');
        s.append("frame ").append(type).append(' ').append(version).append(' ').append(frameBytes).append('\n');
        s.append("requestId ").append(requestId).append('\n');
        s.append("traceId ").append(escape(traceId)).append('\n');
        if (isRequest()) {
            s.append("method ").append(escape(method)).append('\n');
            s.append("path ").append(escape(path)).append('\n');
            params.forEach((k, v) -> s.append("param ").append(escapeKey(k)).append('=').append(escape(v)).append('\n'));
        } else {
            s.append("status ").append(status).append('\n');
        }
        attachments.forEach((k, v) -> s.append("attachment ").append(escapeKey(k)).append('=').append(escape(v)).append('\n'));
        if (omittedEntries > 0) {
            s.append("omitted ").append(omittedEntries).append('\n');
        }
        s.append("body ").append(bodyBytes).append('\n');
        s.append("head ").append(headHex);
        return s.toString();
    }

    /** Reads {@link #toText()}'s form back; fields it does not know are skipped. */
    public static RpcFrameCapture parse(String text) {
        String[] lines = text == null ? new String[]{"?"} : text.split("\n", -1);
        String what = unescape(lines[0]);
        String connection = null;
        RpcFrame.Type type = RpcFrame.Type.REQUEST;
        int version = RpcWire.VERSION;
        int frameBytes = 0;
        long requestId = 0;
        String traceId = "";
        String method = null;
        String path = null;
        int status = 0;
        int omitted = 0;
        int body = 0;
        String head = "";
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> attachments = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1);
            try {
                switch (key) {
                    case "conn" -> connection = "?".equals(value) ? null : unescape(value);
                    case "frame" -> {
                        String[] f = value.split(" ");
                        type = "RESPONSE".equals(f[0]) ? RpcFrame.Type.RESPONSE : RpcFrame.Type.REQUEST;
                        version = Integer.parseInt(f[1]);
                        frameBytes = Integer.parseInt(f[2]);
                    }
                    case "requestId" -> requestId = Long.parseLong(value);
                    case "traceId" -> traceId = unescape(value);
                    case "method" -> method = unescape(value);
                    case "path" -> path = unescape(value);
                    case "param" -> putEntry(params, value);
                    case "attachment" -> putEntry(attachments, value);
                    case "status" -> status = Integer.parseInt(value);
                    case "omitted" -> omitted = Integer.parseInt(value);
                    case "body" -> body = Integer.parseInt(value);
                    case "head" -> head = value;
                    default -> {
                    }
                }
            } catch (RuntimeException e) {
                // a damaged field: keep the rest of the capture
            }
        }
        return new RpcFrameCapture(what, connection, type, version, requestId, traceId, method, path, params, status,
                attachments, omitted, body, frameBytes, head);
    }

    private static void putEntry(Map<String, String> m, String entry) {
        int eq = entry.indexOf('=');
        if (eq >= 0) {
            m.put(unescape(entry.substring(0, eq)), unescape(entry.substring(eq + 1)));
        }
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String escapeKey(String s) {
        return escape(s).replace("=", "%3D");
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                String code = s.substring(i + 1, i + 3);
                switch (code) {
                    case "25" -> out.append('%');
                    case "0A" -> out.append('\n');
                    case "0D" -> out.append('\r');
                    case "3D" -> out.append('=');
                    default -> {
                        out.append(c);
                        continue;
                    }
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
