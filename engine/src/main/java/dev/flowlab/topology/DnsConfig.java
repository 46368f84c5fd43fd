package dev.flowlab.topology;

/** UDP DNS server, authoritative for the lab's zone (issue: LVS and DNS tiers). Its settings arrive with that tier. */
public record DnsConfig() implements NodeConfig {

    public static final DnsConfig EMPTY = new DnsConfig();

    @Override
    public NodeKind kind() {
        return NodeKind.DNS;
    }
}
