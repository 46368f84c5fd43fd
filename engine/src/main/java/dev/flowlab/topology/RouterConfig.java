package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * A router in front of a fleet of layer-4 balancers: the balancers it links to are equal-cost
 * next hops for the service address (ECMP), each flow goes to one of them by a hash of its
 * 5-tuple, and the router keeps no connection state. How it notices a dead next hop is BFD
 * (RFC 5880): control packets every {@code bfdInterval}, the session down after
 * {@code bfdMultiplier} missed ones.
 */
@JsonPropertyOrder({"ecmp", "buckets", "bfdInterval", "bfdMultiplier"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouterConfig(
        @Param(def = "hash-threshold", oneOf = {"hash-threshold", "modulo", "resilient"},
                doc = "How a flow's hash picks a next hop: hash-threshold (RFC 2992, Linux's multipath routes): the hash "
                        + "space cut into N equal ranges, so losing one next hop moves some flows of the others too; "
                        + "modulo: hash mod N, most flows move; resilient (Linux nexthop group type resilient, vendors' "
                        + "resilient ECMP): a table of buckets, only the lost next hop's buckets move")
        String ecmp,
        @Param(def = "128", unit = "buckets", min = 2, max = 65536,
                doc = "resilient only: the nexthop group's bucket count (ip nexthop add ... type resilient buckets N; 128 is iproute2's default)")
        Integer buckets,
        @Param(def = "300ms", unit = "duration", min = 0,
                doc = "BFD desired min TX/RX interval: how often the router and each balancer exchange control packets")
        Duration bfdInterval,
        @Param(def = "3", min = 1, max = 255,
                doc = "BFD detect multiplier: the session goes down, and the next hop leaves the ECMP group, after this many missed intervals")
        Integer bfdMultiplier) implements NodeConfig {

    public static final RouterConfig EMPTY = new RouterConfig(null, null, null, null);

    @Override
    public NodeKind kind() {
        return NodeKind.ROUTER;
    }

    public RouterConfig withEcmp(String value) {
        return new RouterConfig(value, buckets, bfdInterval, bfdMultiplier);
    }

    public RouterConfig withBfd(Duration interval, Integer multiplier) {
        return new RouterConfig(ecmp, buckets, interval, multiplier);
    }
}
