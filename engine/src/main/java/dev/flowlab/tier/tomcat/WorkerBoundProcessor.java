package dev.flowlab.tier.tomcat;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import dev.flowlab.runtime.NodeContext;
import dev.flowlab.runtime.TcpServerNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both of a Tomcat connector's processors (HTTP/1.1 and the gateway's RPC) do between a request
 * read and the application: take a worker from the connector's pool, or wait in its accept queue,
 * or answer 503 when the queue is full (Tomcat's {@code maxThreads} and {@code acceptCount}); then
 * hold the worker for the service time and call {@link #finishService} on the connection's loop.
 * Both go through the same phases ({@link Phase}); each says whether its request still waits for the worker.
 */
abstract class WorkerBoundProcessor extends ChannelInboundHandlerAdapter implements WorkerPool.Waiter {
    private static final Logger log = LoggerFactory.getLogger(WorkerBoundProcessor.class);

    /**
     * Where a connection's current request is: waiting for it (an RPC call is a request too),
     * reading its body (HTTP only), queued for a worker, in service, closing after the response,
     * closed.
     */
    enum Phase { AWAITING_REQUEST, READING_BODY, QUEUED, IN_SERVICE, CLOSING, CLOSED }

    protected Phase phase = Phase.AWAITING_REQUEST;

    protected final Connector connector;
    protected final NodeContext context;
    protected ChannelHandlerContext ctx;
    /** The running service time: cancelled when the connection closes under it. */
    protected ScheduledFuture<?> serviceTimer;
    private String peer;
    /** The trace id of the request waiting for a worker when it is watched, else null; and when it was dispatched. */
    private String explainedTrace;
    private long dispatchedNanos;

    WorkerBoundProcessor(Connector connector) {
        this.connector = connector;
        this.context = connector.context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The request read is ready for the application: a worker now, a place in the queue, or 503. */
    protected final void dispatch(String traceId) {
        // A watched request reports its worker, queue wait and service time (WORKER_ASSIGNED); others pay one volatile read.
        explainedTrace = context.events().traceMarks().watched(traceId) ? traceId : null;
        dispatchedNanos = explainedTrace == null ? 0 : System.nanoTime();
        int r = connector.workers.acquireOrEnqueue(this);
        if (r == WorkerPool.GRANTED) {
            startService();
        } else if (r > 0) {
            queued();
            if (context.events().hasSubscribers()) {
                context.emit(EventType.REQUEST_QUEUED, peer(), traceId, 0, 0, new Fact.Queued(r));
            }
        } else {
            context.metrics().error("queue_full");
            if (context.events().hasSubscribers()) {
                context.emit(EventType.REJECTED, peer(), traceId, 503, 0, new Fact.Failure("queue_full", null));
            }
            rejectQueueFull(ShopApplication.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no worker available"));
        }
    }

    @Override
    public final void workerGranted() {
        try {
            ctx.executor().execute(this::startService);
        } catch (RejectedExecutionException e) {
            // the lab is shutting down: nobody waits for this permit any more
            log.debug("{}: worker granted after shutdown", context.id());
        }
    }

    /** Runs on this connection's loop with a worker permit held. */
    private void startService() {
        if (!awaitingWorker()) {
            // the connection closed while the permit was on its way
            connector.workers.release();
            return;
        }
        inService();
        ServiceTimeModel model = connector.settings.serviceTime();
        ScheduledFuture<?> pending;
        if (explainedTrace != null) {
            long delay = model.nextDelayNanos();
            WorkerPool pool = connector.workers;
            context.emit(EventType.WORKER_ASSIGNED, peer(), explainedTrace, 0, System.nanoTime() - dispatchedNanos,
                    new Fact.WorkerServed(pool.busy(), pool.maxThreads(), pool.queued(), System.nanoTime() - dispatchedNanos,
                            delay, model.describe(), model.cpuBurnNanos()));
            explainedTrace = null;
            pending = model.serve(ctx.executor(), this::finishService, delay);
        } else {
            pending = model.serve(ctx.executor(), this::finishService);
        }
        // Assigned only when pending: an inline finish may already have armed the next request's timer.
        if (pending != null) {
            serviceTimer = pending;
        }
    }

    /** Whether the current request still waits for a worker (not closed meanwhile). */
    protected abstract boolean awaitingWorker();

    /** The request waits in the accept queue. */
    private void queued() {
        phase = Phase.QUEUED;
    }

    /** The request holds a worker from now until {@link #finishService}. */
    private void inService() {
        phase = Phase.IN_SERVICE;
    }

    /**
     * The connection closed: the phase becomes CLOSED, the running service time is cancelled, and
     * what the request held of the pool goes back (its place in the queue, or its worker). Returns
     * the phase it was in.
     */
    protected final Phase closed() {
        Phase was = phase;
        phase = Phase.CLOSED;
        if (serviceTimer != null) {
            serviceTimer.cancel(false);
            serviceTimer = null;
        }
        if (was == Phase.QUEUED) {
            // when cancel fails the permit is already on its way; startService gives it back
            connector.workers.cancel(this);
        } else if (was == Phase.IN_SERVICE) {
            connector.workers.release();
        }
        return was;
    }

    /** The service time is over: call the application, answer, release the worker. */
    protected abstract void finishService();

    /** The accept queue is full: answer with {@code busy} (already counted and reported). */
    protected abstract void rejectQueueFull(AppResponse busy);

    /** The client's address, as events name it. */
    protected final String peer() {
        if (peer == null) {
            Object remote = ctx.channel().remoteAddress();
            peer = remote instanceof InetSocketAddress a ? TcpServerNode.hostPort(a) : String.valueOf(remote);
        }
        return peer;
    }
}
