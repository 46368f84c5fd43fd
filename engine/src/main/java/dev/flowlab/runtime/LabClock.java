package dev.flowlab.runtime;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The lab's monotonic clock, with times relative to the lab's start for outputs, and the 1 ms
 * ticks of whatever polls it (the load client's schedule and timeouts, {@code lab run}'s script and
 * end). In the product it reads {@link System#nanoTime()} and ticks on the event loops' timers. A
 * test hands the lab a {@link Manual} clock ({@link LabOptions#withClock}) and drives it: time
 * stands still until the test advances it, and each advance runs every tick once before it
 * returns, so what depends on time (the schedule, timeouts, {@code lab run}'s windows, the gateway's
 * rate limiter and circuit breaker, event timestamps) no longer depends on how fast the machine is.
 * Socket-level timers (connect timeouts, keepalived adverts, idle timeouts) stay on real time.
 */
public class LabClock implements LongSupplier {
    /** How often a tick runs on real time. */
    public static final Duration TICK = Duration.ofMillis(1);

    private final LongSupplier source;
    private final long originNanos;

    /** The product's clock: {@link System#nanoTime()}, ticks every {@link #TICK} on the loop's timer. */
    public LabClock() {
        this(System::nanoTime);
    }

    /** Reads this source; ticks on real time. */
    public LabClock(LongSupplier nanoTime) {
        this.source = nanoTime;
        this.originNanos = nanoTime.getAsLong();
    }

    /** A clock that stands still until {@link Manual#advance} moves it. */
    public static Manual manual() {
        return new Manual();
    }

    /** Now, in the nanoTime sense (only differences mean anything). */
    public long nanos() {
        return source.getAsLong();
    }

    @Override
    public long getAsLong() {
        return nanos();
    }

    public long originNanos() {
        return originNanos;
    }

    /** Milliseconds from the lab's start to the given time of this clock. */
    public long millisSinceStart(long nanos) {
        return (nanos - originNanos) / 1_000_000L;
    }

    public long millisSinceStart() {
        return millisSinceStart(nanos());
    }

    /** Runs {@code task} on {@code loop} every {@link #TICK} until the returned tick is cancelled. */
    public Tick every(EventExecutor loop, Runnable task) {
        long period = TICK.toNanos();
        Future<?> f = loop.scheduleAtFixedRate(task, period, period, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code task} once on {@code loop} after {@code delay} of this clock, unless cancelled first. */
    public Tick after(EventExecutor loop, Duration delay, Runnable task) {
        Future<?> f = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** A running tick or a timer not yet run; cancel from any thread. */
    @FunctionalInterface
    public interface Tick {
        void cancel();
    }

    /**
     * A clock for tests: it reads what {@link #advance} set, and its ticks (and the timers that came
     * due) run only when it is advanced, once each, on their own loops, before {@code advance} returns.
     */
    public static final class Manual extends LabClock {
        private final AtomicLong now;
        private final List<Registered> ticks = new CopyOnWriteArrayList<>();
        private final List<io.netty.util.concurrent.EventExecutorGroup> loops = new CopyOnWriteArrayList<>();

        private Manual() {
            this(new AtomicLong(1_000_000_000L));
        }

        private Manual(AtomicLong now) {
            super(now::get);
            this.now = now;
        }

        /** The lab on this clock runs on these loops: each advance first lets them finish what they were given. */
        public void drives(io.netty.util.concurrent.EventExecutorGroup group) {
            loops.add(group);
        }

        /**
         * Lets the loops of the labs on this clock finish the tasks they already have (at the old
         * time), moves time forward, and runs every tick (and every timer that came due) once with the
         * new time; waits (at most 10 s each) for all of it.
         */
        public void advance(Duration by) {
            for (io.netty.util.concurrent.EventExecutorGroup g : loops) {
                if (g.isShuttingDown()) {
                    loops.remove(g);
                    continue;
                }
                for (EventExecutor loop : g) {
                    if (!loop.inEventLoop()) {
                        try {
                            loop.submit(() -> { }).awaitUninterruptibly(10, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.RejectedExecutionException closing) {
                            loops.remove(g);
                        }
                    }
                }
            }
            now.addAndGet(by.toNanos());
            long t = now.get();
            for (Registered r : ticks) {
                if (r.loop.isShuttingDown()) {
                    ticks.remove(r);
                    continue;
                }
                if (r.dueNanos != PERIODIC) {
                    if (r.dueNanos - t > 0) {
                        continue;
                    }
                    ticks.remove(r);
                }
                Future<?> done;
                try {
                    done = r.loop.submit(() -> {
                        if (!r.cancelled) {
                            r.task.run();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    ticks.remove(r);
                    continue;
                }
                if (!r.loop.inEventLoop()) {
                    done.awaitUninterruptibly(10, TimeUnit.SECONDS);
                }
            }
        }

        /** Time since this clock was made. */
        public Duration elapsed() {
            return Duration.ofNanos(nanos() - originNanos());
        }

        @Override
        public Tick every(EventExecutor loop, Runnable task) {
            return register(new Registered(loop, task, PERIODIC));
        }

        @Override
        public Tick after(EventExecutor loop, Duration delay, Runnable task) {
            return register(new Registered(loop, task, now.get() + delay.toNanos()));
        }

        private Tick register(Registered r) {
            ticks.add(r);
            return () -> {
                r.cancelled = true;
                ticks.remove(r);
            };
        }

        private static final long PERIODIC = Long.MIN_VALUE;

        private static final class Registered {
            final EventExecutor loop;
            final Runnable task;
            final long dueNanos;
            volatile boolean cancelled;

            Registered(EventExecutor loop, Runnable task, long dueNanos) {
                this.loop = loop;
                this.task = task;
                this.dueNanos = dueNanos;
            }
        }
    }
}
