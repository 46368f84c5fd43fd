package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;

/** IPVS lc: the least overhead (active*256 + inactive); weights only matter as 0 = quiesced. Ties: first in the list. */
public final class LeastConnection implements Scheduler {
    @Override
    public String name() {
        return "lc";
    }

    @Override
    public RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        RealServer least = null;
        int leastOverhead = 0;
        for (RealServer s : servers) {
            if (!s.available()) {
                continue;
            }
            int overhead = s.overhead();
            if (least == null || overhead < leastOverhead) {
                least = s;
                leastOverhead = overhead;
            }
        }
        return least;
    }
}
