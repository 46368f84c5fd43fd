package dev.flowlab.balance;

import java.time.Duration;

/**
 * An nginx {@code server} line's parameters: {@code weight}, {@code max_fails}, {@code fail_timeout},
 * {@code backup}, {@code down}, {@code max_conns}. Defaults as nginx: 1, 1, 10s, no, no, 0.
 */
public record PeerSpec(String name, int weight, int maxFails, long failTimeoutNanos, boolean backup, boolean down,
                       int maxConns) {

    public static final long DEFAULT_FAIL_TIMEOUT_NANOS = Duration.ofSeconds(10).toNanos();

    public PeerSpec {
        if (weight < 1) {
            throw new IllegalArgumentException("server " + name + ": weight must be at least 1");
        }
        if (maxFails < 0 || maxConns < 0 || failTimeoutNanos < 0) {
            throw new IllegalArgumentException("server " + name + ": max_fails, max_conns and fail_timeout must not be negative");
        }
    }

    public static PeerSpec of(String name) {
        return new PeerSpec(name, 1, 1, DEFAULT_FAIL_TIMEOUT_NANOS, false, false, 0);
    }

    public static PeerSpec weighted(String name, int weight) {
        return new PeerSpec(name, weight, 1, DEFAULT_FAIL_TIMEOUT_NANOS, false, false, 0);
    }

    public PeerSpec withBackup(boolean value) {
        return new PeerSpec(name, weight, maxFails, failTimeoutNanos, value, down, maxConns);
    }

    public PeerSpec withDown(boolean value) {
        return new PeerSpec(name, weight, maxFails, failTimeoutNanos, backup, value, maxConns);
    }

    public PeerSpec withMaxFails(int value, Duration failTimeout) {
        return new PeerSpec(name, weight, value, failTimeout.toNanos(), backup, down, maxConns);
    }

    public PeerSpec withMaxConns(int value) {
        return new PeerSpec(name, weight, maxFails, failTimeoutNanos, backup, down, value);
    }
}
