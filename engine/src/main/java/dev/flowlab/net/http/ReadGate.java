package dev.flowlab.net.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Stops a client connection's reads for real. Turning auto-read off is not enough with an HTTP
 * codec and a body aggregator: both ask for another read themselves while a message is partly
 * decoded ({@code ByteToMessageDecoder} when a read gave no message, {@code MessageAggregator}
 * until the body is whole), and every message completed that way starts the next one, so a
 * client that pipelines large bodies is read to the end. Placed first in the pipeline, the gate
 * swallows those reads while closed and issues one when it opens again.
 */
public final class ReadGate extends ChannelDuplexHandler {
    private ChannelHandlerContext ctx;
    private boolean open = true;
    private boolean readWanted;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (open) {
            ctx.read();
        } else {
            readWanted = true;
        }
    }

    public boolean isOpen() {
        return open;
    }

    /** Reading on (auto-read, and a read now if one was held back) or off (no read reaches the socket). */
    public void reading(boolean on) {
        if (on == open) {
            return;
        }
        open = on;
        ctx.channel().config().setAutoRead(on);
        if (on && readWanted) {
            readWanted = false;
            ctx.read();
        }
    }
}
