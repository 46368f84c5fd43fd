package dev.flowlab.balance;

/**
 * One server of a {@link PeerGroup}, with nginx's per-peer state (ngx_http_upstream_rr_peer_t):
 * {@code current_weight}, {@code effective_weight}, {@code conns}, {@code fails}, {@code accessed}
 * and {@code checked}. The state is guarded by the group's lock; read it through the group.
 */
public final class Peer {
    private final String name;
    private final int index;
    private final int weight;
    private final int maxFails;
    private final long failTimeoutNanos;
    private final boolean backup;
    private final boolean down;
    private final int maxConns;

    int currentWeight;
    int effectiveWeight;
    int conns;
    int fails;
    long accessed;
    long checked;
    /** True while the peer counts as temporarily disabled (for SERVER_DOWN / SERVER_UP events only). */
    boolean reportedDown;

    Peer(PeerSpec spec, int index) {
        this.name = spec.name();
        this.index = index;
        this.weight = spec.weight();
        this.maxFails = spec.maxFails();
        this.failTimeoutNanos = spec.failTimeoutNanos();
        this.backup = spec.backup();
        this.down = spec.down();
        this.maxConns = spec.maxConns();
        this.effectiveWeight = weight;
    }

    /** The server's name: what nginx's {@code server} line says (a lab node id or host:port). */
    public String name() {
        return name;
    }

    /** Position in its list (primaries or backups), as in nginx's tried bitmap. */
    public int index() {
        return index;
    }

    public int weight() {
        return weight;
    }

    public int maxFails() {
        return maxFails;
    }

    public long failTimeoutNanos() {
        return failTimeoutNanos;
    }

    public boolean backup() {
        return backup;
    }

    public boolean down() {
        return down;
    }

    public int maxConns() {
        return maxConns;
    }

    /** nginx's test in every balancer: too many recent failures within fail_timeout. */
    boolean failedRecently(long now) {
        return maxFails > 0 && fails >= maxFails && now - checked <= failTimeoutNanos;
    }

    boolean atMaxConns() {
        return maxConns > 0 && conns >= maxConns;
    }

    /** Usable for a new request: not down, not failed within fail_timeout, under max_conns. */
    boolean usable(long now) {
        return !down && !failedRecently(now) && !atMaxConns();
    }

    /** Called on the peer just chosen: nginx restarts the fail_timeout window from here. */
    void chosen(long now) {
        conns++;
        if (now - checked > failTimeoutNanos) {
            checked = now;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
