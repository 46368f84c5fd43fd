package dev.flowlab.tier.lvs.sched;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * IPVS mh: Maglev hashing of the client's source address into a {@link MaglevTable} (4093
 * slots by default) of the servers in the pool with a weight. The table is rebuilt when the
 * pool or a weight changes. If the chosen server is overloaded the connection is refused (IPVS
 * without mh-fallback).
 */
public final class MaglevHashing implements Scheduler {
    private final int tableSize;
    private List<String> builtFor;
    private List<RealServer> members = List.of();
    private MaglevTable table;

    public MaglevHashing(int tableSize) {
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
        int i = snap.table.lookup(MaglevTable.mix(Scheduler.addressKey(client) & 0xffffffffL));
        if (i < 0) {
            return null;
        }
        RealServer s = snap.members.get(i);
        return s.available() ? s : null;
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
            table = new MaglevTable(members.stream().map(RealServer::id).toList(), weights, tableSize);
            builtFor = signature;
        }
        return new Snapshot(table, members);
    }
}
