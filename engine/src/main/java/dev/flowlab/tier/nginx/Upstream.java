package dev.flowlab.tier.nginx;

import dev.flowlab.topology.Addresses;
import dev.flowlab.balance.Algorithm;
import dev.flowlab.balance.Peer;
import dev.flowlab.balance.PeerGroup;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.net.proxy.KeepalivePool;
import dev.flowlab.topology.NginxConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A running upstream block: its peers and balancer, its keepalive cache, and where each server is. */
final class Upstream {
    private final String name;
    private final PeerGroup group;
    private final KeepalivePool pool;
    private final String hashKey;
    private final Map<String, NginxConfig.Server> servers = new HashMap<>();
    private final NodeContext context;

    Upstream(String name, PeerGroup group, KeepalivePool pool, String hashKey, List<NginxConfig.Server> servers, NodeContext context) {
        this.name = name;
        this.group = group;
        this.pool = pool;
        this.hashKey = hashKey;
        this.context = context;
        this.proxyHost = name;
        for (NginxConfig.Server s : servers) {
            this.servers.put(s.displayName(), s);
        }
    }

    String name() {
        return name;
    }

    /** nginx's $proxy_host for a proxy_pass to this block: its name, or host:port for a single server named directly. */
    String proxyHost() {
        return proxyHost;
    }

    /** A proxy_pass straight to one server (no upstream block): $proxy_host is its host:port, as the exported nginx.conf writes it. */
    Upstream withProxyHost(String value) {
        proxyHost = value;
        return this;
    }

    private String proxyHost;

    /** Null when the block has no server at all (every request: "no live upstreams"). */
    PeerGroup group() {
        return group;
    }

    KeepalivePool pool() {
        return pool;
    }

    String hashKey() {
        return hashKey;
    }

    Algorithm algorithm() {
        return group == null ? Algorithm.ROUND_ROBIN : group.algorithm();
    }

    /** A lab node's current address (it may have restarted), or a fixed host:port; null when unknown. */
    InetSocketAddress addressOf(Peer peer) {
        NginxConfig.Server s = servers.get(peer.name());
        if (s == null) {
            return null;
        }
        if (s.node() != null) {
            return context.addressOf(s.node());
        }
        return Addresses.parseLoopbackOrAny(s.address());
    }
}
