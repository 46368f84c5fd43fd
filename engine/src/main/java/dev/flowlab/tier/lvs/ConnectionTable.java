package dev.flowlab.tier.lvs;

import dev.flowlab.tier.lvs.sched.RealServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The director's connection table, as IPVS keeps it: one entry per connection (client, real
 * server, state, expiry), plus persistence templates (state NONE) when the service is
 * persistent. Entry states drive the real servers' active/inactive counts that lc and wlc read.
 * Closing entries stay until their state's timeout, exactly as in ipvsadm -Lc; an ESTABLISHED
 * entry expires after the tcp timeout without traffic. The table is bounded: when full it drops
 * the closing entry nearest expiry, and when every entry is live it refuses the connection.
 *
 * <p>Every operation is O(1) or proportional to what it removes, never to the table's size:
 * closing entries wait in one queue per state in the order they closed (a state has one timeout,
 * so each queue's head is its first to expire), and the sweep scans only the live connections. A
 * table full of TIME_WAIT entries (a flood of short connections) once made every new connection
 * scan it twice, and DR throughput fell from 23,000 to 2,300 connections/s.
 *
 * <p>Called from every event loop that accepts connections; a single lock keeps it simple (the
 * lab's connection rates are far below where that would matter).
 */
public final class ConnectionTable {
    /** What an IPVS connection entry costs in kernel memory (struct ip_vs_conn), for the modelled figures. */
    public static final int KERNEL_BYTES_PER_ENTRY = dev.flowlab.metrics.L4Footprint.KERNEL_BYTES_PER_ENTRY;

    private final Map<Long, Entry> entries = new HashMap<>();
    /** The entries in an active state (ESTABLISHED): the only ones the sweep scans. */
    private final Map<Long, Entry> live = new HashMap<>();
    /** Entries per state, kept as they change (the footprint reads it at every metrics tick). */
    private final EnumMap<ConnState, Integer> counts = new EnumMap<>(ConnState.class);
    /** Closing entries per state, oldest first; dropped ones are skipped as they reach the head. */
    private final EnumMap<ConnState, ArrayDeque<Entry>> closing = new EnumMap<>(ConnState.class);
    private final Map<InetAddress, Template> templates = new HashMap<>();
    private final EnumMap<ConnState, Long> timeouts = new EnumMap<>(ConnState.class);
    private final int maxEntries;
    private final LongSupplier clock;
    private long nextId = 1;

    public ConnectionTable(Duration tcpTimeout, Duration tcpFinTimeout, Duration persistenceTimeout, int maxEntries,
                           LongSupplier nanoClock) {
        for (ConnState s : ConnState.values()) {
            timeouts.put(s, Duration.ofSeconds(s.defaultTimeoutSeconds()).toNanos());
        }
        timeouts.put(ConnState.ESTABLISHED, tcpTimeout.toNanos());
        timeouts.put(ConnState.FIN_WAIT, tcpFinTimeout.toNanos());
        timeouts.put(ConnState.NONE, persistenceTimeout.toNanos());
        this.maxEntries = maxEntries;
        this.clock = nanoClock;
    }

    /** One connection's entry. Its state changes only through the table. */
    public final class Entry {
        private final long id;
        private final InetSocketAddress client;
        private final RealServer server;
        private final long generation;
        private ConnState state = ConnState.ESTABLISHED;
        private long expiresAt;
        private volatile boolean gone;

        private Entry(long id, InetSocketAddress client, RealServer server, long generation) {
            this.id = id;
            this.client = client;
            this.server = server;
            this.generation = generation;
        }

        public long id() {
            return id;
        }

        public InetSocketAddress client() {
            return client;
        }

        public RealServer server() {
            return server;
        }

        public long generation() {
            return generation;
        }

        public ConnState state() {
            synchronized (ConnectionTable.this) {
                return state;
            }
        }

        /** Expired or dropped: the director no longer knows this connection. */
        public boolean isGone() {
            return gone;
        }
    }

    /** A persistence template: where this client's connections go while it lives. */
    private static final class Template {
        final RealServer server;
        int connections;
        long expiresAt;

        Template(RealServer server) {
            this.server = server;
        }
    }

    /** A new ESTABLISHED entry, or null when the table is full of live connections. */
    public synchronized Entry open(InetSocketAddress client, RealServer server, long generation) {
        if (entries.size() + templates.size() >= maxEntries && !makeRoom()) {
            return null;
        }
        Entry e = new Entry(nextId++, client, server, generation);
        e.expiresAt = clock.getAsLong() + timeouts.get(ConnState.ESTABLISHED);
        entries.put(e.id, e);
        live.put(e.id, e);
        counts.merge(ConnState.ESTABLISHED, 1, Integer::sum);
        server.connectionEstablished();
        Template t = client == null ? null : templates.get(client.getAddress());
        if (t != null && t.server == server) {
            t.connections++;
        }
        return e;
    }

    /** Traffic seen on a live connection restarts its timer, as every packet does in IPVS. */
    public void touch(Entry e) {
        if (e.gone) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (this) {
            if (e.state == ConnState.ESTABLISHED) {
                e.expiresAt = now + timeouts.get(ConnState.ESTABLISHED);
            }
        }
    }

    /** The connection closed: the entry moves to {@code next} and lingers for that state's timeout. */
    public synchronized void closed(Entry e, ConnState next) {
        if (e.gone || !e.state.isActive()) {
            return;
        }
        counts.merge(e.state, -1, Integer::sum);
        counts.merge(next, 1, Integer::sum);
        e.state = next;
        e.expiresAt = clock.getAsLong() + timeouts.get(next);
        if (!next.isActive()) {
            live.remove(e.id);
            closing.computeIfAbsent(next, st -> new ArrayDeque<>()).addLast(e);
        }
        e.server.connectionDeactivated();
        releaseTemplate(e);
    }

    private void releaseTemplate(Entry e) {
        Template t = e.client == null ? null : templates.get(e.client.getAddress());
        if (t != null && t.server == e.server && t.connections > 0) {
            t.connections--;
            t.expiresAt = clock.getAsLong() + timeouts.get(ConnState.NONE);
        }
    }

    /** The real server a persistent client is bound to, or null (no template, expired, or server out of the pool). */
    public synchronized RealServer persistentServer(InetSocketAddress client) {
        Template t = templates.get(client.getAddress());
        if (t == null) {
            return null;
        }
        if (!t.server.inPool() || (t.connections == 0 && t.expiresAt <= clock.getAsLong())) {
            templates.remove(client.getAddress());
            return null;
        }
        return t.server;
    }

    /** Binds a client to a server for the persistence timeout (ipvsadm -p). */
    public synchronized void persist(InetSocketAddress client, RealServer server) {
        Template t = templates.computeIfAbsent(client.getAddress(), a -> new Template(server));
        t.expiresAt = clock.getAsLong() + timeouts.get(ConnState.NONE);
    }

    /** Removes expired entries and templates; returns how many entries expired. */
    public synchronized int expire() {
        long now = clock.getAsLong();
        int n = expireClosing(now);
        for (Iterator<Entry> it = live.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.expiresAt - now <= 0) {
                it.remove();
                entries.remove(e.id);
                drop(e);
                n++;
            }
        }
        templates.values().removeIf(t -> t.connections == 0 && t.expiresAt - now <= 0);
        return n;
    }

    /** Drops the closing entries that are due, from the queues' heads; returns how many. */
    private int expireClosing(long now) {
        int n = 0;
        for (ArrayDeque<Entry> q : closing.values()) {
            Entry e;
            while ((e = q.peekFirst()) != null && (e.gone || e.expiresAt - now <= 0)) {
                q.pollFirst();
                if (!e.gone) {
                    entries.remove(e.id);
                    drop(e);
                    n++;
                }
            }
        }
        return n;
    }

    /** Forgets everything, as a restarted director does (its kernel table is empty). */
    public synchronized void clear() {
        for (Entry e : entries.values()) {
            drop(e);
        }
        entries.clear();
        live.clear();
        closing.clear();
        counts.clear();
        templates.clear();
    }

    private void drop(Entry e) {
        e.gone = true;
        counts.merge(e.state, -1, Integer::sum);
        if (e.state.isActive()) {
            e.server.activeEntryExpired();
            releaseTemplate(e);
        } else {
            e.server.inactiveEntryExpired();
        }
    }

    private boolean makeRoom() {
        expireClosing(clock.getAsLong());
        if (entries.size() + templates.size() < maxEntries) {
            return true;
        }
        // The closing entry nearest expiry: the earliest of the queues' heads (all live now).
        ArrayDeque<Entry> from = null;
        for (ArrayDeque<Entry> q : closing.values()) {
            Entry head = q.peekFirst();
            if (head != null && (from == null || head.expiresAt - from.peekFirst().expiresAt < 0)) {
                from = q;
            }
        }
        if (from == null) {
            return false;
        }
        Entry victim = from.pollFirst();
        entries.remove(victim.id);
        drop(victim);
        return true;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized int templates() {
        return templates.size();
    }

    public synchronized Map<ConnState, Integer> countsByState() {
        Map<ConnState, Integer> out = new EnumMap<>(ConnState.class);
        counts.forEach((state, n) -> {
            if (n > 0) {
                out.put(state, n);
            }
        });
        if (!templates.isEmpty()) {
            out.put(ConnState.NONE, templates.size());
        }
        return out;
    }

    /** A copy of the entries, for inspectors (ipvsadm -Lc). */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized long timeoutNanos(ConnState s) {
        return timeouts.get(s);
    }
}
