package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * IPVS wlc, ipvsadm's default: the least overhead/weight, with overhead = active*256 + inactive.
 * Compared by cross-multiplication as the kernel does (no division). Ties: first in the list.
 */
public final class WeightedLeastConnection implements Scheduler {
    @Override
    public String name() {
        return "wlc";
    }

    @Override
    public RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        RealServer least = null;
        long leastOverhead = 0;
        for (RealServer s : servers) {
            if (!s.available()) {
                continue;
            }
            long overhead = s.overhead();
            if (least == null || overhead * least.weight() < leastOverhead * s.weight()) {
                least = s;
                leastOverhead = overhead;
            }
        }
        return least;
    }
}
