package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * IPVS wrr (ip_vs_wrr.c): a current weight {@code cw} starts at the largest weight and steps down
 * by the weights' gcd each time the list wraps; a server is chosen when its weight is at least
 * cw. Weights 4,3,2 give A A B A B C A B C. Unlike nginx's smooth variant, heavy servers get
 * their turns in bursts.
 */
public final class WeightedRoundRobin implements Scheduler {
    /** Index of the last server chosen; -1 stands for the list head (before the first server). */
    private int current = -1;
    private int currentWeight;

    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public synchronized RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        int n = servers.size();
        int maxWeight = 0;
        int gcd = 0;
        for (RealServer s : servers) {
            if (!s.inPool()) {
                continue;
            }
            int w = s.weight();
            maxWeight = Math.max(maxWeight, w);
            gcd = w > 0 ? gcd(gcd, w) : gcd;
        }
        if (maxWeight == 0) {
            return null;
        }
        if (currentWeight > maxWeight) {
            currentWeight = maxWeight;
        }
        if (current >= n) {
            current = -1;
        }
        // One full descent of cw from max to gcd visits every server with every weight it can
        // match; beyond that nothing is available (all overloaded).
        long budget = (long) (n + 1) * (maxWeight / gcd + 1);
        for (long step = 0; step < budget; step++) {
            current++;
            if (current == n) {
                current = -1;
                currentWeight -= gcd;
                if (currentWeight <= 0) {
                    currentWeight = maxWeight;
                }
                continue;
            }
            RealServer s = servers.get(current);
            if (s.inPool() && !s.overloaded() && s.weight() >= currentWeight && currentWeight > 0) {
                return s;
            }
        }
        return null;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
