package dev.flowlab.tier.tomcat;

import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.socket.SocketChannel;

/** Placeholder: the Tomcat tier is being built. */
public final class TomcatServer extends TcpServerNode {
    public TomcatServer(NodeContext context) {
        super(context);
    }

    @Override
    protected void initChild(SocketChannel ch) {
        ch.close();
    }
}
