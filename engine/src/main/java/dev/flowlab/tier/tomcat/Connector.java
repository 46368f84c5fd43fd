package dev.flowlab.tier.tomcat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.net.rpc.RpcTap;
import io.netty.util.AsciiString;

/**
 * One life of the node's connector, from a start to a stop or kill: settings, worker pool,
 * acceptor limit and the drain flag. A restart makes a new one, so timers and closes of the old
 * connections, which may still run after a kill, can only touch the old state.
 */
final class Connector {
    final NodeContext context;
    final TomcatSettings settings;
    final WorkerPool workers;
    final ConnectionLimiter limiter;
    final ShopApplication application;
    final AsciiString servedBy;
    /**
     * Tomcat's {@code Keep-Alive} response value, {@code timeout=} keepAliveTimeout in whole seconds
     * (rounded down, as Tomcat does); null when there is no keep-alive timeout (Tomcat sends none).
     */
    final AsciiString keepAliveHeader;
    /** Captures the RPC frames of watched traces on this connector's connections. */
    final RpcTap rpcTap;
    private volatile boolean draining;

    Connector(NodeContext context, TomcatSettings settings, ShopApplication application) {
        this.context = context;
        this.settings = settings;
        this.workers = new WorkerPool(settings.maxThreads(), settings.maxConnections());
        this.limiter = new ConnectionLimiter(settings.maxConnections(), () -> {
            context.metrics().error("max_connections");
            context.emit(EventType.REJECTED, new Fact.Failure("max_connections", "cause=max_connections: acceptor paused at maxConnections "
                    + settings.maxConnections() + "; new connections wait in the backlog (acceptCount "
                    + settings.acceptCount() + ")"));
        });
        this.application = application;
        this.servedBy = AsciiString.of(context.id());
        long keepAliveMillis = settings.keepAliveTimeoutNanos() / 1_000_000;
        this.keepAliveHeader = keepAliveMillis > 0 ? AsciiString.cached("timeout=" + keepAliveMillis / 1000) : null;
        this.rpcTap = new RpcTap(context);
        // This life's pool and acceptor are what the card's capacity line reads (a restart replaces them).
        context.metrics().gauge("busy_workers", workers::busy);
        context.metrics().gauge("max_threads", settings::maxThreads);
        context.metrics().gauge("waiting_for_worker", workers::queued);
        context.metrics().gauge("connections", limiter::connections);
        context.metrics().gauge("max_connections", settings::maxConnections);
    }

    boolean isDraining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
