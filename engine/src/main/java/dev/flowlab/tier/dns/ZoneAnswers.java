package dev.flowlab.tier.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The site's A record set, free of any wire format: for a name and type, the response code and
 * the A records in this query's order (BIND's rrset-order: fixed, cyclic, random). The record set
 * comes from a supplier (the VIPs of the linked LVS nodes, resolved now) and a health filter
 * (healthAware; otherwise it passes every VIP) drops VIPs whose director is down; when that would
 * leave nothing, every VIP is answered (fail open, as health-checked DNS does). The rest of the
 * zone (SOA, NS, the name server's address) is {@link ZoneResponder}'s.
 */
public final class ZoneAnswers {
    public enum Code { NOERROR, NXDOMAIN, REFUSED }

    /** A record with the node behind it (null for a configured address). */
    public record Vip(String nodeId, InetAddress address) {
    }

    /** The outcome for one question; {@code addresses} is empty for NXDOMAIN, REFUSED and NODATA. */
    public record Answer(Code code, List<InetAddress> addresses, long ttl) {
    }

    private final String zone;
    private final String name;
    private final long ttl;
    private final String order;
    private final Supplier<List<Vip>> records;
    private final Predicate<Vip> healthy;
    private final AtomicLong queries = new AtomicLong();

    public ZoneAnswers(String zone, String name, long ttl, String rrsetOrder, Supplier<List<Vip>> records,
                       Predicate<Vip> healthy) {
        this.zone = canonical(zone);
        this.name = canonical(name);
        if (!inZone(this.name)) {
            throw new IllegalArgumentException("name " + name + " is not in zone " + zone);
        }
        this.ttl = ttl;
        this.order = rrsetOrder;
        this.records = records;
        this.healthy = healthy;
    }

    public String zone() {
        return zone;
    }

    public String name() {
        return name;
    }

    public long ttl() {
        return ttl;
    }

    /** The answer to "name type?" where type is "A", "AAAA", "ANY", ... */
    public Answer answer(String qname, String type) {
        String q = canonical(qname);
        if (!inZone(q)) {
            return new Answer(Code.REFUSED, List.of(), ttl);
        }
        if (!q.equals(name)) {
            return new Answer(q.equals(zone) ? Code.NOERROR : Code.NXDOMAIN, List.of(), ttl);
        }
        if (!type.equals("A") && !type.equals("ANY")) {
            return new Answer(Code.NOERROR, List.of(), ttl);
        }
        return new Answer(Code.NOERROR, rotated(), ttl);
    }

    /** The A record set of {@link #name()} in this query's order (rrset-order): each call is one query. */
    public List<InetAddress> rotated() {
        return ordered(current(), queries.getAndIncrement());
    }

    /** The rotation counter: the step the next answer of the record set takes (cyclic: its offset modulo the set's size). */
    long nextStep() {
        return queries.get();
    }

    /** Takes one step of the rotation, if it is still {@code step} (the UDP answer cache answers with that step's bytes). */
    boolean takeStep(long step) {
        return queries.compareAndSet(step, step + 1);
    }

    /** Takes the next step of the rotation and returns it. */
    long step() {
        return queries.getAndIncrement();
    }

    /** The configured rrset-order: fixed, cyclic or random. */
    String order() {
        return order == null ? "fixed" : order;
    }

    /**
     * The record set right now, health filter applied. When the supplier hands back the same list
     * as last time (configured addresses) and every VIP's health is unchanged, the same list comes
     * back too: the UDP answer cache compares it on every query.
     */
    public List<InetAddress> current() {
        List<Vip> all = records.get();
        Memo m = memo;
        if (m != null && m.all == all) {
            boolean same = true;
            for (int i = 0; i < all.size() && same; i++) {
                same = m.health[i] == healthy.test(all.get(i));
            }
            if (same) {
                return m.current;
            }
        }
        boolean[] health = new boolean[all.size()];
        List<InetAddress> up = new ArrayList<>();
        List<InetAddress> every = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Vip v = all.get(i);
            health[i] = healthy.test(v);
            if (!(v.address() instanceof Inet4Address) || every.contains(v.address())) {
                continue;
            }
            every.add(v.address());
            if (health[i]) {
                up.add(v.address());
            }
        }
        List<InetAddress> out = Collections.unmodifiableList(up.isEmpty() ? every : up);
        memo = new Memo(all, health, out);
        return out;
    }

    /** The last record set computed, and what it was computed from. */
    private record Memo(List<Vip> all, boolean[] health, List<InetAddress> current) {
    }

    private volatile Memo memo;

    /** The record set in the order of rotation step {@code n}. */
    List<InetAddress> ordered(List<InetAddress> set, long n) {
        List<InetAddress> out = new ArrayList<>(set);
        switch (order == null ? "fixed" : order) {
            case "random" -> Collections.shuffle(out, ThreadLocalRandom.current());
            case "cyclic" -> {
                if (!out.isEmpty()) {
                    Collections.rotate(out, -(int) (n % out.size()));
                }
            }
            default -> { } // fixed: the configured order, every time
        }
        return out;
    }

    public boolean inZone(String canonicalName) {
        return canonicalName.equals(zone) || canonicalName.endsWith("." + zone);
    }

    /** Lower case, no trailing dot: how names are compared (DNS names are case-insensitive). */
    public static String canonical(String n) {
        String s = n.toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
