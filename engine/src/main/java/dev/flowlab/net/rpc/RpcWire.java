package dev.flowlab.net.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lab RPC protocol's byte layout, big-endian, one frame per message:
 *
 * <pre>
 *  0  magic      u16  0xF10B (never the first bytes of an HTTP request: a port can speak both)
 *  2  version    u8   1
 *  3  type       u8   1 request, 2 response
 *  4  length     u32  bytes after this field
 *  8  requestId  u64
 * 16  traceId    u16 length + UTF-8
 *     request:   method u8 length + ASCII, path u16 length + UTF-8, params u16 count + (key, value)*
 *     response:  status u16
 *     attachments u16 count + (key u16 length + UTF-8, value u16 length + UTF-8)*
 *     body       u32 length + bytes (JSON for the shop API)
 * </pre>
 *
 * Strict: every length must fit the frame exactly; anything else is a {@link RpcProtocolException}.
 */
public final class RpcWire {
    public static final int MAGIC = 0xF10B;
    public static final byte MAGIC_FIRST_BYTE = (byte) 0xF1;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    public static final int LENGTH_FIELD_OFFSET = 4;
    /**
     * The largest frame accepted (header included): what a gateway sends, its 1 MB body limit plus
     * room for the fields (its HTTP codec bounds the headers to 8 KB). Was Tomcat's 2 MB
     * maxPostSize, which let a peer make a Tomcat hold 2 MB per connection for nothing.
     */
    public static final int MAX_FRAME_BYTES = 1024 * 1024 + 64 * 1024;
    /** The most params or attachments one frame carries (a gateway answers 431 to a request with more headers). */
    public static final int MAX_ENTRIES = 1024;
    /** The longest string field (u16 length). */
    public static final int MAX_STRING_BYTES = 0xFFFF;
    private static final int MAX_METHOD_BYTES = 255;

    private RpcWire() {
    }

    /** Writes one whole frame. */
    public static void encode(RpcFrame f, ByteBuf out) {
        int start = out.writerIndex();
        out.writeShort(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(f.type().code);
        out.writeInt(0);
        out.writeLong(f.requestId());
        writeShortString(out, f.traceId());
        if (f.isRequest()) {
            byte[] m = f.method().getBytes(StandardCharsets.US_ASCII);
            if (m.length > 255) {
                throw new IllegalArgumentException("method longer than 255 bytes");
            }
            out.writeByte(m.length);
            out.writeBytes(m);
            writeShortString(out, f.path());
            writeMap(out, f.params());
        } else {
            out.writeShort(f.status());
        }
        writeMap(out, f.attachments());
        out.writeInt(f.body().length);
        out.writeBytes(f.body());
        out.setInt(start + LENGTH_FIELD_OFFSET, out.writerIndex() - start - HEADER_BYTES);
    }

    /** The frame's size on the wire. */
    public static int encodedLength(RpcFrame f) {
        int n = HEADER_BYTES + 8 + 2 + utf8(f.traceId());
        if (f.isRequest()) {
            n += 1 + f.method().length() + 2 + utf8(f.path()) + mapLength(f.params());
        } else {
            n += 2;
        }
        return n + mapLength(f.attachments()) + 4 + f.body().length;
    }

    /** Checks the fixed header's first bytes as soon as they arrive, before waiting for the rest. */
    public static void checkPrefix(ByteBuf in) {
        int at = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 2 && in.getUnsignedShort(at) != MAGIC) {
            throw new RpcProtocolException("bad magic 0x" + ByteBufUtil.hexDump(in, at, 2) + " (expected 0xf10b)");
        }
        if (readable >= 3 && in.getUnsignedByte(at + 2) != VERSION) {
            throw new RpcProtocolException("unsupported version " + in.getUnsignedByte(at + 2) + " (this side speaks " + VERSION + ")");
        }
        if (readable >= 4 && RpcFrame.Type.of(in.getUnsignedByte(at + 3)) == null) {
            throw new RpcProtocolException("unknown frame type " + in.getUnsignedByte(at + 3));
        }
        if (readable >= HEADER_BYTES) {
            long length = in.getUnsignedInt(at + LENGTH_FIELD_OFFSET);
            if (length + HEADER_BYTES > MAX_FRAME_BYTES) {
                throw new RpcProtocolException("frame length " + length + " exceeds the limit of " + MAX_FRAME_BYTES + " bytes");
            }
        }
    }

    /** Parses one whole frame (header included); the buffer's reader index moves past it. */
    public static RpcFrame decode(ByteBuf frame) {
        checkPrefix(frame);
        if (frame.readableBytes() < HEADER_BYTES) {
            throw new RpcProtocolException("frame shorter than its header");
        }
        frame.skipBytes(3);
        RpcFrame.Type type = RpcFrame.Type.of(frame.readUnsignedByte());
        long length = frame.readUnsignedInt();
        if (length != frame.readableBytes()) {
            throw new RpcProtocolException("length field says " + length + " bytes, the frame holds " + frame.readableBytes());
        }
        try {
            long requestId = need(frame, 8).readLong();
            String traceId = readShortString(frame, "traceId");
            if (type == RpcFrame.Type.REQUEST) {
                int mlen = need(frame, 1).readUnsignedByte();
                String method = need(frame, mlen).readCharSequence(mlen, StandardCharsets.US_ASCII).toString();
                if (!isToken(method)) {
                    throw new RpcProtocolException("invalid method '" + method + "' (not an HTTP token)");
                }
                String path = readShortString(frame, "path");
                if (!path.startsWith("/")) {
                    throw new RpcProtocolException("path must start with /: '" + printable(path) + "'");
                }
                if (!isPath(path)) {
                    throw new RpcProtocolException("path has a space or a control character: '" + printable(path) + "'");
                }
                Map<String, String> params = readMap(frame, "params");
                Map<String, String> attachments = readAttachments(frame);
                byte[] body = readBody(frame);
                trailing(frame);
                return RpcFrame.request(requestId, traceId, method, path, params, attachments, body);
            }
            int status = need(frame, 2).readUnsignedShort();
            if (status < 100 || status > 599) {
                throw new RpcProtocolException("invalid status " + status);
            }
            Map<String, String> attachments = readAttachments(frame);
            byte[] body = readBody(frame);
            trailing(frame);
            return RpcFrame.response(requestId, traceId, status, attachments, body);
        } catch (IndexOutOfBoundsException e) {
            throw new RpcProtocolException("truncated field: " + e.getMessage());
        }
    }

    /**
     * Why this frame cannot be sent, or null when it can: the same rules {@link #decode} applies
     * (an HTTP-token method of at most 255 bytes, a path starting with /, at most
     * {@value #MAX_ENTRIES} params and attachments, attachment names that are HTTP tokens and
     * values that are HTTP field values, string fields of at most 65535 bytes, the whole frame
     * within {@link #MAX_FRAME_BYTES}). A sender checks first, so what it sends the peer accepts:
     * a frame refused here is the caller's input, never the peer's failure.
     */
    public static Unencodable check(RpcFrame f) {
        if (f.isRequest()) {
            if (!isToken(f.method())) {
                return new Unencodable(400, "method '" + printable(f.method()) + "' is not an HTTP token");
            }
            if (f.method().length() > MAX_METHOD_BYTES) {
                return new Unencodable(400, "method longer than " + MAX_METHOD_BYTES + " bytes");
            }
            if (!f.path().startsWith("/") || !isPath(f.path())) {
                return new Unencodable(400, "path does not start with / or has a space or a control character");
            }
            if (utf8(f.path()) > MAX_STRING_BYTES) {
                return new Unencodable(414, "path longer than " + MAX_STRING_BYTES + " bytes");
            }
            Unencodable p = checkMap(f.params(), "query parameters", 414, false);
            if (p != null) {
                return p;
            }
        }
        if (utf8(f.traceId()) > MAX_STRING_BYTES) {
            return new Unencodable(431, "trace id longer than " + MAX_STRING_BYTES + " bytes");
        }
        Unencodable a = checkMap(f.attachments(), "header fields", 431, true);
        if (a != null) {
            return a;
        }
        long length = encodedLength(f);
        if (length > MAX_FRAME_BYTES) {
            return new Unencodable(413, "the call would be " + length + " bytes framed, more than the limit of " + MAX_FRAME_BYTES);
        }
        return null;
    }

    private static Unencodable checkMap(Map<String, String> m, String what, int status, boolean httpFields) {
        if (m.size() > MAX_ENTRIES) {
            return new Unencodable(status, m.size() + " " + what + ", more than " + MAX_ENTRIES);
        }
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (utf8(e.getKey()) > MAX_STRING_BYTES || utf8(e.getValue()) > MAX_STRING_BYTES) {
                return new Unencodable(status, "one of the " + what + " is longer than " + MAX_STRING_BYTES + " bytes");
            }
            if (httpFields && !isToken(e.getKey())) {
                return new Unencodable(400, "header name '" + printable(e.getKey()) + "' is not an HTTP token");
            }
            if (httpFields && !isFieldValue(e.getValue())) {
                return new Unencodable(400, "header " + printable(e.getKey()) + " has a control character in its value");
            }
        }
        return null;
    }

    /** Why a frame cannot be sent, with the HTTP status its sender answers the client. */
    public record Unencodable(int httpStatus, String reason) {
    }

    /** RFC 9110 token: 1*tchar. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A request-target's path: no space, no control character. */
    private static boolean isPath(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field-value: no CR, LF, NUL or other control character but HTAB. */
    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 40));
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }

    private static Map<String, String> readAttachments(ByteBuf b) {
        Map<String, String> m = readMap(b, "attachments");
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (!isToken(e.getKey())) {
                throw new RpcProtocolException("attachment name '" + printable(e.getKey()) + "' is not an HTTP token");
            }
            if (!isFieldValue(e.getValue())) {
                throw new RpcProtocolException("attachment " + printable(e.getKey()) + " has a control character in its value");
            }
        }
        return m;
    }

    private static void trailing(ByteBuf frame) {
        if (frame.isReadable()) {
            throw new RpcProtocolException(frame.readableBytes() + " unexpected bytes after the body");
        }
    }

    private static ByteBuf need(ByteBuf b, int n) {
        if (b.readableBytes() < n) {
            throw new RpcProtocolException("a field needs " + n + " bytes, " + b.readableBytes() + " left in the frame");
        }
        return b;
    }

    private static byte[] readBody(ByteBuf frame) {
        long n = need(frame, 4).readUnsignedInt();
        if (n > frame.readableBytes()) {
            throw new RpcProtocolException("body length " + n + " exceeds the " + frame.readableBytes() + " bytes left");
        }
        byte[] body = new byte[(int) n];
        frame.readBytes(body);
        return body;
    }

    private static String readShortString(ByteBuf b, String what) {
        int n = need(b, 2).readUnsignedShort();
        if (n > b.readableBytes()) {
            throw new RpcProtocolException(what + " length " + n + " exceeds the " + b.readableBytes() + " bytes left");
        }
        return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }

    private static Map<String, String> readMap(ByteBuf b, String what) {
        int count = need(b, 2).readUnsignedShort();
        if (count > MAX_ENTRIES) {
            throw new RpcProtocolException(what + ": " + count + " entries, more than " + MAX_ENTRIES);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String k = readShortString(b, what + " key");
            m.put(k, readShortString(b, what + " value"));
        }
        return m;
    }

    private static void writeShortString(ByteBuf out, String s) {
        int at = out.writerIndex();
        out.writeShort(0);
        int n = out.writeCharSequence(s, StandardCharsets.UTF_8);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("string field longer than 65535 bytes");
        }
        out.setShort(at, n);
    }

    private static void writeMap(ByteBuf out, Map<String, String> m) {
        if (m.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
        }
        out.writeShort(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            writeShortString(out, e.getKey());
            writeShortString(out, e.getValue());
        }
    }

    private static int mapLength(Map<String, String> m) {
        int n = 2;
        for (Map.Entry<String, String> e : m.entrySet()) {
            n += 4 + utf8(e.getKey()) + utf8(e.getValue());
        }
        return n;
    }

    private static int utf8(String s) {
        return ByteBufUtil.utf8Bytes(s);
    }
}
