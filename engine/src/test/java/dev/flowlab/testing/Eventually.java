package dev.flowlab.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline (never a fixed sleep): polls every few milliseconds and
 * fails with the description and the last value seen when the deadline passes.
 */
public final class Eventually {
    private Eventually() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            pause();
        }
    }

    /** Waits until the supplier's value passes the test; returns that value. */
    public static <T> T await(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> test) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!test.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what + " (last value: " + last + ")");
            }
            pause();
            last = value.get();
        }
        return last;
    }

    private static void pause() {
        try {
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
