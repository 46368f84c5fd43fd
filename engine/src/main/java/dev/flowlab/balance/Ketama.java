package dev.flowlab.balance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * nginx's {@code hash ... consistent} continuum (ngx_http_upstream_hash_module): 160 points per
 * weight unit per server; point j of a server is {@code crc32(HOST "\0" PORT prev_hash)}, where
 * prev_hash is the previous point's value as four little-endian bytes (0 at first), compatible
 * with Cache::Memcached::Fast. A key maps to the first point at or after {@code crc32(key)}.
 */
final class Ketama {
    static final int POINTS_PER_WEIGHT = 160;

    private final long[] hashes;
    private final String[] servers;

    Ketama(List<Peer> peers) {
        // one long per point: the hash in the high 32 bits, the owner's index in the low ones, so that a sort orders
        // the points by hash and, for equal hashes, in the order nginx built them (its sort is stable)
        long total = 0;
        for (Peer p : peers) {
            total += (long) p.weight() * POINTS_PER_WEIGHT;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("hash ... consistent: " + total + " ring points are more than the lab builds");
        }
        long[] points = new long[(int) total];
        String[] owners = new String[peers.size()];
        int at = 0;
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            String server = p.name();
            owners[i] = server;
            int colon = server.lastIndexOf(':');
            String host = colon >= 0 ? server.substring(0, colon) : server;
            String port = colon >= 0 ? server.substring(colon + 1) : "";
            byte[] base = (host + "\0" + port).getBytes(StandardCharsets.UTF_8);
            byte[] prevBytes = new byte[4];
            CRC32 crc = new CRC32();
            long prev = 0;
            int n = p.weight() * POINTS_PER_WEIGHT;
            for (int j = 0; j < n; j++) {
                crc.reset();
                crc.update(base);
                prevBytes[0] = (byte) prev;
                prevBytes[1] = (byte) (prev >>> 8);
                prevBytes[2] = (byte) (prev >>> 16);
                prevBytes[3] = (byte) (prev >>> 24);
                crc.update(prevBytes);
                long h = crc.getValue();
                points[at++] = (h << 32 | i) ^ Long.MIN_VALUE; // sign bit flipped: a signed sort orders unsigned hashes
                prev = h;
            }
        }
        Arrays.sort(points);
        // nginx drops points whose hash repeats, keeping the first of each run.
        long[] hs = new long[points.length];
        String[] ss = new String[points.length];
        int count = 0;
        for (long flipped : points) {
            long pt = flipped ^ Long.MIN_VALUE;
            long h = pt >>> 32;
            if (count > 0 && hs[count - 1] == h) {
                continue;
            }
            hs[count] = h;
            ss[count] = owners[(int) (pt & 0xffffffffL)];
            count++;
        }
        this.hashes = Arrays.copyOf(hs, count);
        this.servers = Arrays.copyOf(ss, count);
    }

    int size() {
        return hashes.length;
    }

    /** The first point whose hash is at least the key's (may equal size(): wraps by modulo). */
    long findPoint(long keyHash) {
        int lo = 0;
        int hi = hashes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keyHash > hashes[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    String serverAt(long index) {
        return servers[(int) (index % servers.length)];
    }

    static long crc32(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
