package dev.flowlab.runtime;

import io.netty.channel.socket.SocketChannel;

/**
 * A node that can take over a connection another node accepted, as LVS direct routing needs:
 * the director picks the real server, then the real server's own pipeline serves the
 * connection and the director keeps no socket. Within the lab's one event loop group the
 * channel stays on its loop; only its handlers change.
 */
public interface ChannelAdopter {
    /** Called on the channel's event loop, before the channel is active. */
    void adopt(SocketChannel ch);
}
