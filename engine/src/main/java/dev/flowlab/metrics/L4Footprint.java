package dev.flowlab.metrics;

/**
 * What a director costs, in two clearly separate kinds of figure. Measured in this lab: the
 * sockets (Netty channels) the director node holds and the entries in its connection table.
 * Modelled for real software: kernel IPVS keeps no socket, only ~128 bytes per table entry; a
 * user-space layer-4 relay (haproxy in TCP mode) holds two sockets per client connection.
 */
public record L4Footprint(
        String mode,
        int labSockets,
        int labTableEntries,
        int activeEntries,
        int inactiveEntries,
        int persistenceTemplates,
        long modelledKernelBytes,
        int modelledUserSpaceRelaySockets,
        /** What the director forwarded, as ipvsadm --stats counts it: connections and bytes measured, packets modelled (the LVS tier's PacketModel). */
        long connections,
        long inBytes,
        long outBytes,
        long modelledInPackets,
        long modelledOutPackets) {

    /** What kernel IPVS keeps per connection: one ~128-byte ip_vs_conn entry, no socket. */
    public static final int KERNEL_BYTES_PER_ENTRY = 128;

    /** Human lines for reports, each saying whether it is measured or modelled. */
    public String describe() {
        return "lab (measured): " + labSockets + " sockets held by the director, " + labTableEntries
                + " connection-table entries (" + activeEntries + " active, " + inactiveEntries + " inactive)"
                + (persistenceTemplates > 0 ? ", " + persistenceTemplates + " persistence templates" : "")
                + "\nkernel IPVS " + mode + " (modelled): 0 sockets, ~" + modelledKernelBytes + " bytes of table ("
                + KERNEL_BYTES_PER_ENTRY + " per entry)"
                + "\nuser-space L4 relay, e.g. haproxy TCP mode (modelled): " + modelledUserSpaceRelaySockets
                + " sockets (2 per client connection)"
                + "\nforwarded: " + connections + " connections, " + inBytes + " bytes in, " + outBytes + " bytes out (measured); "
                + modelledInPackets + " packets in, " + modelledOutPackets + " packets out (modelled"
                + ("dr".equals(mode) ? "; DR replies bypass the director, only the client's packets pass it)" : ")");
    }
}
