package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * The lab's authoritative DNS server, UDP and TCP on one port, measured against nsd 4.6: a real
 * zone (SOA and NS at the apex, the name server's own A record {@code ns1.<zone>}, the site's name
 * with the A record set, by default the VIPs of the LVS nodes it links to), EDNS0, compressed
 * names, truncation to the client's UDP size (TC: the client retries over TCP), AXFR refused.
 * Like nsd and BIND it keeps the records' order unless told to rotate them, and it answers every
 * VIP whatever its director's state unless {@code healthAware} (a GSLB's or a health-checked DNS
 * service's job, not a plain authoritative server's).
 */
@JsonPropertyOrder({"zone", "name", "ttl", "rrsetOrder", "healthAware", "addresses", "tcp", "maxUdpSize", "tcpTimeout",
        "tcpCount", "version", "hideVersion"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DnsConfig(
        @Param(def = "taobao.lab", doc = "The zone this server is authoritative for (SOA and NS ns1.<zone> at its apex, "
                + "ns1's A record the server's own address): unknown names in it get NXDOMAIN with the SOA, names outside "
                + "it REFUSED")
        String zone,
        @Param(def = "www.taobao.lab", doc = "The name whose A records are the site's VIPs")
        String name,
        @Param(def = "60", unit = "seconds", min = 0, max = 2_147_483_647,
                doc = "TTL of every record of the zone and the SOA's minimum (how long a resolver caches an NXDOMAIN): "
                        + "resolvers (and the lab's client) keep an answer this long")
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
        @Param(def = "true", doc = "Also answer over TCP on the same port (dig +tcp, and the retry after a truncated "
                + "UDP answer)")
        Boolean tcp,
        @Param(def = "1232", unit = "bytes", min = 512, max = 65_535,
                doc = "The largest UDP answer, and the size this server puts in its EDNS OPT record (nsd's "
                        + "ipv4-edns-size, BIND's max-udp-size; both 1232). A client without EDNS gets at most 512 bytes; "
                        + "a larger answer comes back empty with TC set, and the client asks again over TCP")
        Integer maxUdpSize,
        @Param(def = "120s", unit = "duration", min = 0,
                doc = "nsd's tcp-timeout: an idle TCP connection is closed after this")
        Duration tcpTimeout,
        @Param(def = "100", unit = "connections", min = 1, max = 100_000,
                doc = "nsd's tcp-count: open TCP connections at most; past it the server stops accepting (new "
                        + "connections wait in the listen backlog) until one closes")
        Integer tcpCount,
        @Param(def = "Request Flow Lab DNS", doc = "nsd's version: the TXT answer to the CHAOS queries version.bind and "
                + "version.server (nsd answers them by default, with its own version)")
        String version,
        @Param(def = "false", doc = "nsd's hide-version: refuse the CHAOS version.bind and version.server queries")
        Boolean hideVersion) implements NodeConfig {

    public static final DnsConfig EMPTY = new DnsConfig(null, null, null, null, null, null, null, null, null, null, null,
            null);

    @Override
    public NodeKind kind() {
        return NodeKind.DNS;
    }

    public DnsConfig withTtl(Integer value) {
        return new DnsConfig(zone, name, value, rrsetOrder, healthAware, addresses, tcp, maxUdpSize, tcpTimeout, tcpCount,
                version, hideVersion);
    }

    public DnsConfig withRrsetOrder(String value) {
        return new DnsConfig(zone, name, ttl, value, healthAware, addresses, tcp, maxUdpSize, tcpTimeout, tcpCount,
                version, hideVersion);
    }

    public DnsConfig withHealthAware(Boolean value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, value, addresses, tcp, maxUdpSize, tcpTimeout, tcpCount,
                version, hideVersion);
    }

    public DnsConfig withAddresses(List<String> value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, healthAware, value, tcp, maxUdpSize, tcpTimeout, tcpCount,
                version, hideVersion);
    }

    public DnsConfig withTcpTimeout(Duration value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, healthAware, addresses, tcp, maxUdpSize, value, tcpCount,
                version, hideVersion);
    }

    public DnsConfig withTcpCount(Integer value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, healthAware, addresses, tcp, maxUdpSize, tcpTimeout, value,
                version, hideVersion);
    }

    public DnsConfig withHideVersion(Boolean value) {
        return new DnsConfig(zone, name, ttl, rrsetOrder, healthAware, addresses, tcp, maxUdpSize, tcpTimeout, tcpCount,
                version, value);
    }
}
