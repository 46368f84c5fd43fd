package dev.flowlab.net.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client connection's read timeouts, as nginx applies them (ngx_http_request.c):
 * <ul>
 *   <li>{@code client_header_timeout}: the whole request header must arrive within it, counted
 *       from the request's first byte (a byte every few seconds does not restart it: slowloris);
 *       a new connection must send its first request within it too;</li>
 *   <li>{@code client_body_timeout}: only between two successive reads of the body;</li>
 *   <li>{@code keepalive_timeout}: an idle connection between requests.</li>
 * </ul>
 * While a request is being answered none applies (the upstream's timeouts do). On expiry the
 * connection is closed without a response (nginx logs 408 and closes). Two handlers: {@link
 * #bytes()} before the HTTP codec sees every read, {@link #messages()} after it sees where a
 * request's head and end are. One timer per connection, re-armed lazily.
 */
public final class ClientTimeouts {
    /** What the connection was doing when a timeout fired. */
    public enum Phase { FIRST_REQUEST, HEADER, BODY, KEEPALIVE }

    /** Told when a timeout closes the connection. */
    public interface Expired {
        void expired(Phase phase, long idleNanos);
    }

    private final long headerNanos;
    private final long bodyNanos;
    private final long keepaliveNanos;
    private final Expired expired;
    private Channel channel;
    private Phase phase = Phase.FIRST_REQUEST;
    private long phaseStart;
    private long lastRead;
    private boolean busy;
    private ScheduledFuture<?> timer;

    public ClientTimeouts(long headerNanos, long bodyNanos, long keepaliveNanos, Expired expired) {
        this.headerNanos = headerNanos;
        this.bodyNanos = bodyNanos;
        this.keepaliveNanos = keepaliveNanos;
        this.expired = expired;
    }

    /** Before the codec: every read. */
    public ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                channel = ctx.channel();
                phaseStart = lastRead = System.nanoTime();
                arm(headerNanos);
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                long now = System.nanoTime();
                lastRead = now;
                if (phase == Phase.KEEPALIVE || phase == Phase.FIRST_REQUEST) {
                    phase = Phase.HEADER;
                    phaseStart = now;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    /** After the codec: a request's head ends the header phase, its last part the body phase. */
    public ChannelHandler messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof LastHttpContent || (msg instanceof HttpRequest r && r.decoderResult().isFailure())) {
                    // a whole request (or one the codec gave up on): whatever follows is the next one's
                    phase = Phase.KEEPALIVE;
                    phaseStart = System.nanoTime();
                } else if (msg instanceof HttpRequest) {
                    phase = Phase.BODY;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /**
     * For a connection whose pipeline was rebuilt after it idled (the handlers from {@link
     * #bytes()} and {@link #messages()} added to a live channel, so no channelActive): the
     * keep-alive wait of {@code ch} ends now, with the read that woke it.
     */
    public void resume(Channel ch) {
        channel = ch;
        phase = Phase.KEEPALIVE;
        phaseStart = lastRead = System.nanoTime();
        arm(headerNanos);
    }

    /** The last message seen was a whole request (or one the codec gave up on), and none is answered now. */
    public boolean betweenRequests() {
        return phase == Phase.KEEPALIVE && !busy;
    }

    /** No timeout of this object runs any more (another keeps the connection's keep-alive wait). */
    public void stop() {
        cancel();
    }

    /** A request is being answered: no client timeout runs. */
    public void busy() {
        busy = true;
    }

    /** The request was answered: the keep-alive wait (or the next request's header) starts now. */
    public void idle() {
        busy = false;
        long now = System.nanoTime();
        if (phase == Phase.KEEPALIVE) {
            phaseStart = now;
        }
        long limit = limitOf(phase);
        // a pending timer that fires no later than needed can stay: no cancel and re-schedule per request
        if (timer == null || timer.isDone() || timer.getDelay(TimeUnit.NANOSECONDS) > limit) {
            arm(limit);
        }
    }

    private long limitOf(Phase p) {
        return switch (p) {
            case FIRST_REQUEST, HEADER -> headerNanos;
            case BODY -> bodyNanos;
            case KEEPALIVE -> keepaliveNanos;
        };
    }

    private void arm(long nanos) {
        cancel();
        if (nanos > 0 && channel != null) {
            timer = channel.eventLoop().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (!channel.isActive()) {
            return;
        }
        if (busy) {
            // a client waiting for its answer is not idle; look again later
            arm(Math.max(limitOf(Phase.KEEPALIVE), limitOf(Phase.HEADER)));
            return;
        }
        long limit = limitOf(phase);
        if (limit <= 0) {
            return;
        }
        long since = phase == Phase.BODY ? lastRead : phaseStart;
        long waited = System.nanoTime() - since;
        if (waited < limit) {
            arm(limit - waited);
            return;
        }
        expired.expired(phase, waited);
        channel.close();
    }
}
