package dev.flowlab.tier.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One answer as the server will send it, and its wire form. Netty's encoders write every name in
 * full; this writer compresses names (RFC 1035 4.1.4: owner names and the names inside NS and SOA
 * data, as nsd and BIND do), adds the EDNS OPT record, and truncates to the client's size the way
 * nsd 4.6 does: when the answer section does not fit, the reply keeps only its question (and OPT)
 * and sets TC, so the client asks again over TCP; an authority or additional RRset that does not
 * fit is left out without TC (RFC 2181 9).
 */
final class DnsReply {
    static final int TYPE_A = 1;
    static final int TYPE_NS = 2;
    static final int TYPE_SOA = 6;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_OPT = 41;
    static final int TYPE_IXFR = 251;
    static final int TYPE_AXFR = 252;
    static final int TYPE_ANY = 255;
    static final int CLASS_IN = 1;
    static final int CLASS_CH = 3;
    static final int CLASS_ANY = 255;

    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int NXDOMAIN = 3;
    static final int NOTIMP = 4;
    static final int REFUSED = 5;
    static final int NOTAUTH = 9;
    /** Extended rcode 16 (RFC 6891): the upper 8 bits travel in the OPT record. */
    static final int BADVERS = 16;

    /** Extended DNS errors (RFC 8914) that nsd 4.6 attaches: prohibited, not authoritative, not supported. */
    static final int EDE_PROHIBITED = 18;
    static final int EDE_NOT_AUTHORITATIVE = 20;
    static final int EDE_NOT_SUPPORTED = 21;
    private static final int OPTION_EDE = 15;

    private static final int HEADER_BYTES = 12;
    private static final int MAX_POINTER = 0x3FFF;

    /** A resource record; its data knows how to write itself (compressing the names in it). */
    record Rr(String owner, int type, int dnsClass, long ttl, RData data) {
    }

    sealed interface RData permits Address, Host, Soa, Txt {
        void write(ByteBuf out, Names names);
    }

    /** A or AAAA data. */
    record Address(byte[] bytes) implements RData {
        @Override
        public void write(ByteBuf out, Names names) {
            out.writeBytes(bytes);
        }
    }

    /** NS (or CNAME) data: one name, compressed. */
    record Host(String name) implements RData {
        @Override
        public void write(ByteBuf out, Names names) {
            names.write(name);
        }
    }

    record Soa(String mname, String rname, long serial, long refresh, long retry, long expire, long minimum)
            implements RData {
        @Override
        public void write(ByteBuf out, Names names) {
            names.write(mname);
            names.write(rname);
            out.writeInt((int) serial).writeInt((int) refresh).writeInt((int) retry).writeInt((int) expire)
                    .writeInt((int) minimum);
        }
    }

    /** TXT data of one string (at most 255 bytes). */
    record Txt(String text) implements RData {
        @Override
        public void write(ByteBuf out, Names names) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(255, b.length);
            out.writeByte(n).writeBytes(b, 0, n);
        }
    }

    /** The OPT record of the reply: the server's UDP size, DO echoed, extended errors. */
    record Edns(int udpSize, boolean dnssecOk, List<Integer> errors) {
    }

    final int id;
    int opcode;
    boolean authoritative;
    boolean recursionDesired;
    boolean truncated;
    /** The full rcode, 0..4095: the low 4 bits go in the header, the rest in the OPT record. */
    int rcode;
    String qname;
    int qtype;
    int qclass;
    final List<Rr> answer = new ArrayList<>();
    final List<Rr> authority = new ArrayList<>();
    final List<Rr> additional = new ArrayList<>();
    Edns edns;
    /** The rotation step of the site's A RRset this reply took (-1: it has none), and that set's size. */
    long rotationStep = -1;
    int rotationSize;
    /** The most bytes this reply may take: 512 over UDP without EDNS, the negotiated size with it, 65535 over TCP. */
    int limit = 512;

    DnsReply(int id, int opcode, boolean recursionDesired) {
        this.id = id;
        this.opcode = opcode;
        this.recursionDesired = recursionDesired;
    }

    DnsReply question(String name, int type, int dnsClass) {
        this.qname = name;
        this.qtype = type;
        this.qclass = dnsClass;
        return this;
    }

    DnsReply code(int code) {
        this.rcode = code;
        return this;
    }

    /** Adds an extended DNS error to the OPT record, if the reply carries one. */
    void extendedError(int infoCode) {
        if (edns != null) {
            edns.errors().add(infoCode);
        }
    }

    /** How many records each section holds once encoded (after truncation); set by {@link #encode}. */
    int[] counts = new int[4];

    /**
     * The wire form, at most {@code limit} bytes when the question and OPT record fit in it (they
     * always do for the sizes DNS allows); over TCP, after the two-byte length (RFC 1035 4.2.2).
     */
    ByteBuf encode(ByteBufAllocator alloc, int limit, boolean lengthPrefix) {
        ByteBuf out = alloc.buffer(Math.min(limit, 512) + (lengthPrefix ? 2 : 0));
        try {
            if (lengthPrefix) {
                out.writeShort(0);
            }
            int start = out.writerIndex();
            out.writeZero(HEADER_BYTES);
            Names names = new Names(out, start);
            counts = new int[4];
            if (qname != null) {
                names.write(qname);
                out.writeShort(qtype).writeShort(qclass);
                counts[0] = 1;
            }
            int afterQuestion = out.writerIndex();
            int optBytes = edns == null ? 0 : 11 + edns.errors().size() * 6;
            int budget = start + limit - optBytes;
            if (!writeSection(out, names, answer, budget, 1)) {
                out.writerIndex(afterQuestion);
                names.forget(afterQuestion);
                counts[1] = 0;
                truncated = true;
            } else if (writeSection(out, names, authority, budget, 2)) {
                writeSection(out, names, additional, budget, 3);
            }
            if (edns != null) {
                out.writeByte(0).writeShort(TYPE_OPT).writeShort(edns.udpSize());
                out.writeInt(((rcode >> 4) & 0xFF) << 24 | (edns.dnssecOk() ? 0x8000 : 0));
                out.writeShort(edns.errors().size() * 6);
                for (int e : edns.errors()) {
                    out.writeShort(OPTION_EDE).writeShort(2).writeShort(e);
                }
                counts[3]++;
            }
            int flags = 0x8000 | (opcode & 0xF) << 11 | (authoritative ? 0x0400 : 0) | (truncated ? 0x0200 : 0)
                    | (recursionDesired ? 0x0100 : 0) | (rcode & 0xF);
            out.setShort(start, id).setShort(start + 2, flags).setShort(start + 4, counts[0])
                    .setShort(start + 6, counts[1]).setShort(start + 8, counts[2]).setShort(start + 10, counts[3]);
            if (lengthPrefix) {
                out.setShort(start - 2, out.writerIndex() - start);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Writes a section RRset by RRset; stops at the first RRset that does not fit in the budget
     * (leaving it out whole) and returns false then.
     */
    private boolean writeSection(ByteBuf out, Names names, List<Rr> records, int budget, int section) {
        int i = 0;
        while (i < records.size()) {
            int end = i + 1;
            while (end < records.size() && sameRrset(records.get(i), records.get(end))) {
                end++;
            }
            int mark = out.writerIndex();
            for (int k = i; k < end; k++) {
                writeRecord(out, names, records.get(k));
            }
            if (out.writerIndex() > budget) {
                out.writerIndex(mark);
                names.forget(mark);
                return false;
            }
            counts[section] += end - i;
            i = end;
        }
        return true;
    }

    private static boolean sameRrset(Rr a, Rr b) {
        return a.type() == b.type() && a.dnsClass() == b.dnsClass() && ZoneAnswers.canonical(a.owner())
                .equals(ZoneAnswers.canonical(b.owner()));
    }

    private static void writeRecord(ByteBuf out, Names names, Rr r) {
        names.write(r.owner());
        out.writeShort(r.type()).writeShort(r.dnsClass()).writeInt((int) Math.min(0xFFFF_FFFFL, r.ttl()));
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        r.data().write(out, names);
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /** The compression dictionary of one message: each name suffix written so far and its offset. */
    static final class Names {
        private final ByteBuf out;
        private final int start;
        private final Map<String, Integer> offsets = new HashMap<>();

        Names(ByteBuf out, int start) {
            this.out = out;
            this.start = start;
        }

        /** Writes a name, ending in a pointer to the longest suffix already in the message. */
        void write(String name) {
            String[] labels = labels(name);
            int total = 1;
            for (int i = 0; i < labels.length; i++) {
                String suffix = key(labels, i);
                Integer at = offsets.get(suffix);
                if (at != null) {
                    out.writeShort(0xC000 | at);
                    return;
                }
                int offset = out.writerIndex() - start;
                if (offset <= MAX_POINTER) {
                    offsets.put(suffix, offset);
                }
                byte[] b = labels[i].getBytes(StandardCharsets.UTF_8);
                total += b.length + 1;
                if (b.length == 0 || b.length > 63 || total > 255) {
                    throw new IllegalArgumentException("not a DNS name: " + name);
                }
                out.writeByte(b.length).writeBytes(b);
            }
            out.writeByte(0);
        }

        /** Drops the suffixes written at or after {@code index} (a record rolled back). */
        void forget(int index) {
            offsets.values().removeIf(o -> o >= index - start);
        }

        private static String[] labels(String name) {
            if (name.isEmpty() || name.equals(".")) {
                return new String[0];
            }
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            return n.split("\\.", -1);
        }

        private static String key(String[] labels, int from) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < labels.length; i++) {
                b.append(labels[i].toLowerCase(Locale.ROOT)).append('.');
            }
            return b.toString();
        }
    }
}
