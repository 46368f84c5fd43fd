package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The lab's authoritative DNS server (UDP and TCP on one port): the zone it answers for, the A
 * record set of the site's name (by default the VIPs of the LVS nodes it links to), the order
 * in which it returns them (BIND's rrset-order), their TTL, and whether a VIP whose director is
 * down leaves the answer. Like nsd and BIND it keeps the records' order unless told to rotate
 * them, and answers every VIP whatever its director's state unless {@code healthAware} (a GSLB's
 * or a health-checked DNS service's job, not a plain authoritative server's).
 */
@JsonPropertyOrder({"zone", "name", "ttl", "rrsetOrder", "healthAware", "addresses", "tcp"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DnsConfig(
        @Param(def = "taobao.lab", doc = "The zone this server is authoritative for: unknown names in it get NXDOMAIN, "
                + "names outside it REFUSED")
        String zone,
        @Param(def = "www.taobao.lab", doc = "The name whose A records are the site's VIPs")
        String name,
        @Param(def = "60", unit = "seconds", min = 0, max = 2_147_483_647,
                doc = "TTL of the A records: resolvers (and the lab's client) keep an answer this long")
        Integer ttl,
        @Param(def = "fixed", oneOf = {"fixed", "cyclic", "random"},
                doc = "BIND's rrset-order: fixed keeps the configured order on every answer (the default of a plain "
                        + "authoritative server: nsd's round-robin: no), cyclic rotates the records by one per query "
                        + "(nsd's round-robin: yes; what spreads clients over several VIPs), random shuffles them")
        String rrsetOrder,
        @Param(def = "false", doc = "Leave out a VIP whose LVS node is not running (if all are down, answer them all, as "
                + "health-checked DNS fails open). A plain authoritative server (nsd, BIND) never does this by itself: "
                + "it is what a GSLB or a health-checked DNS service adds")
        Boolean healthAware,
        @Param(doc = "A record addresses (IPv4); unset: the addresses of the nodes this server links to")
        List<String> addresses,
        @Param(def = "true", doc = "Also answer over TCP on the same port (dig +tcp, truncated answers)")
        Boolean tcp) implements NodeConfig {

    public static final DnsConfig EMPTY = new DnsConfig(null, null, null, null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.DNS;
    }

    public DnsConfig withTtl(Integer value) {
        return new DnsConfig(zone, name, value, rrsetOrder, healthAware, addresses, tcp);
    }

    public DnsConfig withRrsetOrder(String value) {
        return new DnsConfig(zone, name, ttl, value, healthAware, addresses, tcp);
    }

    public DnsConfig withHealthAware(Boolean value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, value, addresses, tcp);
    }
}
