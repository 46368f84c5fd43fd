package dev.flowlab.ha;

/**
 * One move of an HA group's VIP from one master to another. {@code lostNanos} is when the old
 * master went away (killed, stopped, its track_script failed, its keepalived process killed; for a
 * preemption, when the new master took over), {@code detectedNanos} when the new master entered
 * MASTER, {@code vipBoundNanos} when it held the VIP again, {@code releasedNanos} when the old master
 * let the VIP go (for a kill, the kill; for a preemption, when the old master heard the new one: its
 * clients' connections break then; for a killed keepalived process, when the VIP it left on its
 * host was finally removed; 0 while that has not happened yet). {@code waitStartNanos} is when the
 * new master began the wait that ended in MASTER: the last advert it accepted, or its keepalived's
 * start for a member that started (or restarted) and preempted; for the address owner, which does
 * not wait, its start. Times are the lab's {@link dev.flowlab.runtime.LabClock}.
 */
public record Failover(String group, String from, String to, String cause, long lostNanos, long detectedNanos,
                       long vipBoundNanos, long releasedNanos, long waitStartNanos) {

    /** When the move was over for the clients: the VIP bound at the new master and released by the old one. */
    public long settledNanos() {
        return Math.max(vipBoundNanos, releasedNanos);
    }

    Failover released(long nanos) {
        return new Failover(group, from, to, cause, lostNanos, detectedNanos, vipBoundNanos, nanos, waitStartNanos);
    }

    public double detectionMs() {
        return (detectedNanos - lostNanos) / 1e6;
    }

    public double takeoverMs() {
        return (vipBoundNanos - lostNanos) / 1e6;
    }

    /** How long the new master waited as BACKUP before it entered MASTER (its master_down_interval, or skew after a priority 0 advert). */
    public double waitMs() {
        return (detectedNanos - waitStartNanos) / 1e6;
    }

    /** A higher priority member took the VIP from a running master (rather than replacing a lost one). */
    public boolean preemption() {
        return cause.startsWith("preempted by ");
    }
}
