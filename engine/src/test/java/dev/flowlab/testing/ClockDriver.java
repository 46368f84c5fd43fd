package dev.flowlab.testing;

import dev.flowlab.runtime.LabClock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Drives a manual {@link LabClock} the way a test wants time to pass: one step at a time, each
 * only once the lab has settled (its answers arrived, its nodes reached a state), so that what a
 * test asserts about times and counts follows the clock, not how fast the machine is. A settle
 * condition that does not come within 10 s (real) fails the test; so does a task that needs more
 * than {@code limit} of the clock's time.
 */
public final class ClockDriver {
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(10);

    private final LabClock.Manual clock;
    private final Duration step;
    private final BooleanSupplier settled;

    private final Object describe;

    public ClockDriver(LabClock.Manual clock, Duration step, BooleanSupplier settled) {
        this(clock, step, settled, "");
    }

    /** With {@code describe}'s toString() in the failure messages (a {@link LabWatch}, say). */
    public ClockDriver(LabClock.Manual clock, Duration step, BooleanSupplier settled, Object describe) {
        this.clock = clock;
        this.step = step;
        this.settled = settled;
        this.describe = describe;
    }

    public LabClock.Manual clock() {
        return clock;
    }

    /** Advances step by step, settling before each, until {@code done} holds; at most {@code limit} of clock time. */
    public void until(BooleanSupplier done, Duration limit) {
        long end = clock.nanos() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (clock.nanos() - end >= 0) {
                throw new AssertionError("not done after " + limit + " of the lab's clock: " + describe);
            }
            settle(done);
            if (!done.getAsBoolean()) {
                clock.advance(step);
            }
        }
    }

    /** Advances by {@code by} in steps, settling before each. */
    public void advance(Duration by) {
        long end = clock.nanos() + by.toNanos();
        while (end - clock.nanos() > 0) {
            settle(() -> false);
            clock.advance(Duration.ofNanos(Math.min(step.toNanos(), end - clock.nanos())));
        }
        settle(() -> false);
    }

    /**
     * Runs {@code task} on its own thread and drives the clock until it returns, at most {@code limit}
     * of clock time; then waits for it (at most 30 s, real) without moving the clock: what the task
     * does once its clock-driven part is over (closing a lab, say) takes real time, not the clock's.
     */
    public <T> T run(Callable<T> task, Duration limit) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "clock-driven-task");
        t.setDaemon(true);
        t.start();
        long end = clock.nanos() + limit.toNanos();
        while (!result.isDone() && end - clock.nanos() > 0) {
            settle(result::isDone);
            if (!result.isDone()) {
                clock.advance(step);
            }
        }
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void settle(BooleanSupplier orDone) {
        long deadline = System.nanoTime() + SETTLE_WITHIN.toNanos();
        while (!settled.getAsBoolean() && !orDone.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("the lab did not settle within " + SETTLE_WITHIN + " at "
                        + clock.elapsed().toMillis() + " ms of its clock: " + describe);
            }
            LockSupport.parkNanos(50_000);
        }
    }
}
