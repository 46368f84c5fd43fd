package dev.flowlab.testing;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Deprecated: write {@code await("what").atMost(timeout).until(...)} (Awaitility) instead. Kept
 * only as a thin wrapper over Awaitility so tests written against it meanwhile still compile.
 */
@Deprecated(forRemoval = true)
public final class Eventually {
    private Eventually() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).until(condition::getAsBoolean);
    }

    /** Waits until the supplier's value passes the test; returns that value. */
    public static <T> T await(String what, Duration timeout, Supplier<T> value, Predicate<T> test) {
        return Awaitility.await(what).atMost(timeout).until(value::get, test);
    }
}
