package dev.flowlab.tier.dns;

import dev.flowlab.runtime.NodeContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP answer path's cache, in front of the decoder (one per UDP channel, used on its event
 * loop only): a plain query (QR clear, opcode QUERY, one question whose name is letters, digits,
 * '-' and '_' in uncompressed labels, no answer or authority records, at most one additional) is
 * looked up by its bytes after the ID, with the name in lower case; a hit is answered with the
 * reply bytes the full path encoded for the same bytes, with only the ID and the question name's
 * case patched in (as nsd echoes the question as sent; every other name of the reply that ends in
 * it is a compression pointer to it, so it takes the same case, as it does on the full path).
 * Anything else, and every miss, goes down the pipeline to {@link TolerantDnsQueryDecoder} and
 * {@link DnsQueryHandler} as before, which hand this cache the reply they encoded
 * ({@link #offer}); a reply is kept only when its question is the query's name at offset 12.
 *
 * <p>What a reply depends on besides the query's bytes is the zone's state (the site's record set
 * after the health filter, this server's address: {@link ZoneAnswers#current}, {@link ZoneResponder#self}), checked on every
 * query (a change empties the cache), and the rotation of the site's A RRset: for rrset-order
 * cyclic a reply that carries it is kept once per rotation step (step modulo the set's size), and
 * a hit takes the step it answers with, so the order turns exactly as on the full path; replies
 * with order random are not kept. When anyone listens to the lab's events the cache stands aside
 * (every query takes the full path, which emits them).
 */
final class UdpAnswerCache extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(UdpAnswerCache.class);
    private static final int HEADER_BYTES = 12;
    /** Queries longer than this take the full path (an honest query is 30-60 bytes). */
    private static final int MAX_QUERY = 512;
    /** Past this many entries the cache starts again empty (a scan of random names cannot grow it without bound). */
    static final int MAX_ENTRIES = 1024;

    private final ZoneResponder responder;
    private final NodeContext context;
    private final Map<Key, Entry> entries = new HashMap<>();
    /** The zone's state the entries were made in. */
    private List<InetAddress> stateRecords;
    private InetSocketAddress stateSelf;
    /** The lookup key, reused query after query. */
    private final Key probe = new Key(new byte[MAX_QUERY], 0, 0);
    /** The query the full path is answering now (set around passing it down the pipeline). */
    private Pending pending;
    private boolean unflushed;
    /** The reply being assembled, reused. */
    private byte[] scratch = new byte[512];

    UdpAnswerCache(ZoneResponder responder, NodeContext context) {
        this.responder = responder;
        this.context = context;
    }

    /**
     * The bytes of a query after its ID, the question name in lower case; with the name's length on
     * the wire. The cache looks up with one reused probe (no allocation on a hit) and stores copies.
     */
    private static final class Key {
        byte[] bytes;
        int length;
        int nameLength;
        int hash;

        Key(byte[] bytes, int length, int nameLength) {
            set(bytes, length, nameLength);
        }

        void set(byte[] b, int len, int name) {
            this.bytes = b;
            this.length = len;
            this.nameLength = name;
            int h = 1;
            for (int i = 0; i < len; i++) {
                h = 31 * h + b[i];
            }
            this.hash = h;
        }

        Key copy() {
            return new Key(Arrays.copyOf(bytes, length), length, nameLength);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, 0, k.length, bytes, 0, length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The reply to one key: one encoding, or one per rotation step of the site's A RRset. */
    private static final class Entry {
        final int rcode;
        byte[] wire;
        final byte[][] steps;

        Entry(int rcode, byte[] wire, byte[][] steps) {
            this.rcode = rcode;
            this.wire = wire;
            this.steps = steps;
        }
    }

    private record Pending(Key key, List<InetAddress> records, InetSocketAddress self) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet) || context.emitting()) {
            ctx.fireChannelRead(msg);
            return;
        }
        Key key = probe;
        byte[] wire = null;
        int rcode = 0;
        List<InetAddress> records;
        InetSocketAddress self;
        try {
            if (!keyOf(packet.content(), probe)) {
                ctx.fireChannelRead(msg);
                return;
            }
            records = responder.zone().current();
            self = responder.self();
            if (!records.equals(stateRecords) || !Objects.equals(self, stateSelf)) {
                entries.clear();
                stateRecords = records;
                stateSelf = self;
            }
            Entry e = entries.get(key);
            if (e != null) {
                wire = take(e);
                rcode = e.rcode;
            }
        } catch (RuntimeException ex) {
            log.debug("{}: answer cache skipped a query: {}", context.id(), ex.toString());
            ctx.fireChannelRead(msg);
            return;
        }
        if (wire == null) {
            pending = new Pending(key.copy(), records, self);
            try {
                ctx.fireChannelRead(msg);
            } finally {
                pending = null;
            }
            return;
        }
        long start = System.nanoTime();
        context.metrics().requestStarted();
        ByteBuf in = packet.content();
        if (scratch.length < wire.length) {
            scratch = new byte[wire.length];
        }
        byte[] b = scratch;
        System.arraycopy(wire, 0, b, 0, wire.length);
        copy(in, in.readerIndex(), b, 0, 2); // the query's ID
        copy(in, in.readerIndex() + HEADER_BYTES, b, HEADER_BYTES, key.nameLength); // its name, in its case
        ByteBuf out = ctx.alloc().directBuffer(wire.length);
        if (out.hasMemoryAddress()) {
            // straight into the buffer's memory: ByteBuf.writeBytes(byte[]) makes a NIO view of the chunk per call
            PlatformDependent.copyMemory(b, 0, out.memoryAddress() + out.writerIndex(), wire.length);
            out.writerIndex(out.writerIndex() + wire.length);
        } else {
            out.writeBytes(b, 0, wire.length);
        }
        DatagramPacket reply = new DatagramPacket(out, packet.sender(), packet.recipient());
        packet.release();
        ctx.write(reply, ctx.voidPromise());
        unflushed = true;
        context.metrics().requestCompleted(rcode, System.nanoTime() - start);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** The cached bytes for this query, taking the rotation step they answer with; null: the full path answers. */
    private byte[] take(Entry e) {
        if (e.steps == null) {
            return e.wire;
        }
        ZoneAnswers zone = responder.zone();
        long step = zone.nextStep();
        byte[] w = e.steps[(int) Math.floorMod(step, (long) e.steps.length)];
        return w != null && zone.takeStep(step) ? w : null;
    }

    /**
     * The full path encoded {@code wire} (a UDP reply, no length prefix) for the query being
     * answered: keep it if it can be replayed.
     */
    void offer(DnsReply reply, ByteBuf wire) {
        Pending p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        try {
            int at = wire.readerIndex();
            int len = wire.readableBytes();
            if (len < HEADER_BYTES + p.key.nameLength + 4 || wire.getUnsignedShort(at + 4) != 1) {
                return;
            }
            byte[] q = p.key.bytes; // from offset 2 of the query
            for (int i = 0; i < p.key.nameLength; i++) {
                if (lower(wire.getByte(at + HEADER_BYTES + i)) != q[HEADER_BYTES - 2 + i]) {
                    return;
                }
            }
            List<InetAddress> records = responder.zone().current();
            InetSocketAddress self = responder.self();
            if (!records.equals(p.records) || !records.equals(stateRecords) || !Objects.equals(self, p.self)
                    || !Objects.equals(self, stateSelf)) {
                return;
            }
            byte[] bytes = new byte[len];
            wire.getBytes(at, bytes);
            if (entries.size() >= MAX_ENTRIES && !entries.containsKey(p.key)) {
                entries.clear();
            }
            if (reply.rotationStep < 0) {
                entries.put(p.key, new Entry(reply.rcode, bytes, null));
                return;
            }
            String order = responder.zone().order();
            if (order.equals("random") || reply.rotationSize <= 0) {
                return;
            }
            int size = order.equals("cyclic") ? reply.rotationSize : 1;
            Entry e = entries.get(p.key);
            if (e == null || e.steps == null || e.steps.length != size || e.rcode != reply.rcode) {
                e = new Entry(reply.rcode, null, new byte[size][]);
                entries.put(p.key, e);
            }
            e.steps[(int) Math.floorMod(reply.rotationStep, (long) size)] = bytes;
        } catch (RuntimeException ex) {
            log.debug("{}: answer not cached: {}", context.id(), ex.toString());
        }
    }

    /** Sets {@code key} to a plain query's key; false when the full path must look at the query. */
    private static boolean keyOf(ByteBuf b, Key key) {
        int start = b.readerIndex();
        int len = b.readableBytes();
        if (len < HEADER_BYTES + 5 || len > MAX_QUERY) {
            return false;
        }
        int flags = b.getUnsignedShort(start + 2);
        if ((flags & 0xF800) != 0 // QR set, or an opcode other than QUERY
                || b.getUnsignedShort(start + 4) != 1 || b.getUnsignedShort(start + 6) != 0
                || b.getUnsignedShort(start + 8) != 0 || b.getUnsignedShort(start + 10) > 1) {
            return false;
        }
        int pos = start + HEADER_BYTES;
        int end = start + len;
        int nameLength = 0;
        while (true) {
            if (pos >= end) {
                return false;
            }
            int l = b.getUnsignedByte(pos);
            if (l == 0) {
                nameLength += 1;
                break;
            }
            if (l > 63 || pos + 1 + l > end) {
                return false;
            }
            for (int i = pos + 1; i <= pos + l; i++) {
                if (!plain(b.getByte(i))) {
                    return false;
                }
            }
            nameLength += l + 1;
            if (nameLength > 254) {
                return false;
            }
            pos += l + 1;
        }
        if (pos + 1 + 4 > end) {
            return false;
        }
        byte[] bytes = key.bytes;
        copy(b, start + 2, bytes, 0, len - 2);
        for (int i = HEADER_BYTES - 2; i < HEADER_BYTES - 2 + nameLength; i++) {
            bytes[i] = lower(bytes[i]);
        }
        key.set(bytes, len - 2, nameLength);
        return true;
    }

    /** {@code in.getBytes(index, dst, at, length)}, from the memory itself where it can (no NIO view made per call). */
    private static void copy(ByteBuf in, int index, byte[] dst, int at, int length) {
        if (in.hasMemoryAddress()) {
            PlatformDependent.copyMemory(in.memoryAddress() + index, dst, at, length);
        } else {
            in.getBytes(index, dst, at, length);
        }
    }

    private static boolean plain(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** ASCII lower case; label length bytes (at most 63) are below 'A' and stay as they are. */
    private static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    /** Entries now (for tests). */
    int size() {
        return entries.size();
    }
}
