package dev.flowlab.balance;

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

/** One request's pick and free in an upstream of four (weights 5, 1, 1, 1), per balancing method, as the Nginx tier does it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerJmh {
    @Param({"ROUND_ROBIN", "LEAST_CONN", "IP_HASH", "HASH_CONSISTENT"})
    public String algorithm;

    private PeerGroup group;
    private final byte[][] clients = new byte[256][];
    private final String[] keys = new String[256];
    private int i;

    @Setup
    public void setUp() {
        group = new PeerGroup("tomcats", Algorithm.valueOf(algorithm), List.of(PeerSpec.weighted("127.0.20.1:8080", 5),
                PeerSpec.of("127.0.20.2:8080"), PeerSpec.of("127.0.20.3:8080"), PeerSpec.of("127.0.20.4:8080")),
                PeerGroup.HealthListener.NONE);
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new byte[] {127, 0, 1, (byte) c};
            keys[c] = "/item/" + c;
        }
    }

    @Benchmark
    public Peer pickAndFree() {
        int c = i++ & 255;
        Selection s = group.newSelection(clients[c], keys[c], 0);
        Peer p = group.pick(s, 0);
        group.free(s, PeerGroup.Outcome.OK, 0);
        return p;
    }
}
