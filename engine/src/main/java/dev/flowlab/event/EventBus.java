package dev.flowlab.event;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A bounded, lossy-by-design event bus. Publishing never blocks and never allocates beyond the
 * event: each subscriber has its own fixed-size queue, and when a subscriber falls behind its
 * events are dropped and counted, so a slow consumer (the UI) can never slow the engine.
 */
public final class EventBus {
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final TraceMarks traceMarks = new TraceMarks();

    /** True when someone listens; emitters may skip building an event otherwise. */
    public boolean hasSubscribers() {
        return !subscriptions.isEmpty();
    }

    /** The traces someone asked to follow in detail (headers at every hop). */
    public TraceMarks traceMarks() {
        return traceMarks;
    }

    public void publish(LabEvent event) {
        published.increment();
        for (Subscription s : subscriptions) {
            s.offer(event);
        }
    }

    /** Subscribes to every event. */
    public Subscription subscribe(int capacity) {
        return subscribe(capacity, e -> true);
    }

    /** Subscribes to the events the filter accepts; the filter runs on the publishing thread, keep it cheap. */
    public Subscription subscribe(int capacity, Predicate<LabEvent> filter) {
        Subscription s = new Subscription(capacity, filter);
        subscriptions.add(s);
        return s;
    }

    public long published() {
        return published.sum();
    }

    /** Events dropped across all subscribers because their queues were full. */
    public long dropped() {
        return dropped.sum();
    }

    /** One consumer's queue. Drain it from one thread at whatever pace suits; close it when done. */
    public final class Subscription implements AutoCloseable {
        private final Queue<LabEvent> queue;
        private final Predicate<LabEvent> filter;
        private final LongAdder droppedHere = new LongAdder();

        private Subscription(int capacity, Predicate<LabEvent> filter) {
            this.queue = PlatformDependent.newFixedMpscQueue(Math.max(16, capacity));
            this.filter = filter;
        }

        void offer(LabEvent e) {
            if (filter.test(e) && !queue.offer(e)) {
                droppedHere.increment();
                dropped.increment();
            }
        }

        /** Hands at most {@code max} queued events to the consumer; returns how many. */
        public int drain(Consumer<LabEvent> consumer, int max) {
            int n = 0;
            LabEvent e;
            while (n < max && (e = queue.poll()) != null) {
                consumer.accept(e);
                n++;
            }
            return n;
        }

        public LabEvent poll() {
            return queue.poll();
        }

        public long dropped() {
            return droppedHere.sum();
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }
}
