package dev.flowlab.event;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The event bus on the hot path: with nobody listening the emit sites only ask
 * {@link EventBus#hasSubscribers()}; with the live view listening each request's fact is built,
 * published and drained (the drain as the view's pump does it, a batch at a time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventBusJmh {
    private EventBus quiet;
    private EventBus watched;
    private EventBus.Subscription view;
    private long n;

    @Setup
    public void setUp() {
        quiet = new EventBus();
        watched = new EventBus();
        view = watched.subscribe(65_536);
    }

    @TearDown
    public void tearDown() {
        view.close();
    }

    @Benchmark
    public boolean emitNobodyListens() {
        if (quiet.hasSubscribers()) {
            quiet.publish(event(n++));
            return true;
        }
        return false;
    }

    @Benchmark
    public int emitAndDrain() {
        watched.publish(event(n++));
        return (n & 63) == 0 ? view.drain(e -> { }, 64) : 0;
    }

    private static LabEvent event(long i) {
        return new LabEvent(i, EventType.CLIENT_REQUEST, "client", "127.0.10.1", "t" + (i & 1023), 0, 0,
                new Fact.ClientRequest("GET", "/search?q=phone"));
    }
}
