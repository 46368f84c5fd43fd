package dev.flowlab.tier.tomcat;

import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import dev.flowlab.topology.TomcatConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import dev.flowlab.net.rpc.RpcFrameDecoder;
import dev.flowlab.net.rpc.RpcFrameEncoder;

/**
 * The Tomcat tier: a real HTTP/1.1 server with the NIO connector's model and attribute names
 * (shared/FIDELITY.md). {@code maxThreads} worker permits, a FIFO queue for requests beyond
 * them, {@code maxConnections} enforced by pausing the acceptor, {@code acceptCount} as the
 * listen backlog, connection and keep-alive timeouts, {@code maxKeepAliveRequests}; the demo
 * shop ({@link ShopApplication}) as the deployed application.
 *
 * <p>One port speaks HTTP/1.1 and the lab RPC protocol (the gateway's backend protocol): a
 * {@link ProtocolDetector} looks at the first bytes and installs one pipeline or the other.
 * HTTP pipeline: {@value #CODEC} (HTTP/1.1 codec with Tomcat's 8 KB
 * header limit), {@value #FLOW_CONTROL} (one decoded message per read), {@value #PROCESSOR}.
 */
public final class TomcatServer extends TcpServerNode {
    static final String CODEC = "http-codec";
    static final String FLOW_CONTROL = "flow-control";
    static final String PROCESSOR = "http11-processor";
    static final String RPC_DECODER = "rpc-decoder";
    static final String RPC_ENCODER = "rpc-encoder";
    static final String RPC_PROCESSOR = "rpc-processor";

    private final TomcatSettings settings;
    private final ShopApplication application;
    private volatile Connector connector;

    public TomcatServer(NodeContext context) {
        super(context);
        this.settings = TomcatSettings.from(context.spec().configAs(TomcatConfig.class), context.siteRoot());
        this.application = new ShopApplication(context.id(), new StaticResources(settings.docBase()));
        this.connector = new Connector(context, settings, application);
    }

    @Override
    protected int backlog() {
        return settings.acceptCount();
    }

    @Override
    protected void onBound(Channel listener) {
        connector.limiter.install(listener);
    }

    @Override
    protected void initChild(SocketChannel ch) {
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(ProtocolDetector.NAME, new ProtocolDetector(this, connector));
    }

    /** The HTTP/1.1 pipeline, after the protocol detector. */
    void installHttp(ChannelPipeline p, String after, Connector c) {
        p.addAfter(after, PROCESSOR, new Http11Processor(c));
        p.addAfter(after, FLOW_CONTROL, new FlowControlHandler());
        p.addAfter(after, CODEC, new HttpServerCodec(decoderConfig(), Integer.MAX_VALUE));
    }

    /** The RPC pipeline (the gateway's backend protocol), after the protocol detector. */
    void installRpc(ChannelPipeline p, String after, Connector c) {
        p.addAfter(after, RPC_PROCESSOR, new RpcProcessor(c));
        p.addAfter(after, RPC_ENCODER, RpcFrameEncoder.INSTANCE);
        // Tomcat's connectionTimeout, given to a whole frame from its first byte: a trickled frame is dropped
        p.addAfter(after, RPC_DECODER, new RpcFrameDecoder(c.rpcTap, c.settings.connectionTimeoutNanos(), (waited, held) -> {
            c.context.metrics().error("rpc_frame_timeout");
            if (c.context.events().hasSubscribers()) {
                c.context.emit(dev.flowlab.event.EventType.TIMEOUT, null, null, 0, waited,
                        new dev.flowlab.event.Fact.Failure("rpc_frame_timeout",
                        "RPC frame incomplete after connectionTimeout (" + held + " bytes held): connection closed"));
            }
        }));
    }

    static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(TomcatSettings.MAX_HTTP_HEADER_SIZE)
                .setMaxHeaderSize(TomcatSettings.MAX_HTTP_HEADER_SIZE)
                .setMaxChunkSize(8192)
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false));
    }

    @Override
    protected void onDrain() {
        Connector c = connector;
        c.startDraining();
        for (Channel ch : connections) {
            Http11Processor processor = ch.pipeline().get(Http11Processor.class);
            if (processor != null) {
                ch.eventLoop().execute(processor::drain);
            }
            RpcProcessor rpc = ch.pipeline().get(RpcProcessor.class);
            if (rpc != null) {
                ch.eventLoop().execute(rpc::drain);
            }
        }
    }

    @Override
    protected void onStopped() {
        // The old connections' closes and timers may still run: they keep the old connector.
        connector = new Connector(context, settings, application);
    }

    /** Requests holding a worker right now (at most maxThreads). */
    public int busyWorkers() {
        return connector.workers.busy();
    }

    /** Requests waiting for a worker right now. */
    public int queuedRequests() {
        return connector.workers.queued();
    }

    /** The most requests in service at once since this start (a high-water mark for tests and the UI). */
    public int peakBusyWorkers() {
        return connector.workers.peakBusy();
    }

    /** The longest the worker queue has been since this start. */
    public int peakQueuedRequests() {
        return connector.workers.peakQueued();
    }

    /** Connections the connector holds now (counted against maxConnections). */
    public int connectorConnections() {
        return connector.limiter.connections();
    }

    /** True while the acceptor is stopped because maxConnections is reached. */
    public boolean acceptorPaused() {
        return connector.limiter.isPaused();
    }

    /** The effective maxThreads. */
    public int maxThreads() {
        return settings.maxThreads();
    }
}
