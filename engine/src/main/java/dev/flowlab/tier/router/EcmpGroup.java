package dev.flowlab.tier.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A router's equal-cost next hops for one destination and how a flow's hash picks one of those
 * that are up. Three ways, as routers do it:
 * <ul>
 *   <li>hash-threshold (RFC 2992; Linux's multipath routes): the hash space is cut into N equal
 *       ranges, one per next hop. When one goes away the ranges are cut again: its flows move,
 *       and so do some flows of the others (about a quarter to a half, depending on N).</li>
 *   <li>modulo: hash mod N. Losing one of N moves about (N-1)/N of all flows.</li>
 *   <li>resilient (Linux nexthop groups of type resilient, "resilient ECMP" on switches): a
 *       table of buckets, each owned by a next hop; losing one hands only its buckets to the
 *       others, and a next hop coming back takes buckets from the fullest.</li>
 * </ul>
 * Holds no state about flows: the same hash and the same set of live next hops give the same
 * answer. Rebuilt under a lock when a next hop goes down or up; picks read an immutable view.
 */
public final class EcmpGroup {
    public enum Mode {
        HASH_THRESHOLD, MODULO, RESILIENT;

        public static Mode of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private final Mode mode;
    private final List<String> hops;
    private final boolean[] up;
    /** resilient: the owner (index into hops) of each bucket, -1 when no next hop is up. */
    private final int[] buckets;
    private volatile View view;

    private record View(String[] live, String[] bucketOwners) {
    }

    public EcmpGroup(Mode mode, List<String> hops, int bucketCount) {
        this.mode = mode;
        this.hops = List.copyOf(hops);
        this.up = new boolean[hops.size()];
        this.buckets = new int[mode == Mode.RESILIENT ? bucketCount : 0];
        java.util.Arrays.fill(buckets, -1);
        rebuild();
    }

    public Mode mode() {
        return mode;
    }

    public List<String> hops() {
        return hops;
    }

    /** The next hop for a flow's hash among those up, or null when none is. */
    public String pick(long hash) {
        View v = view;
        if (mode == Mode.RESILIENT) {
            return v.bucketOwners.length == 0 ? null : v.bucketOwners[(int) Long.remainderUnsigned(hash, v.bucketOwners.length)];
        }
        int n = v.live.length;
        if (n == 0) {
            return null;
        }
        if (mode == Mode.MODULO) {
            return v.live[(int) Long.remainderUnsigned(hash, n)];
        }
        // hash-threshold: the upper 32 bits of the hash, scaled into n equal ranges
        long h32 = hash >>> 32;
        return v.live[(int) ((h32 * n) >>> 32)];
    }

    /** Marks a next hop up or down (its BFD session); returns whether that changed anything. */
    public synchronized boolean set(String hop, boolean isUp) {
        int i = hops.indexOf(hop);
        if (i < 0 || up[i] == isUp) {
            return false;
        }
        up[i] = isUp;
        if (mode == Mode.RESILIENT) {
            if (isUp) {
                claimBuckets(i);
            } else {
                releaseBuckets(i);
            }
        }
        rebuild();
        return true;
    }

    public synchronized boolean isUp(String hop) {
        int i = hops.indexOf(hop);
        return i >= 0 && up[i];
    }

    /** The next hops up now, in link order. */
    public List<String> live() {
        return List.of(view.live);
    }

    private void releaseBuckets(int gone) {
        int[] load = loads();
        for (int b = 0; b < buckets.length; b++) {
            if (buckets[b] == gone) {
                int to = leastLoaded(load);
                buckets[b] = to;
                if (to >= 0) {
                    load[to]++;
                }
            }
        }
    }

    private void claimBuckets(int back) {
        int[] load = loads();
        int liveCount = 0;
        for (boolean u : up) {
            liveCount += u ? 1 : 0;
        }
        int share = buckets.length / liveCount;
        for (int b = 0; b < buckets.length && load[back] < share; b++) {
            int owner = buckets[b];
            if (owner < 0 || (owner != back && load[owner] > share)) {
                if (owner >= 0) {
                    load[owner]--;
                }
                buckets[b] = back;
                load[back]++;
            }
        }
    }

    private int[] loads() {
        int[] load = new int[hops.size()];
        for (int owner : buckets) {
            if (owner >= 0 && up[owner]) {
                load[owner]++;
            }
        }
        return load;
    }

    private int leastLoaded(int[] load) {
        int best = -1;
        for (int i = 0; i < up.length; i++) {
            if (up[i] && (best < 0 || load[i] < load[best])) {
                best = i;
            }
        }
        return best;
    }

    private void rebuild() {
        List<String> live = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            if (up[i]) {
                live.add(hops.get(i));
            }
        }
        String[] owners = new String[0];
        if (mode == Mode.RESILIENT && !live.isEmpty()) {
            owners = new String[buckets.length];
            for (int b = 0; b < buckets.length; b++) {
                owners[b] = buckets[b] < 0 ? null : hops.get(buckets[b]);
            }
        }
        view = new View(live.toArray(String[]::new), owners);
    }
}
