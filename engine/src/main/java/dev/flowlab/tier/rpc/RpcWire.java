package dev.flowlab.tier.rpc;

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
    /** The largest frame accepted (header included): Tomcat's 2 MB maxPostSize plus room for the fields. */
    public static final int MAX_FRAME_BYTES = 2 * 1024 * 1024 + 64 * 1024;
    private static final int MAX_ENTRIES = 1024;

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
                if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
                    throw new RpcProtocolException("invalid method '" + method + "'");
                }
                String path = readShortString(frame, "path");
                if (!path.startsWith("/")) {
                    throw new RpcProtocolException("path must start with /: '" + path + "'");
                }
                Map<String, String> params = readMap(frame, "params");
                Map<String, String> attachments = readMap(frame, "attachments");
                byte[] body = readBody(frame);
                trailing(frame);
                return RpcFrame.request(requestId, traceId, method, path, params, attachments, body);
            }
            int status = need(frame, 2).readUnsignedShort();
            if (status < 100 || status > 599) {
                throw new RpcProtocolException("invalid status " + status);
            }
            Map<String, String> attachments = readMap(frame, "attachments");
            byte[] body = readBody(frame);
            trailing(frame);
            return RpcFrame.response(requestId, traceId, status, attachments, body);
        } catch (IndexOutOfBoundsException e) {
            throw new RpcProtocolException("truncated field: " + e.getMessage());
        }
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
