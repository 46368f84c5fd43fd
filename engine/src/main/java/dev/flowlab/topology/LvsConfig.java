package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * The layer-4 director, with ipvsadm's options and defaults (shared/FIDELITY.md): a forwarding
 * method (-g direct routing, ipvsadm's default, or -m masquerading/NAT), a scheduler (-s, wlc by
 * default), persistence (-p, 300 s), the connection table's timeouts (--set tcp tcpfin), and
 * keepalived's real-server health check.
 */
@JsonPropertyOrder({"mode", "scheduler", "persistent", "persistenceTimeout", "realServers", "tcpTimeout",
        "tcpFinTimeout", "mhTableSize", "mhPort", "sloppyTcp", "maxConnectionEntries", "healthCheck"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsConfig(
        @Param(def = "dr", oneOf = {"dr", "nat"},
                doc = "Forwarding method: dr = direct routing (ipvsadm -g, its default): the director hands the connection "
                        + "over and replies bypass it; nat = masquerading (ipvsadm -m): the director relays both directions")
        String mode,
        @Param(def = "wlc", oneOf = {"rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "mh"},
                doc = "ipvsadm -s: the scheduling algorithm for new connections (wlc is IPVS's default)")
        String scheduler,
        @Param(def = "false", doc = "ipvsadm -p: a client's connections go to the same real server while its template lives")
        Boolean persistent,
        @Param(def = "300s", unit = "duration", min = 0, doc = "ipvsadm -p timeout: how long a client's template outlives its last connection")
        Duration persistenceTimeout,
        @Param(doc = "The real servers (ipvsadm -a -r); unset: the nodes this director links to, weight 1")
        List<RealServerSpec> realServers,
        @Param(def = "900s", unit = "duration", min = 0, doc = "ipvsadm --set tcp: an idle ESTABLISHED connection's table entry expires after this")
        Duration tcpTimeout,
        @Param(def = "120s", unit = "duration", min = 0, doc = "ipvsadm --set tcpfin: a FIN_WAIT entry expires after this")
        Duration tcpFinTimeout,
        @Param(def = "4093", unit = "slots", min = 3, max = 1_000_003,
                doc = "mh scheduler: Maglev lookup table size, a prime (IPVS's default 4093; Envoy uses 65537)")
        Integer mhTableSize,
        @Param(def = "false", doc = "mh scheduler: ipvsadm --sched-flags mh-port: hash the client's port with its address "
                + "(the flow's 5-tuple, as Maglev does) instead of the address alone")
        Boolean mhPort,
        @Param(def = "false", doc = "sysctl net.ipv4.vs.sloppy_tcp: schedule a connection from any packet, not only a SYN, "
                + "so a flow moved here mid-connection (from another director, by ECMP) is forwarded instead of reset; "
                + "a Maglev balancer always does this")
        Boolean sloppyTcp,
        @Param(def = "262144", unit = "entries", min = 1, max = 16_777_216,
                doc = "The lab's bound on the connection table (the kernel's is memory: ~128 bytes an entry); when full, "
                        + "the oldest closing entry is dropped, and with none, the new connection is refused")
        Integer maxConnectionEntries,
        @Param(doc = "keepalived's real-server check (TCP_CHECK or HTTP_GET), with its defaults")
        HealthCheck healthCheck) implements NodeConfig {

    public static final LvsConfig EMPTY = new LvsConfig(null, null, null, null, null, null, null, null, null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.LVS;
    }

    /** The real servers when {@code realServers} is unset or empty: the linked nodes, each with ipvsadm's default weight 1. */
    public static List<RealServerSpec> defaultRealServers(List<String> linkedNodes) {
        return linkedNodes.stream().map(id -> new RealServerSpec(id, null, null, null, null, null)).toList();
    }

    public static LvsConfig of(String mode, String scheduler) {
        return EMPTY.withMode(mode).withScheduler(scheduler);
    }

    public LvsConfig withMode(String value) {
        return new LvsConfig(value, scheduler, persistent, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withScheduler(String value) {
        return new LvsConfig(mode, value, persistent, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withPersistent(Boolean value) {
        return new LvsConfig(mode, scheduler, value, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withRealServers(List<RealServerSpec> value) {
        return new LvsConfig(mode, scheduler, persistent, persistenceTimeout, value, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withTimeouts(Duration tcp, Duration tcpFin) {
        return new LvsConfig(mode, scheduler, persistent, persistenceTimeout, realServers, tcp, tcpFin,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withMaxConnectionEntries(Integer value) {
        return new LvsConfig(mode, scheduler, persistent, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, value, healthCheck);
    }

    /** A Maglev balancer's settings: mh over the 5-tuple (mh-port), a prime table of {@code tableSize}, sloppy_tcp on. */
    public LvsConfig withMaglev(int tableSize) {
        return new LvsConfig(mode, "mh", persistent, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                tableSize, true, true, maxConnectionEntries, healthCheck);
    }

    public LvsConfig withHealthCheck(HealthCheck value) {
        return new LvsConfig(mode, scheduler, persistent, persistenceTimeout, realServers, tcpTimeout, tcpFinTimeout,
                mhTableSize, mhPort, sloppyTcp, maxConnectionEntries, value);
    }
}
