package dev.flowlab.runtime;

import dev.flowlab.topology.Addresses;
import dev.flowlab.topology.NodeKind;
import dev.flowlab.topology.NodeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses each node's loopback address. Where the OS routes all of 127.0.0.0/8 to loopback
 * (Linux, Windows) every node gets an address of its own, one block per kind, so headers such as
 * X-Forwarded-For tell the hops apart and VIPs live on 127.0.10.x; elsewhere (macOS) everything
 * uses 127.0.0.1 with distinct ports. Ports are chosen by the OS unless a node fixes one.
 * Never an address outside loopback.
 */
public final class AddressPlan {
    private static final Map<NodeKind, Integer> BLOCK = new EnumMap<>(Map.of(
            NodeKind.DNS, 5, NodeKind.ROUTER, 8, NodeKind.LVS, 10, NodeKind.NGINX, 20, NodeKind.GATEWAY, 30,
            NodeKind.TOMCAT, 40, NodeKind.CLIENT, 100, NodeKind.EXTERNAL, 0));

    private final boolean distinct;
    private final Map<NodeKind, Integer> next = new EnumMap<>(NodeKind.class);

    public AddressPlan(boolean distinct) {
        this.distinct = distinct;
    }

    /** Distinct loopback addresses unless the OS lacks them or flowlab.loopback.distinct=false. */
    public static boolean distinctLoopbackSupported() {
        String forced = System.getProperty("flowlab.loopback.distinct");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        return !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    }

    /** The address a node binds: its fixed address if the file sets one (must be loopback), else the plan's. */
    public synchronized InetSocketAddress assign(NodeSpec node) {
        if (node.address() != null && !node.address().isBlank()) {
            return Addresses.parseLoopback(node.id(), node.address());
        }
        return new InetSocketAddress(host(node.kind()), 0);
    }

    private InetAddress host(NodeKind kind) {
        int block = BLOCK.getOrDefault(kind, 0);
        if (!distinct || block == 0) {
            return loopback(127, 0, 0, 1);
        }
        int n = next.merge(kind, 1, Integer::sum);
        return loopback(127, 0, block + (n - 1) / 250, 1 + (n - 1) % 250);
    }

    private static InetAddress loopback(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
