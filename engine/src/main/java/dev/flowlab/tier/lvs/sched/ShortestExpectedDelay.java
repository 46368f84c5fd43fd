package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * IPVS sed: the least (active+1)/weight, the expected delay if this connection joined the
 * server's queue; inactive connections do not count. nq ("never queue") first takes any server
 * with no active connection, and only when every server is busy falls back to sed.
 */
public final class ShortestExpectedDelay implements Scheduler {
    private final boolean neverQueue;

    public ShortestExpectedDelay(boolean neverQueue) {
        this.neverQueue = neverQueue;
    }

    @Override
    public String name() {
        return neverQueue ? "nq" : "sed";
    }

    @Override
    public RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        RealServer least = null;
        long leastOverhead = 0;
        for (RealServer s : servers) {
            if (!s.available()) {
                continue;
            }
            if (neverQueue && s.active() == 0) {
                return s;
            }
            long overhead = s.active() + 1L;
            if (least == null || overhead * least.weight() < leastOverhead * s.weight()) {
                least = s;
                leastOverhead = overhead;
            }
        }
        return least;
    }
}
