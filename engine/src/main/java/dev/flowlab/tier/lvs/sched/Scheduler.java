package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * An IPVS scheduler: picks the real server for a new connection (never for a packet of an
 * existing one: the connection table does that). Returns null when no server is available,
 * which IPVS answers by dropping the SYN (the lab resets the connection).
 *
 * <p>Implementations keep their own position (rr, wrr) and are called from several event loops,
 * so they synchronize where they hold state.
 */
public interface Scheduler {
    /** The ipvsadm name: rr, wrr, lc, wlc, sed, nq, sh, mh. */
    String name();

    RealServer schedule(List<RealServer> servers, InetSocketAddress client);

    /** IPVS's schedulers by their ipvsadm names; {@code mhTableSize} is used by mh only. */
    static Scheduler named(String name, int mhTableSize) {
        return named(name, mhTableSize, false);
    }

    /** As {@link #named(String, int)}; {@code mhPort} is ipvsadm's --sched-flags mh-port (mh hashes the client's port too). */
    static Scheduler named(String name, int mhTableSize, boolean mhPort) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "rr" -> new RoundRobin();
            case "wrr" -> new WeightedRoundRobin();
            case "lc" -> new LeastConnection();
            case "wlc" -> new WeightedLeastConnection();
            case "sed" -> new ShortestExpectedDelay(false);
            case "nq" -> new ShortestExpectedDelay(true);
            case "sh" -> new SourceHashing();
            case "mh" -> new MaglevHashing(mhTableSize, mhPort);
            default -> throw new IllegalArgumentException("unknown scheduler '" + name
                    + "' (IPVS has rr, wrr, lc, wlc, sed, nq, sh, mh)");
        };
    }

    /** The IPv4 source address as an unsigned 32-bit value (IPv6 folded), the key sh and mh hash. */
    static int addressKey(InetSocketAddress client) {
        if (client == null || client.getAddress() == null) {
            return 0;
        }
        byte[] b = client.getAddress().getAddress();
        int key = 0;
        for (int i = 0; i < b.length; i += 4) {
            key ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        return key;
    }
}
