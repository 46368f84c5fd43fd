package dev.flowlab.topology;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The "host:port" addresses a scenario file writes, parsed once for the validator, the runtime and the tiers. */
public final class Addresses {
    private Addresses() {
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

}
