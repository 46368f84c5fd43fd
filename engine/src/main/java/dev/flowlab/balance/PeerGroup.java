package dev.flowlab.balance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An nginx {@code upstream} block's servers and their balancing state, independent of any
 * network code: {@link #pick} chooses a server for a request the way nginx's balancer modules do
 * (ngx_http_upstream_round_robin, _least_conn, _ip_hash, _hash), and {@link #free} reports how the
 * attempt went, which drives passive health ({@code max_fails} within {@code fail_timeout}).
 *
 * <p>Thread-safe: the shared state is guarded by this object's lock, like nginx's peers lock in a
 * shared zone. A {@link Selection} belongs to one request. Times are {@link System#nanoTime()}.
 */
public final class PeerGroup {
    /** Told when a server becomes temporarily unavailable and when it is back. Called under the group's lock: keep it cheap. */
    public interface HealthListener {
        void serverDown(Peer peer, int fails, long failTimeoutNanos);

        void serverUp(Peer peer);

        HealthListener NONE = new HealthListener() {
            @Override
            public void serverDown(Peer peer, int fails, long failTimeoutNanos) {
            }

            @Override
            public void serverUp(Peer peer) {
            }
        };
    }

    /** How an attempt ended, as nginx's peer.free state. */
    public enum Outcome {
        /** A response was passed on (whatever its status). */
        OK,
        /** error, timeout, invalid_header, or an http_* status listed in proxy_next_upstream: counts toward max_fails. */
        FAILED,
        /** http_403 / http_404 listed in proxy_next_upstream: try the next server without blaming this one. */
        NEXT
    }

    private final String name;
    private final Algorithm algorithm;
    private final List<Peer> primaries;
    private final List<Peer> backups;
    private final boolean single;
    private final int totalWeight;
    private final int primaryTries;
    private final int backupTries;
    private final Ketama ketama;
    private final HealthListener listener;

    public PeerGroup(String name, Algorithm algorithm, List<PeerSpec> servers, HealthListener listener) {
        this.name = name;
        this.algorithm = algorithm;
        this.listener = listener == null ? HealthListener.NONE : listener;
        List<Peer> p = new ArrayList<>();
        List<Peer> b = new ArrayList<>();
        for (PeerSpec s : servers) {
            if (s.backup()) {
                if (algorithm != Algorithm.ROUND_ROBIN && algorithm != Algorithm.LEAST_CONN) {
                    // nginx refuses the config: "invalid parameter "backup"" with ip_hash and hash.
                    throw new IllegalArgumentException("upstream " + name + ": backup servers cannot be used with " + algorithm.id());
                }
                b.add(new Peer(s, b.size()));
            } else {
                p.add(new Peer(s, p.size()));
            }
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("upstream " + name + ": no servers (backup servers alone are not enough)");
        }
        this.primaries = List.copyOf(p);
        this.backups = List.copyOf(b);
        this.single = primaries.size() == 1 && backups.isEmpty();
        this.totalWeight = primaries.stream().mapToInt(Peer::weight).sum();
        this.primaryTries = (int) primaries.stream().filter(x -> !x.down()).count();
        this.backupTries = (int) backups.stream().filter(x -> !x.down()).count();
        this.ketama = algorithm == Algorithm.HASH_CONSISTENT ? new Ketama(primaries) : null;
    }

    public String name() {
        return name;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public List<Peer> primaries() {
        return primaries;
    }

    public List<Peer> backups() {
        return backups;
    }

    /** nginx's ngx_http_upstream_tries: servers not marked down, primaries plus backups. */
    public int tries() {
        return primaryTries + backupTries;
    }

    /**
     * Starts a request's selection. {@code clientAddress} is the client's address bytes (ip_hash),
     * {@code key} the evaluated hash key (hash); {@code triesLimit} is proxy_next_upstream_tries (0: none).
     */
    public Selection newSelection(byte[] clientAddress, String key, int triesLimit) {
        int t = tries();
        if (triesLimit > 0 && t > triesLimit) {
            t = triesLimit;
        }
        return new Selection(clientAddress, key, t);
    }

    /** Chooses the next server for this request, or null: "no live upstreams". */
    public synchronized Peer pick(Selection s, long now) {
        Peer chosen = switch (algorithm) {
            case ROUND_ROBIN -> pickRoundRobin(s, now, "rr");
            case LEAST_CONN -> pickLeastConn(s, now);
            case IP_HASH -> pickIpHash(s, now);
            case HASH -> pickHash(s, now);
            case HASH_CONSISTENT -> pickConsistent(s, now);
        };
        s.current = chosen;
        return chosen;
    }

    /** Ends the current attempt of this request (ngx_http_upstream_free_round_robin_peer). */
    public synchronized void free(Selection s, Outcome outcome, long now) {
        Peer peer = s.current;
        if (peer == null) {
            return;
        }
        s.current = null;
        if (single) {
            // nginx never marks the only server of a group down, and does not retry it either.
            peer.conns--;
            s.tries = 0;
            return;
        }
        if (outcome == Outcome.FAILED) {
            peer.fails++;
            peer.accessed = now;
            peer.checked = now;
            if (peer.maxFails() > 0) {
                peer.effectiveWeight -= peer.weight() / peer.maxFails();
                if (peer.fails >= peer.maxFails() && !peer.reportedDown) {
                    peer.reportedDown = true;
                    listener.serverDown(peer, peer.fails, peer.failTimeoutNanos());
                }
            }
            if (peer.effectiveWeight < 0) {
                peer.effectiveWeight = 0;
            }
        } else if (peer.accessed < peer.checked) {
            // A success after fail_timeout let the server be tried again: it is live.
            peer.fails = 0;
            if (peer.reportedDown) {
                peer.reportedDown = false;
                listener.serverUp(peer);
            }
        }
        peer.conns--;
        if (s.tries > 0) {
            s.tries--;
        }
    }

    public synchronized List<PeerStatus> status(long now) {
        List<PeerStatus> out = new ArrayList<>();
        for (List<Peer> list : List.of(primaries, backups)) {
            for (Peer p : list) {
                out.add(new PeerStatus(p.name(), p.backup(), p.down(), p.weight(), p.effectiveWeight, p.currentWeight,
                        p.conns, p.fails, !p.down() && !p.failedRecently(now)));
            }
        }
        return out;
    }

    // ---- round-robin (ngx_http_upstream_get_round_robin_peer) ----

    private Peer pickRoundRobin(Selection s, long now, String reason) {
        if (!s.onBackups) {
            Peer p = single ? pickSingle(s, now) : smoothWeighted(primaries, s, now);
            if (p != null) {
                s.lastReason = reason;
                return p;
            }
            if (backups.isEmpty()) {
                return null;
            }
            // All primaries unavailable: move to the backups with a fresh tried bitmap.
            s.onBackups = true;
            s.tried.clear();
        }
        Peer p = smoothWeighted(backups, s, now);
        if (p != null) {
            s.lastReason = reason + ", backup: all primaries unavailable";
        }
        return p;
    }

    private Peer pickSingle(Selection s, long now) {
        Peer p = primaries.get(0);
        if (s.explain) {
            s.lastState = snapshot(primaries, s, now);
        }
        if (p.down() || p.atMaxConns()) {
            return null;
        }
        p.conns++;
        return p;
    }

    private static Peer smoothWeighted(List<Peer> peers, Selection s, long now) {
        Peer best = null;
        int total = 0;
        for (Peer p : peers) {
            if (s.tried.get(p.index()) || !p.usable(now)) {
                continue;
            }
            p.currentWeight += p.effectiveWeight;
            total += p.effectiveWeight;
            if (p.effectiveWeight < p.weight()) {
                p.effectiveWeight++;
            }
            if (best == null || p.currentWeight > best.currentWeight) {
                best = p;
            }
        }
        if (best == null) {
            return null;
        }
        if (s.explain) {
            s.lastState = snapshot(peers, s, now);
        }
        best.currentWeight -= total;
        best.chosen(now);
        s.tried.set(best.index());
        return best;
    }

    /** The peers' state as a pick sees it; {@code available}: this pick could choose the peer. */
    private static List<PeerStatus> snapshot(List<Peer> peers, Selection s, long now) {
        List<PeerStatus> out = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            out.add(new PeerStatus(p.name(), p.backup(), p.down(), p.weight(), p.effectiveWeight, p.currentWeight, p.conns,
                    p.fails, !s.tried.get(p.index()) && p.usable(now)));
        }
        return out;
    }

    // ---- least_conn (ngx_http_upstream_get_least_conn_peer) ----

    private Peer pickLeastConn(Selection s, long now) {
        if (single) {
            return pickRoundRobin(s, now, "least_conn");
        }
        if (!s.onBackups) {
            Peer p = leastConn(primaries, s, now);
            if (p != null) {
                return p;
            }
            if (backups.isEmpty()) {
                return null;
            }
            s.onBackups = true;
            s.tried.clear();
        }
        Peer p = leastConn(backups, s, now);
        if (p != null) {
            s.lastReason += ", backup: all primaries unavailable";
        }
        return p;
    }

    private static Peer leastConn(List<Peer> peers, Selection s, long now) {
        if (s.explain) {
            s.lastState = snapshot(peers, s, now);
        }
        Peer best = null;
        boolean many = false;
        int bestIndex = 0;
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            if (s.tried.get(p.index()) || !p.usable(now)) {
                continue;
            }
            // Compare conns/weight without division, as nginx does.
            if (best == null || (long) p.conns * best.weight() < (long) best.conns * p.weight()) {
                best = p;
                many = false;
                bestIndex = i;
            } else if ((long) p.conns * best.weight() == (long) best.conns * p.weight()) {
                many = true;
            }
        }
        if (best == null) {
            return null;
        }
        int total = 0;
        if (many) {
            for (int i = bestIndex; i < peers.size(); i++) {
                Peer p = peers.get(i);
                if (s.tried.get(p.index()) || !p.usable(now)) {
                    continue;
                }
                if ((long) p.conns * best.weight() != (long) best.conns * p.weight()) {
                    continue;
                }
                p.currentWeight += p.effectiveWeight;
                total += p.effectiveWeight;
                if (p.effectiveWeight < p.weight()) {
                    p.effectiveWeight++;
                }
                if (p.currentWeight > best.currentWeight) {
                    best = p;
                }
            }
        }
        best.currentWeight -= total;
        s.lastReason = "least_conn: " + best.conns + " active" + (many ? ", tie broken by round-robin" : "");
        best.chosen(now);
        s.tried.set(best.index());
        return best;
    }

    // ---- ip_hash (ngx_http_upstream_get_ip_hash_peer) ----

    private Peer pickIpHash(Selection s, long now) {
        byte[] addr = s.clientAddress;
        if (s.hashTries > 20 || single || addr == null) {
            return pickRoundRobin(s, now, "ip_hash fell back to rr");
        }
        int len = addr.length == 4 ? 3 : addr.length;
        int hash = s.ipHash;
        for (;;) {
            for (int i = 0; i < len; i++) {
                hash = (hash * 113 + (addr[i] & 0xff)) % 6271;
            }
            Peer peer = byWeight(hash);
            if (!s.tried.get(peer.index()) && peer.usable(now)) {
                s.ipHash = hash;
                s.tried.set(peer.index());
                peer.chosen(now);
                s.lastReason = "ip_hash " + octets(addr, len) + " -> hash " + hash;
                return peer;
            }
            if (++s.hashTries > 20) {
                return pickRoundRobin(s, now, "ip_hash: 20 tries missed, fell back to rr");
            }
        }
    }

    /** The peer at {@code w % total_weight} when each peer covers {@code weight} consecutive values. */
    private Peer byWeight(long value) {
        long w = value % totalWeight;
        int i = 0;
        Peer peer = primaries.get(0);
        while (w >= peer.weight()) {
            w -= peer.weight();
            peer = primaries.get(++i);
        }
        return peer;
    }

    private static String octets(byte[] addr, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                b.append(addr.length == 4 ? '.' : ':');
            }
            b.append(addr[i] & 0xff);
        }
        return b.toString();
    }

    // ---- hash (ngx_http_upstream_get_hash_peer) ----

    private Peer pickHash(Selection s, long now) {
        if (s.hashTries > 20 || primaries.size() < 2 || s.key == null || s.key.isEmpty()) {
            return pickRoundRobin(s, now, "hash fell back to rr");
        }
        byte[] key = s.key.getBytes(StandardCharsets.UTF_8);
        for (;;) {
            // ((crc32([REHASH] KEY) >> 16) & 0x7fff) + PREV_HASH, as Cache::Memcached.
            CRC32 crc = new CRC32();
            if (s.rehash > 0) {
                crc.update(Integer.toString(s.rehash).getBytes(StandardCharsets.US_ASCII));
            }
            crc.update(key);
            long h = (crc.getValue() >>> 16) & 0x7fff;
            s.hashSum += h;
            s.rehash++;
            Peer peer = byWeight(s.hashSum);
            if (!s.tried.get(peer.index()) && peer.usable(now)) {
                s.tried.set(peer.index());
                peer.chosen(now);
                s.lastReason = "hash '" + s.key + "' -> " + s.hashSum;
                return peer;
            }
            if (++s.hashTries > 20) {
                return pickRoundRobin(s, now, "hash: 20 tries missed, fell back to rr");
            }
        }
    }

    // ---- hash consistent (ngx_http_upstream_get_chash_peer) ----

    private Peer pickConsistent(Selection s, long now) {
        if (s.hashTries > 20 || primaries.size() < 2 || s.key == null || s.key.isEmpty()) {
            return pickRoundRobin(s, now, "hash consistent fell back to rr");
        }
        long keyHash = Ketama.crc32(s.key);
        if (s.pointIndex < 0) {
            s.pointIndex = ketama.findPoint(keyHash);
        }
        for (;;) {
            String server = ketama.serverAt(s.pointIndex);
            Peer best = null;
            int total = 0;
            for (Peer p : primaries) {
                if (s.tried.get(p.index()) || !p.name().equals(server) || !p.usable(now)) {
                    continue;
                }
                p.currentWeight += p.effectiveWeight;
                total += p.effectiveWeight;
                if (p.effectiveWeight < p.weight()) {
                    p.effectiveWeight++;
                }
                if (best == null || p.currentWeight > best.currentWeight) {
                    best = p;
                }
            }
            if (best != null) {
                best.currentWeight -= total;
                s.tried.set(best.index());
                best.chosen(now);
                s.lastReason = "hash consistent '" + s.key + "' crc32 " + keyHash + " -> point " + (s.pointIndex % ketama.size());
                return best;
            }
            s.pointIndex++;
            if (++s.hashTries > 20) {
                return pickRoundRobin(s, now, "hash consistent: 20 tries missed, fell back to rr");
            }
        }
    }
}
