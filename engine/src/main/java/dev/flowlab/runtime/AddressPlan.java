package dev.flowlab.runtime;

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
            return parseLoopback(node.id(), node.address());
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

    /** Parses "host:port" and insists on a loopback host. */
    public static InetSocketAddress parseLoopback(String nodeId, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("node " + nodeId + ": address '" + hostPort + "' is not host:port");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node " + nodeId + ": port in '" + hostPort + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("node " + nodeId + ": port " + port + " is out of range 0..65535");
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host.equals("localhost") ? "127.0.0.1" : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("node " + nodeId + ": host '" + host + "' is not an address");
        }
        if (!addr.isLoopbackAddress()) {
            throw new IllegalArgumentException("node " + nodeId + ": " + host + " is not a loopback address; the lab binds loopback only");
        }
        return new InetSocketAddress(addr, port);
    }

    /** Parses an external server's "host:port"; it may be any address (it is someone else's server). */
    public static InetSocketAddress parseLoopbackOrAny(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address '" + hostPort + "' is not host:port");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static InetAddress loopback(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
