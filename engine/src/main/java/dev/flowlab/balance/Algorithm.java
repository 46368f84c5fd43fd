package dev.flowlab.balance;

import java.util.Locale;

/** nginx's balancing methods, by the directive that selects each. */
public enum Algorithm {
    /** The default: smooth weighted round-robin. */
    ROUND_ROBIN("round_robin"),
    /** {@code least_conn}: fewest active connections relative to weight; ties by round-robin. */
    LEAST_CONN("least_conn"),
    /** {@code ip_hash}: the first three octets of the client's IPv4 address. */
    IP_HASH("ip_hash"),
    /** {@code hash key}: CRC32 of the key modulo the total weight (Cache::Memcached compatible). */
    HASH("hash"),
    /** {@code hash key consistent}: ketama, 160 points per weight unit. */
    HASH_CONSISTENT("hash consistent");

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** From a config's {@code balance} word and {@code consistent} flag. */
    public static Algorithm of(String balance, boolean consistent) {
        String b = balance == null ? "round_robin" : balance.toLowerCase(Locale.ROOT);
        return switch (b) {
            case "round_robin", "rr" -> ROUND_ROBIN;
            case "least_conn" -> LEAST_CONN;
            case "ip_hash" -> IP_HASH;
            case "hash" -> consistent ? HASH_CONSISTENT : HASH;
            default -> throw new IllegalArgumentException("unknown balance '" + balance
                    + "' (expected round_robin, least_conn, ip_hash or hash)");
        };
    }

    public boolean usesKey() {
        return this == HASH || this == HASH_CONSISTENT;
    }
}
