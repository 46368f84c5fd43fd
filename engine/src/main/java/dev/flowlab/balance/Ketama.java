package dev.flowlab.balance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        List<long[]> points = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (Peer p : peers) {
            String server = p.name();
            int colon = server.lastIndexOf(':');
            String host = colon >= 0 ? server.substring(0, colon) : server;
            String port = colon >= 0 ? server.substring(colon + 1) : "";
            byte[] base = (host + "\0" + port).getBytes(StandardCharsets.UTF_8);
            long prev = 0;
            int n = p.weight() * POINTS_PER_WEIGHT;
            for (int j = 0; j < n; j++) {
                CRC32 crc = new CRC32();
                crc.update(base);
                crc.update(new byte[] {(byte) prev, (byte) (prev >>> 8), (byte) (prev >>> 16), (byte) (prev >>> 24)});
                long h = crc.getValue();
                points.add(new long[] {h, owners.size()});
                owners.add(server);
                prev = h;
            }
        }
        points.sort((a, b) -> Long.compare(a[0], b[0]));
        // nginx drops points whose hash repeats, keeping the first of each run.
        long[] hs = new long[points.size()];
        String[] ss = new String[points.size()];
        int count = 0;
        for (long[] pt : points) {
            if (count > 0 && hs[count - 1] == pt[0]) {
                continue;
            }
            hs[count] = pt[0];
            ss[count] = owners.get((int) pt[1]);
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
