package dev.flowlab.tier.lvs.sched;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016), as IPVS's mh scheduler and Envoy build it:
 * a prime number M of slots; each backend has a preference order over the slots, offset =
 * h1(name) mod M and skip = h2(name) mod (M-1) + 1, and the backends take turns claiming their
 * next preferred empty slot until the table is full. With equal weights every backend ends up
 * with floor(M/N) or ceil(M/N) slots; removing one backend moves little more than its own 1/N
 * of the table, so most flows keep their backend. Weights give a backend that many turns per
 * round (divided by the weights' gcd, as IPVS does).
 *
 * <p>Immutable once built; lookups are lock-free.
 */
public final class MaglevTable {
    /** IPVS mh's default table size (CONFIG_IP_VS_MH_TAB_INDEX 12). */
    public static final int IPVS_DEFAULT_SIZE = 4093;
    /** Envoy's default table size. */
    public static final int ENVOY_DEFAULT_SIZE = 65537;

    private final List<String> backends;
    private final int[] slots;

    /** Equal weights. */
    public MaglevTable(List<String> backends, int size) {
        this(backends, null, size);
    }

    /** {@code weights} null means 1 each; a weight of 0 leaves the backend out of the table. */
    public MaglevTable(List<String> backends, int[] weights, int size) {
        if (!isPrime(size)) {
            throw new IllegalArgumentException("Maglev table size " + size + " is not prime");
        }
        if (weights != null && weights.length != backends.size()) {
            throw new IllegalArgumentException("one weight per backend expected");
        }
        this.backends = List.copyOf(backends);
        this.slots = populate(this.backends, weights, size);
    }

    public int size() {
        return slots.length;
    }

    public List<String> backends() {
        return backends;
    }

    /** The backend index owning a slot, or -1 when the table is empty (no backend with weight). */
    public int backendAt(int slot) {
        return slots[slot];
    }

    /** The backend index for a flow's hash: table[hash mod M]; -1 when empty. */
    public int lookup(long flowHash) {
        return slots[(int) Long.remainderUnsigned(flowHash, slots.length)];
    }

    /** A digest of the table (every slot's backend name): equal on every balancer that built the same table. */
    public long fingerprint() {
        long h = 0x84222325cbf29ce4L;
        for (int b : slots) {
            h = mix(h ^ (b < 0 ? 0 : backends.get(b).hashCode()) ^ ((long) b << 32));
        }
        return h;
    }

    /** How many slots of two tables of the same size name a different backend (an empty slot counts as one). */
    public static int slotsChanged(MaglevTable a, MaglevTable b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("tables of different sizes");
        }
        int changed = 0;
        for (int i = 0; i < a.slots.length; i++) {
            String x = a.slots[i] < 0 ? null : a.backends.get(a.slots[i]);
            String y = b.slots[i] < 0 ? null : b.backends.get(b.slots[i]);
            if (!java.util.Objects.equals(x, y)) {
                changed++;
            }
        }
        return changed;
    }

    /** How many slots each backend owns, by backend index. */
    public int[] slotCounts() {
        int[] counts = new int[backends.size()];
        for (int b : slots) {
            if (b >= 0) {
                counts[b]++;
            }
        }
        return counts;
    }

    private static int[] populate(List<String> backends, int[] weights, int m) {
        int n = backends.size();
        int[] table = new int[m];
        Arrays.fill(table, -1);
        int[] turns = new int[n];
        int gcd = 0;
        for (int i = 0; i < n; i++) {
            int w = weights == null ? 1 : weights[i];
            if (w < 0) {
                throw new IllegalArgumentException("negative weight for " + backends.get(i));
            }
            turns[i] = w;
            gcd = w > 0 ? gcd(gcd, w) : gcd;
        }
        if (gcd == 0) {
            return table;
        }
        long[] next = new long[n];
        long[] skip = new long[n];
        for (int i = 0; i < n; i++) {
            turns[i] /= gcd;
            byte[] name = backends.get(i).getBytes(StandardCharsets.UTF_8);
            next[i] = Long.remainderUnsigned(hash64(name, 0x9E3779B97F4A7C15L), m);
            skip[i] = Long.remainderUnsigned(hash64(name, 0xC2B2AE3D27D4EB4FL), m - 1) + 1;
        }
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < turns[i]; t++) {
                    int c = (int) next[i];
                    while (table[c] >= 0) {
                        c = (int) ((c + skip[i]) % m);
                    }
                    table[c] = i;
                    next[i] = (c + skip[i]) % m;
                    if (++filled == m) {
                        return table;
                    }
                }
            }
        }
    }

    /** A seeded 64-bit hash (FNV-1a folded through murmur3's finalizer): well mixed, stable across runs. */
    public static long hash64(byte[] data, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** murmur3's fmix64. */
    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
