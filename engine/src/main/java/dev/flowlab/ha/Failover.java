package dev.flowlab.ha;

/**
 * One move of an HA group's VIP from one master to another. {@code lostNanos} is when the old
 * master went away (killed, stopped, its track_script failed; for a preemption, when the new
 * master took over), {@code detectedNanos} when the new master entered MASTER, {@code vipBoundNanos}
 * when it held the VIP again, {@code releasedNanos} when the old master let the VIP go (for a kill,
 * the kill; for a preemption, when the old master heard the new one: its clients' connections break
 * then; 0 while that has not happened yet). Times are {@link System#nanoTime()}.
 */
public record Failover(String group, String from, String to, String cause, long lostNanos, long detectedNanos,
                       long vipBoundNanos, long releasedNanos) {

    /** When the move was over for the clients: the VIP bound at the new master and released by the old one. */
    public long settledNanos() {
        return Math.max(vipBoundNanos, releasedNanos);
    }

    Failover released(long nanos) {
        return new Failover(group, from, to, cause, lostNanos, detectedNanos, vipBoundNanos, nanos);
    }

    public double detectionMs() {
        return (detectedNanos - lostNanos) / 1e6;
    }

    public double takeoverMs() {
        return (vipBoundNanos - lostNanos) / 1e6;
    }
}
