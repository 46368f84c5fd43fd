package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;

/** IPVS rr: the next available server after the last one chosen; quiesced and overloaded ones are skipped. */
public final class RoundRobin implements Scheduler {
    private int last = -1;

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public synchronized RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        int n = servers.size();
        for (int step = 1; step <= n; step++) {
            int i = Math.floorMod(last + step, n);
            RealServer s = servers.get(i);
            if (s.available()) {
                last = i;
                return s;
            }
        }
        return null;
    }
}
