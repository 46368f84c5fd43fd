package dev.flowlab.net.rpc;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame that breaks the protocol (bad magic, version, type, length or field): the connection is closed. */
public final class RpcProtocolException extends CorruptedFrameException {
    public RpcProtocolException(String message) {
        super(message);
    }
}
