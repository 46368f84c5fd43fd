package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One real server of an LVS virtual service (ipvsadm -a -r ... -w ... -x ... -y ...): a lab node
 * by id, or an address outside the lab (NAT only). {@code port} differs from the node's only in
 * NAT (DR keeps the VIP's port).
 */
@JsonPropertyOrder({"node", "address", "port", "weight", "upperThreshold", "lowerThreshold"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerSpec(
        @Param(doc = "The lab node serving as this real server", refersTo = Param.NODE) String node,
        @Param(doc = "host:port of a server outside the lab (instead of node; NAT only)") String address,
        @Param(def = "", unit = "port", min = 1, max = 65535, doc = "NAT only: the real server's port when it differs from the node's")
        Integer port,
        @Param(def = "1", min = 0, max = 65535, doc = "ipvsadm -w: weight; 0 quiesces (no new connections, existing ones stay)")
        Integer weight,
        @Param(def = "0", unit = "connections", min = 0, max = 1_000_000,
                doc = "ipvsadm -x: upper connection threshold, 0 = none; at it the server is overloaded and skipped")
        Integer upperThreshold,
        @Param(def = "0", unit = "connections", min = 0, max = 1_000_000,
                doc = "ipvsadm -y: lower threshold at which an overloaded server takes connections again (0: 3/4 of upper)")
        Integer lowerThreshold) {

    public static RealServerSpec node(String id, int weight) {
        return new RealServerSpec(id, null, null, weight, null, null);
    }

    /** The node id, or the address for an outside server: how events and reports name it. */
    public String name() {
        return node != null ? node : address;
    }
}
