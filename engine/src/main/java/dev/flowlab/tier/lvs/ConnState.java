package dev.flowlab.tier.lvs;

/**
 * IPVS's TCP connection states as ipvsadm -Lc shows them, with the kernel's default timeouts
 * (ESTABLISHED and FIN_WAIT are the two ipvsadm --set can change). The lab sees a connection
 * from the moment it is accepted, so SYN_RECV is never observed. NONE is a persistence template.
 */
public enum ConnState {
    ESTABLISHED(900), SYN_RECV(60), FIN_WAIT(120), TIME_WAIT(120), CLOSE(10), CLOSE_WAIT(60), NONE(300);

    private final long defaultTimeoutSeconds;

    ConnState(long defaultTimeoutSeconds) {
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    public long defaultTimeoutSeconds() {
        return defaultTimeoutSeconds;
    }

    /** IPVS counts ESTABLISHED entries as a server's active connections and every other state as inactive. */
    public boolean isActive() {
        return this == ESTABLISHED;
    }
}
