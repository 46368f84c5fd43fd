package dev.flowlab.tier.lvs.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The Maglev table: one flow's lookup (what every packet of a new flow costs), and a rebuild (what a backend change costs). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaglevJmh {
    @Param({"4093", "65537"})
    public int size;

    private List<String> backends;
    private MaglevTable table;
    private long flow;

    @Setup
    public void setUp() {
        backends = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            backends.add("127.0.30." + (b + 1) + ":80");
        }
        table = new MaglevTable(backends, size);
    }

    @Benchmark
    public int lookup() {
        return table.lookup(MaglevTable.mix(flow++));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public MaglevTable build16Backends() {
        return new MaglevTable(backends, size);
    }
}
