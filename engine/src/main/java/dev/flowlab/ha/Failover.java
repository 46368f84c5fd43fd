package dev.flowlab.ha;

/**
 * One move of an HA group's VIP from one master to another. {@code lostNanos} is when the old
 * master went away (killed, stopped, its track_script failed; for a preemption, when the new
 * master took over), {@code detectedNanos} when the new master entered MASTER, {@code vipBoundNanos}
 * when it held the VIP again. Times are {@link System#nanoTime()}.
 */
public record Failover(String group, String from, String to, String cause, long lostNanos, long detectedNanos,
                       long vipBoundNanos) {
    public double detectionMs() {
        return (detectedNanos - lostNanos) / 1e6;
    }

    public double takeoverMs() {
        return (vipBoundNanos - lostNanos) / 1e6;
    }
}
