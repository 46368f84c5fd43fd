package dev.flowlab.tier.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DNS by hand, so that tests do not trust the codec under test: queries built byte by byte, sent
 * over UDP or TCP, and replies parsed into what a comparison needs (header flags, rcode with its
 * EDNS extension, section counts, each record's owner, type, class, TTL and data, the OPT record).
 */
final class RawDns {
    static final int A = 1, NS = 2, SOA = 6, TXT = 16, AAAA = 28, OPT = 41, IXFR = 251, AXFR = 252, ANY = 255;
    static final int IN = 1, CH = 3, HS = 4;

    private RawDns() {
    }

    /** A query: the header fields that matter, one question (or none), an optional OPT record, extra bytes after. */
    record Query(int id, int flags, int qdcount, String name, int type, int dnsClass, Integer ednsSize, long ednsTtl,
                 int opts, byte[] tail) {
        static Query of(String name, int type) {
            return new Query(0x1234, 0x0100, 1, name, type, IN, null, 0, 0, new byte[0]);
        }

        Query cls(int c) {
            return new Query(id, flags, qdcount, name, type, c, ednsSize, ednsTtl, opts, tail);
        }

        Query flags(int f) {
            return new Query(id, f, qdcount, name, type, dnsClass, ednsSize, ednsTtl, opts, tail);
        }

        Query qdcount(int n) {
            return new Query(id, flags, n, name, type, dnsClass, ednsSize, ednsTtl, opts, tail);
        }

        /** With an OPT record: UDP size, and the TTL field (extended rcode, version, DO). */
        Query edns(int size, long ttl) {
            return new Query(id, flags, qdcount, name, type, dnsClass, size, ttl, 1, tail);
        }

        Query opts(int n) {
            return new Query(id, flags, qdcount, name, type, dnsClass, ednsSize, ednsTtl, n, tail);
        }

        Query tail(byte[] t) {
            return new Query(id, flags, qdcount, name, type, dnsClass, ednsSize, ednsTtl, opts, t);
        }

        byte[] bytes() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            try {
                out.writeShort(id);
                out.writeShort(flags);
                out.writeShort(qdcount);
                out.writeShort(0);
                out.writeShort(0);
                out.writeShort(ednsSize == null ? 0 : opts);
                if (name != null) {
                    writeName(out, name);
                    out.writeShort(type);
                    out.writeShort(dnsClass);
                }
                if (ednsSize != null) {
                    for (int i = 0; i < opts; i++) {
                        out.writeByte(0);
                        out.writeShort(OPT);
                        out.writeShort(ednsSize);
                        out.writeInt((int) ednsTtl);
                        out.writeShort(0);
                    }
                }
                out.write(tail);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return b.toByteArray();
        }
    }

    /** A question's bytes alone (name, type, class IN). */
    static byte[] question(String name, int type) {
        byte[] q = Query.of(name, type).bytes();
        return java.util.Arrays.copyOfRange(q, 12, q.length);
    }

    static void writeName(DataOutputStream out, String name) throws IOException {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(l.length);
                out.write(l);
            }
        }
        out.writeByte(0);
    }

    /** One record of a reply; {@code data} is the RDATA with names expanded (lower case) for NS and SOA. */
    record Rr(String owner, int type, int dnsClass, long ttl, String data) {
        @Override
        public String toString() {
            return owner + " " + ttl + " " + (dnsClass == IN ? "IN" : dnsClass == CH ? "CH" : "CLASS" + dnsClass) + " "
                    + typeName(type) + " " + data;
        }
    }

    /** A parsed reply. {@code rcode} includes the OPT record's extension (BADVERS is 16). */
    record Reply(int length, int id, int flags, int rcode, int[] counts, List<List<Rr>> sections, Integer ednsSize,
                 Integer ednsVersion, Boolean dnssecOk, List<Integer> ede) {
        boolean aa() {
            return (flags & 0x0400) != 0;
        }

        boolean tc() {
            return (flags & 0x0200) != 0;
        }

        boolean rd() {
            return (flags & 0x0100) != 0;
        }

        boolean ra() {
            return (flags & 0x0080) != 0;
        }

        int opcode() {
            return (flags >> 11) & 0xF;
        }

        boolean opt() {
            return ednsSize != null;
        }

        List<Rr> answer() {
            return sections.get(1);
        }

        /** Everything the differential test compares, on one line. */
        String summary() {
            StringBuilder b = new StringBuilder();
            b.append(rcodeName(rcode)).append(" opcode=").append(opcode());
            b.append(" flags=").append(aa() ? "aa " : "").append(tc() ? "tc " : "").append(rd() ? "rd " : "")
                    .append(ra() ? "ra " : "");
            b.append("counts=").append(counts[0]).append('/').append(counts[1]).append('/').append(counts[2]).append('/')
                    .append(counts[3]);
            for (int s = 1; s <= 3; s++) {
                for (Rr r : sections.get(s)) {
                    b.append(" [").append(s == 1 ? "an " : s == 2 ? "ns " : "ar ").append(typeName(r.type())).append(' ')
                            .append(r.dnsClass() == IN ? "IN" : r.dnsClass() == CH ? "CH" : "C" + r.dnsClass()).append(" ttl=")
                            .append(r.ttl()).append(']');
                }
            }
            if (opt()) {
                b.append(" OPT(udp=").append(ednsSize).append(" v").append(ednsVersion).append(dnssecOk ? " do" : "")
                        .append(ede.isEmpty() ? "" : " ede=" + ede).append(')');
            }
            return b.toString();
        }
    }

    static String rcodeName(int rcode) {
        return DnsQueryHandler.rcodeName(rcode);
    }

    static String typeName(int type) {
        return switch (type) {
            case A -> "A";
            case NS -> "NS";
            case SOA -> "SOA";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case OPT -> "OPT";
            default -> "TYPE" + type;
        };
    }

    /** Sends over UDP and waits for the reply with the query's id; null when none comes within the timeout. */
    static Reply udp(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(timeoutMillis);
            s.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[65_535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                if (p.getLength() >= 2 && query.length >= 2 && buf[0] == query[0] && buf[1] == query[1]) {
                    return parse(java.util.Arrays.copyOf(buf, p.getLength()));
                }
            }
        }
    }

    /** Sends over TCP (length-prefixed) and reads one reply; null when the server closes without one. */
    static Reply tcp(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int n;
            try {
                n = in.readUnsignedShort();
            } catch (java.io.EOFException e) {
                return null;
            }
            byte[] reply = new byte[n];
            in.readFully(reply);
            return parse(reply);
        }
    }

    static Reply parse(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg);
        int id = b.getShort() & 0xFFFF;
        int flags = b.getShort() & 0xFFFF;
        int[] counts = {b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF};
        List<List<Rr>> sections = new ArrayList<>();
        List<Rr> question = new ArrayList<>();
        for (int i = 0; i < counts[0]; i++) {
            String name = readName(msg, b);
            question.add(new Rr(name, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, 0, ""));
        }
        sections.add(question);
        Integer ednsSize = null;
        Integer version = null;
        Boolean dnssecOk = null;
        List<Integer> ede = new ArrayList<>();
        int rcode = flags & 0xF;
        for (int s = 1; s <= 3; s++) {
            List<Rr> records = new ArrayList<>();
            for (int i = 0; i < counts[s]; i++) {
                String owner = readName(msg, b);
                int type = b.getShort() & 0xFFFF;
                int cls = b.getShort() & 0xFFFF;
                long ttl = b.getInt() & 0xFFFF_FFFFL;
                int len = b.getShort() & 0xFFFF;
                int end = b.position() + len;
                if (type == OPT) {
                    ednsSize = cls;
                    rcode |= (int) ((ttl >>> 24) & 0xFF) << 4;
                    version = (int) ((ttl >> 16) & 0xFF);
                    dnssecOk = (ttl & 0x8000) != 0;
                    while (b.position() + 4 <= end) {
                        int code = b.getShort() & 0xFFFF;
                        int olen = b.getShort() & 0xFFFF;
                        if (code == 15 && olen >= 2) {
                            ede.add(b.getShort(b.position()) & 0xFFFF);
                        }
                        b.position(b.position() + olen);
                    }
                    b.position(end);
                    continue;
                }
                String data = switch (type) {
                    case A -> (msg[b.position()] & 0xFF) + "." + (msg[b.position() + 1] & 0xFF) + "." + (msg[b.position() + 2] & 0xFF)
                            + "." + (msg[b.position() + 3] & 0xFF);
                    case NS -> readName(msg, b.duplicate());
                    case SOA -> {
                        ByteBuffer d = b.duplicate();
                        String m = readName(msg, d);
                        String r = readName(msg, d);
                        yield m + " " + r + " " + (d.getInt() & 0xFFFF_FFFFL) + " " + d.getInt() + " " + d.getInt() + " "
                                + d.getInt() + " " + d.getInt();
                    }
                    case TXT -> "\"" + new String(msg, b.position() + 1, msg[b.position()] & 0xFF, StandardCharsets.UTF_8) + "\"";
                    default -> len + " bytes";
                };
                b.position(end);
                records.add(new Rr(owner, type, cls, ttl, data));
            }
            sections.add(records);
        }
        return new Reply(msg.length, id, flags, rcode, counts, sections, ednsSize, version, dnssecOk, ede);
    }

    /** Reads a (possibly compressed) name at the buffer's position, leaving the position after it. */
    static String readName(byte[] msg, ByteBuffer b) {
        StringBuilder name = new StringBuilder();
        int pos = b.position();
        boolean jumped = false;
        int hops = 0;
        while (true) {
            int len = msg[pos] & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                int target = ((len & 0x3F) << 8) | (msg[pos + 1] & 0xFF);
                if (!jumped) {
                    b.position(pos + 2);
                }
                jumped = true;
                if (++hops > 64) {
                    throw new IllegalStateException("compression loop");
                }
                pos = target;
                continue;
            }
            if (len == 0) {
                if (!jumped) {
                    b.position(pos + 1);
                }
                break;
            }
            name.append(new String(msg, pos + 1, len, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)).append('.');
            pos += len + 1;
        }
        return name.length() == 0 ? "." : name.toString();
    }
}
