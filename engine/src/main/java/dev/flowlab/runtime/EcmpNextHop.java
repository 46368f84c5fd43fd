package dev.flowlab.runtime;

import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * A layer-4 balancer a router can send flows to as one of its equal-cost next hops (ECMP). The
 * router accepts the client's connection on the service address; for the flow's first packet
 * it calls {@link #acceptFlow}, and the balancer, as in direct routing, picks a backend, enters
 * the flow in its own connection-tracking table and hands the connection to that backend. For
 * every later packet the router asks the next hop its hash picks <em>now</em> ({@link
 * #forward}): the balancer that scheduled the flow, or after a re-hash another one that has
 * never seen it.
 */
public interface EcmpNextHop {
    /** What a balancer does with one packet of a flow. */
    enum Verdict {
        /** Forwarded to the backend that holds the connection. */
        FORWARD,
        /** The balancer is not running: the packet is lost (the client retransmits). */
        DROP,
        /** The packet ends in a reset: no entry and no scheduling mid-flow, or a backend that does not know the connection. */
        RESET
    }

    /**
     * The first packet of a new flow (its SYN), via {@code router}: schedules it, enters it in
     * the table and hands the channel to the backend. Returns the backend's id, or null when the
     * balancer refused the flow (it has reset the channel). Called on the channel's event loop.
     */
    String acceptFlow(SocketChannel ch, String router);

    /**
     * A later packet of the flow from {@code client}, {@code bytes} long, whose connection the
     * backend {@code backend} holds. A balancer with no entry for it schedules it again where it
     * may (Maglev, IPVS with sloppy_tcp) and forwards it if that is the same backend.
     */
    Verdict forward(InetSocketAddress client, String backend, long bytes);

    /** The flow closed (its FIN or RST passed this balancer). */
    void flowClosed(InetSocketAddress client, boolean reset);

    /** Whether the balancer is running (what the router's BFD session sees). */
    boolean isUp();

    /** Moved flows that reached this balancer with no entry and kept their connection (same backend picked). */
    long flowsSurvived();

    /** Moved flows this balancer had to reset. */
    long flowsBroken();
}
