package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * IPVS sh (ip_vs_sh.c): 256 buckets, filled in list order with each server taking as many
 * consecutive buckets as its weight; a client's source address hashes (hash_32, golden ratio)
 * to one bucket. The same client always lands on the same server; if that server is unavailable
 * the connection is refused (IPVS without the sh-fallback flag).
 */
public final class SourceHashing implements Scheduler {
    public static final int BUCKETS = 256;
    private static final int GOLDEN_RATIO_32 = 0x61C88647;

    private List<String> builtFor = List.of();
    private RealServer[] buckets = new RealServer[0];

    @Override
    public String name() {
        return "sh";
    }

    @Override
    public RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        RealServer[] table = table(servers);
        if (table.length == 0) {
            return null;
        }
        RealServer s = table[bucket(Scheduler.addressKey(client))];
        return s != null && s.available() ? s : null;
    }

    /** The kernel's hash_32(addr, 8). */
    public static int bucket(int addressKey) {
        return (addressKey * GOLDEN_RATIO_32) >>> (32 - 8);
    }

    private synchronized RealServer[] table(List<RealServer> servers) {
        List<String> signature = new ArrayList<>(servers.size());
        for (RealServer s : servers) {
            if (s.inPool()) {
                signature.add(s.id() + "/" + s.weight());
            }
        }
        if (!signature.equals(builtFor)) {
            buckets = reassign(servers.stream().filter(RealServer::inPool).toList());
            builtFor = signature;
        }
        return buckets;
    }

    private static RealServer[] reassign(List<RealServer> servers) {
        if (servers.isEmpty()) {
            return new RealServer[0];
        }
        RealServer[] table = new RealServer[BUCKETS];
        int p = 0;
        int count = 0;
        for (int i = 0; i < BUCKETS; i++) {
            RealServer s = servers.get(p);
            table[i] = s;
            if (++count >= s.weight()) {
                p = (p + 1) % servers.size();
                count = 0;
            }
        }
        return table;
    }
}
