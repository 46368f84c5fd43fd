package dev.flowlab.tier.lvs.sched;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One IPVS destination as the schedulers see it: its weight (0..65535; 0 quiesces it: no new
 * connections, existing ones stay), its connection counts, and IPVS's upper/lower connection
 * thresholds. The counts are kept by the connection table: {@code active} are ESTABLISHED
 * entries, {@code inactive} every other state, exactly what ipvsadm -L shows as ActiveConn and
 * InActConn.
 */
public final class RealServer {
    public static final int MAX_WEIGHT = 65_535;

    private final String id;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger inactive = new AtomicInteger();
    private volatile int weight;
    private volatile int upperThreshold;
    private volatile int lowerThreshold;
    private volatile boolean overloaded;
    private volatile boolean inPool = true;

    public RealServer(String id, int weight) {
        this(id, weight, 0, 0);
    }

    public RealServer(String id, int weight, int upperThreshold, int lowerThreshold) {
        this.id = id;
        weight(weight);
        this.upperThreshold = upperThreshold;
        this.lowerThreshold = lowerThreshold;
    }

    public String id() {
        return id;
    }

    public int weight() {
        return weight;
    }

    public void weight(int value) {
        if (value < 0 || value > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + value + " of " + id + " is out of range 0.." + MAX_WEIGHT);
        }
        weight = value;
    }

    public int active() {
        return active.get();
    }

    public int inactive() {
        return inactive.get();
    }

    /** IPVS's load figure for lc and wlc: an active connection costs 256 times an inactive one. */
    public int overhead() {
        return active.get() * 256 + inactive.get();
    }

    /** False while a health check has taken it out of the pool (keepalived removes the destination). */
    public boolean inPool() {
        return inPool;
    }

    public void inPool(boolean value) {
        inPool = value;
    }

    /**
     * IPVS's overload flag: set once active+inactive reaches the upper threshold, cleared only when
     * it falls below the lower one (three quarters of the upper when unset), so a server at its
     * limit does not flap in and out of scheduling with every connection.
     */
    public boolean overloaded() {
        int u = upperThreshold;
        if (u == 0) {
            return false;
        }
        int total = active.get() + inactive.get();
        if (overloaded) {
            int l = lowerThreshold > 0 ? lowerThreshold : (u * 3) / 4;
            if (total < l) {
                overloaded = false;
            }
        } else if (total >= u) {
            overloaded = true;
        }
        return overloaded;
    }

    /** What every IPVS scheduler checks first: not quiesced, not over its threshold, still in the pool. */
    public boolean available() {
        return inPool && weight > 0 && !overloaded();
    }

    public void upperThreshold(int value) {
        upperThreshold = value;
    }

    public int upperThreshold() {
        return upperThreshold;
    }

    public void connectionEstablished() {
        active.incrementAndGet();
    }

    /** An ESTABLISHED entry moved to a closing state (FIN_WAIT, TIME_WAIT, CLOSE...). */
    public void connectionDeactivated() {
        active.decrementAndGet();
        inactive.incrementAndGet();
    }

    public void activeEntryExpired() {
        active.decrementAndGet();
    }

    public void inactiveEntryExpired() {
        inactive.decrementAndGet();
    }

    @Override
    public String toString() {
        return id + "(w=" + weight + ", active=" + active + ", inactive=" + inactive + ")";
    }
}
