package dev.flowlab.ha;

/**
 * A VRRP instance's state as keepalived names them; {@link #STOPPED} is the lab's word for "no
 * keepalived running" (the node was killed or stopped), which keepalived itself cannot report.
 */
public enum VrrpState {
    INIT, BACKUP, MASTER, FAULT, STOPPED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The same state as events carry it. */
    public dev.flowlab.event.Fact.HaRole role() {
        return dev.flowlab.event.Fact.HaRole.valueOf(name());
    }
}
