package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * IPVS mh: Maglev hashing of the client's source address into a {@link MaglevTable} (4093
 * slots by default) of the servers in the pool with a weight. The table is rebuilt when the
 * pool or a weight changes. If the chosen server is overloaded the connection is refused (IPVS
 * without mh-fallback). With mh-port (ipvsadm --sched-flags mh-port) the client's port is hashed
 * with its address, so each flow (5-tuple) has its own slot, as in Maglev.
 */
public final class MaglevHashing implements Scheduler {
    private final int tableSize;
    private final boolean hashPort;
    private List<String> builtFor;
    private List<RealServer> members = List.of();
    private MaglevTable table;
    private int lastMoved = -1;

    public MaglevHashing(int tableSize) {
        this(tableSize, false);
    }

    public MaglevHashing(int tableSize, boolean hashPort) {
        this.hashPort = hashPort;
        if (!MaglevTable.isPrime(tableSize)) {
            throw new IllegalArgumentException("mh table size " + tableSize + " is not prime");
        }
        this.tableSize = tableSize;
    }

    @Override
    public String name() {
        return "mh";
    }

    @Override
    public RealServer schedule(List<RealServer> servers, InetSocketAddress client) {
        Snapshot snap = snapshot(servers);
        int i = snap.table.lookup(flowHash(client));
        if (i < 0) {
            return null;
        }
        RealServer s = snap.members.get(i);
        return s.available() ? s : null;
    }

    /** The hash of a client's flow that indexes the table: its address, with mh-port its address and port. */
    public long flowHash(InetSocketAddress client) {
        long key = Scheduler.addressKey(client) & 0xffffffffL;
        if (hashPort && client != null) {
            key = (key << 16) | client.getPort();
        }
        return MaglevTable.mix(key);
    }

    /** The lookup table for this pool as it is now (built if the pool changed). */
    public MaglevTable table(List<RealServer> servers) {
        return snapshot(servers).table;
    }

    /** How many slots changed backend at the last rebuild (a server left or joined the pool); -1 before any. */
    public synchronized int lastSlotsMoved() {
        return lastMoved;
    }

    private record Snapshot(MaglevTable table, List<RealServer> members) {
    }

    private synchronized Snapshot snapshot(List<RealServer> servers) {
        List<String> signature = new ArrayList<>(servers.size());
        for (RealServer s : servers) {
            if (s.inPool() && s.weight() > 0) {
                signature.add(s.id() + "/" + s.weight());
            }
        }
        if (table == null || !signature.equals(builtFor)) {
            members = servers.stream().filter(s -> s.inPool() && s.weight() > 0).toList();
            int[] weights = members.stream().mapToInt(RealServer::weight).toArray();
            MaglevTable before = table;
            table = new MaglevTable(members.stream().map(RealServer::id).toList(), weights, tableSize);
            lastMoved = before == null ? -1 : MaglevTable.slotsChanged(before, table);
            builtFor = signature;
        }
        return new Snapshot(table, members);
    }
}
