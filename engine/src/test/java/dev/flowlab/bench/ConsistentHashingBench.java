package dev.flowlab.bench;

import dev.flowlab.tier.lvs.sched.MaglevTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Maglev paper's comparison (Eisenbud et al., NSDI 2016, section 5.3), reproduced on the
 * lab's {@link MaglevTable}: a lookup table of M entries filled by Maglev hashing, by Karger's
 * consistent hashing (a ketama ring, 160 points per backend as nginx and libketama place them)
 * and by rendezvous hashing (highest random weight), where entry j goes to the backend the method
 * picks for key j, as the paper fills its tables. For N backends and M entries it reports
 * <ul>
 *   <li>load balance: the most entries any backend got over the mean (1.0 is perfect);</li>
 *   <li>disruption: the share of entries that change backend when one backend is removed
 *       (averaged over 5 removals; 1/N is the least possible: the removed backend's own);</li>
 *   <li>build time of a Maglev table, and lookups per second on one core.</li>
 * </ul>
 * Timing claims live here, not in tests: it runs only under the bench profile ({@code -Pbench}, which sets -Dbench=true):
 * <pre>./mvnw -B -Pbench -pl engine test -Dtest=ConsistentHashingBench</pre>
 */
class ConsistentHashingBench {
    private static final int[] SIZES = {4093, 65537};
    private static final int[] BACKENDS = {10, 100, 1000};
    private static final int REMOVALS = 5;

    interface Method {
        String name();

        int[] fill(List<String> backends, int m);
    }

    static final Method MAGLEV = new Method() {
        public String name() {
            return "maglev";
        }

        public int[] fill(List<String> backends, int m) {
            MaglevTable t = new MaglevTable(backends, m);
            int[] out = new int[m];
            for (int j = 0; j < m; j++) {
                out[j] = t.backendAt(j);
            }
            return out;
        }
    };

    static final Method KARGER = new Method() {
        public String name() {
            return "karger (ketama, 160 points)";
        }

        public int[] fill(List<String> backends, int m) {
            Ring ring = new Ring(backends, 160);
            int[] out = new int[m];
            for (int j = 0; j < m; j++) {
                out[j] = ring.lookup(keyHash(j) & 0xffffffffL);
            }
            return out;
        }
    };

    static final Method RENDEZVOUS = new Method() {
        public String name() {
            return "rendezvous";
        }

        public int[] fill(List<String> backends, int m) {
            long[] seeds = backends.stream().mapToLong(b -> MaglevTable.hash64(b.getBytes(StandardCharsets.UTF_8), 7)).toArray();
            int[] out = new int[m];
            for (int j = 0; j < m; j++) {
                long k = keyHash(j);
                int best = 0;
                long bestScore = Long.MIN_VALUE;
                for (int b = 0; b < seeds.length; b++) {
                    long score = MaglevTable.mix(k ^ seeds[b]);
                    if (Long.compareUnsigned(score, bestScore) > 0 || b == 0) {
                        bestScore = score;
                        best = b;
                    }
                }
                out[j] = best;
            }
            return out;
        }
    };

    static long keyHash(int j) {
        return MaglevTable.mix(0x9E3779B97F4A7C15L * (j + 1));
    }

    /** A ketama continuum: {@code points} points per backend, crc32 of "name-i", binary search. */
    static final class Ring {
        final long[] hashes;
        final int[] owners;

        Ring(List<String> backends, int points) {
            long[][] all = new long[backends.size() * points][];
            int k = 0;
            for (int b = 0; b < backends.size(); b++) {
                for (int i = 0; i < points; i++) {
                    CRC32 crc = new CRC32();
                    crc.update((backends.get(b) + "-" + i).getBytes(StandardCharsets.UTF_8));
                    all[k++] = new long[] {crc.getValue(), b};
                }
            }
            Arrays.sort(all, (x, y) -> Long.compare(x[0], y[0]));
            hashes = new long[all.length];
            owners = new int[all.length];
            for (int i = 0; i < all.length; i++) {
                hashes[i] = all[i][0];
                owners[i] = (int) all[i][1];
            }
        }

        int lookup(long h) {
            int i = Arrays.binarySearch(hashes, h);
            if (i < 0) {
                i = -i - 1;
            }
            return owners[i == hashes.length ? 0 : i];
        }
    }

    static List<String> backends(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("backend-" + i);
        }
        return out;
    }

    /** max/mean entries per backend. */
    static double balance(int[] table, int n) {
        int[] counts = new int[n];
        for (int b : table) {
            counts[b]++;
        }
        int max = Arrays.stream(counts).max().orElse(0);
        return max / ((double) table.length / n);
    }

    /** Share of entries naming another backend after removing backend {@code removed} (names compared). */
    static double disruption(Method method, List<String> backends, int m, int removed) {
        int[] before = method.fill(backends, m);
        List<String> less = new ArrayList<>(backends);
        less.remove(removed);
        int[] after = method.fill(less, m);
        int changed = 0;
        for (int j = 0; j < m; j++) {
            if (!backends.get(before[j]).equals(less.get(after[j]))) {
                changed++;
            }
        }
        return (double) changed / m;
    }

    static double meanDisruption(Method method, List<String> backends, int m) {
        double sum = 0;
        for (int r = 0; r < REMOVALS; r++) {
            sum += disruption(method, backends, m, (r * 7919) % backends.size());
        }
        return sum / REMOVALS;
    }

    @Test
    void paperComparison() {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark: run with -Pbench (the profile sets -Dbench=true)");
        StringBuilder out = new StringBuilder();
        out.append("| M | N | method | max/mean entries | disruption (1 removed) | 1/N |\n|---|---|---|---|---|---|\n");
        for (int m : SIZES) {
            for (int n : BACKENDS) {
                List<String> bs = backends(n);
                for (Method method : List.of(MAGLEV, KARGER, RENDEZVOUS)) {
                    double bal = balance(method.fill(bs, m), n);
                    double dis = meanDisruption(method, bs, m);
                    out.append(String.format(Locale.ROOT, "| %d | %d | %s | %.3f | %.2f%% | %.2f%% |%n", m, n, method.name(), bal,
                            100 * dis, 100.0 / n));
                }
            }
        }
        out.append("\n| M | N | Maglev table build (median of 7) | lookups/s, one core: maglev | ketama ring | rendezvous |\n"
                + "|---|---|---|---|---|---|\n");
        for (int m : SIZES) {
            for (int n : BACKENDS) {
                List<String> bs = backends(n);
                long[] builds = new long[7];
                MaglevTable t = null;
                for (int i = 0; i < builds.length; i++) {
                    long t0 = System.nanoTime();
                    t = new MaglevTable(bs, m);
                    builds[i] = System.nanoTime() - t0;
                }
                Arrays.sort(builds);
                Ring ring = new Ring(bs, 160);
                out.append(String.format(Locale.ROOT, "| %d | %d | %.2f ms | %s | %s | %s |%n", m, n, builds[3] / 1e6,
                        rate(maglevLookups(t)), rate(ringLookups(ring)), rate(rendezvousLookups(bs))));
            }
        }
        System.out.println(out);
    }

    /** The paper's own settings for its Figures 12 and 13: N = 1,000 backends, M = 65,537 ("small") and 655,373 ("large"). */
    private static final int PAPER_BACKENDS = 1000;
    private static final int[] PAPER_SIZES = {65537, 655373};
    private static final double[] REMOVED_SHARES = {0.01, 0.02, 0.05, 0.10, 0.20};

    /** min/mean entries per backend (the least loaded backend; 1.0 is perfect). */
    static double minBalance(int[] table, int n) {
        int[] counts = new int[n];
        for (int b : table) {
            counts[b]++;
        }
        int min = Arrays.stream(counts).min().orElse(0);
        return min / ((double) table.length / n);
    }

    /** Share of entries whose backend changes when {@code k} backends are removed at once (every (n/k)-th one). */
    static double concurrentDisruption(Method method, List<String> backends, int m, int k) {
        int[] before = method.fill(backends, m);
        List<String> less = new ArrayList<>();
        int step = backends.size() / k;
        for (int i = 0; i < backends.size(); i++) {
            if (i % step != 0 || i / step >= k) {
                less.add(backends.get(i));
            }
        }
        int[] after = method.fill(less, m);
        int changed = 0;
        for (int j = 0; j < m; j++) {
            if (!backends.get(before[j]).equals(less.get(after[j]))) {
                changed++;
            }
        }
        return (double) changed / m;
    }

    /**
     * The paper's Figure 12 (load balance of Maglev, Karger and rendezvous hashing at N = 1,000 for
     * both table sizes: the most and the least loaded backend against the mean) and Figure 13 (the
     * share of table entries that change when a share of the backends is removed at once), in the
     * paper's settings. Deterministic: no timing, only the tables.
     */
    @Test
    void paperFigures() {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmark: run with -Pbench (the profile sets -Dbench=true)");
        List<String> bs = backends(PAPER_BACKENDS);
        StringBuilder out = new StringBuilder("Figure 12 (N = 1000)\n| M | method | max/mean | min/mean |\n|---|---|---|---|\n");
        for (int m : PAPER_SIZES) {
            for (Method method : List.of(MAGLEV, KARGER, RENDEZVOUS)) {
                int[] table = method.fill(bs, m);
                out.append(String.format(Locale.ROOT, "| %d | %s | %.3f | %.3f |%n", m, method.name(), balance(table, PAPER_BACKENDS),
                        minBalance(table, PAPER_BACKENDS)));
            }
        }
        out.append("\nFigure 13 (N = 1000; entries changed when a share of the backends is removed at once)\n| M | method |");
        for (double share : REMOVED_SHARES) {
            out.append(String.format(Locale.ROOT, " %.0f%% removed |", 100 * share));
        }
        out.append("\n|---|---|").append("---|".repeat(REMOVED_SHARES.length)).append('\n');
        for (int m : PAPER_SIZES) {
            for (Method method : List.of(MAGLEV, KARGER, RENDEZVOUS)) {
                out.append("| ").append(m).append(" | ").append(method.name()).append(" |");
                for (double share : REMOVED_SHARES) {
                    out.append(String.format(Locale.ROOT, " %.2f%% |",
                            100 * concurrentDisruption(method, bs, m, (int) Math.round(share * PAPER_BACKENDS))));
                }
                out.append('\n');
            }
        }
        System.out.println(out);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
    }

    private static volatile long sink;

    private static double maglevLookups(MaglevTable t) {
        return timed(20_000_000, i -> t.lookup(MaglevTable.mix(i)));
    }

    private static double ringLookups(Ring r) {
        return timed(5_000_000, i -> r.lookup(MaglevTable.mix(i) & 0xffffffffL));
    }

    private static double rendezvousLookups(List<String> bs) {
        long[] seeds = bs.stream().mapToLong(b -> MaglevTable.hash64(b.getBytes(StandardCharsets.UTF_8), 7)).toArray();
        return timed(Math.max(20_000, 20_000_000 / bs.size()), i -> {
            long k = MaglevTable.mix(i);
            int best = 0;
            long bestScore = 0;
            for (int b = 0; b < seeds.length; b++) {
                long s = MaglevTable.mix(k ^ seeds[b]);
                if (Long.compareUnsigned(s, bestScore) > 0) {
                    bestScore = s;
                    best = b;
                }
            }
            return best;
        });
    }

    /** Lookups per second over {@code n} lookups, after a warm-up of the same size; the best of 3 rounds. */
    private static double timed(int n, java.util.function.LongToIntFunction lookup) {
        double best = 0;
        for (int round = 0; round < 4; round++) {
            long acc = 0;
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                acc += lookup.applyAsInt(i);
            }
            long dt = System.nanoTime() - t0;
            sink += acc;
            if (round > 0) {
                best = Math.max(best, n / (dt / 1e9));
            }
        }
        return best;
    }
}
