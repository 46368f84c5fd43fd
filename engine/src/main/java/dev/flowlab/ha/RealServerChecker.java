package dev.flowlab.ha;

import dev.flowlab.runtime.Transport;
import dev.flowlab.topology.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * keepalived's real-server checker (check_tcp.c, check_http.c) on the lab's event loops: no
 * thread per check, every step is a timer or a channel callback on the target's loop. Each
 * server starts UP (as keepalived assumes without {@code alpha}); every {@code delay_loop} it is
 * checked; a failed attempt is retried {@code retry} times, {@code delay_before_retry} apart;
 * when the last one fails too the server goes DOWN, and the first passing check brings it UP.
 * TCP_CHECK passes when the connection opens within {@code connect_timeout}; HTTP_GET sends
 * keepalived's request and compares the status line with {@code status_code}.
 */
public final class RealServerChecker {

    /** A server to check: its name, and where it is right now (null when it has never started). */
    public record Target(String name, Supplier<InetSocketAddress> address) {
    }

    /** Told of every check and every change; called on an event loop, keep it short. */
    public interface Listener {
        void checked(Target target, boolean ok, String detail, int attempt);

        void down(Target target, String why);

        void up(Target target);
    }

    private final EventLoopGroup group;
    private final InetSocketAddress source;
    private final HealthCheck check;
    private final Listener listener;
    private final List<Probe> probes = new ArrayList<>();
    private volatile boolean running;

    /** {@code check} must be effective (defaults applied); {@code source} is the local address checks come from. */
    public RealServerChecker(EventLoopGroup group, InetSocketAddress source, HealthCheck check, List<Target> targets,
                             Listener listener) {
        this.group = group;
        this.source = source;
        this.check = check;
        this.listener = listener;
        for (Target t : targets) {
            probes.add(new Probe(t));
        }
    }

    public boolean isEnabled() {
        return !"NONE".equals(check.type());
    }

    public synchronized void start() {
        if (running || !isEnabled()) {
            return;
        }
        running = true;
        for (Probe p : probes) {
            p.begin();
        }
    }

    public synchronized void stop() {
        running = false;
        for (Probe p : probes) {
            p.loop.execute(p::cancel);
        }
    }

    /** Whether the checker currently holds this server UP. */
    public boolean isUp(String name) {
        for (Probe p : probes) {
            if (p.target.name().equals(name)) {
                return p.up;
            }
        }
        return true;
    }

    /** One server's check cycle; every field is touched on {@link #loop} only. */
    private final class Probe {
        final Target target;
        final EventLoop loop = group.next();
        volatile boolean up = true;
        int attempt;
        ScheduledFuture<?> timer;
        Channel inFlight;
        long round;

        Probe(Target target) {
            this.target = target;
        }

        void begin() {
            loop.execute(() -> {
                up = true;
                attempt = 0;
                schedule(0);
            });
        }

        void cancel() {
            round++;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            if (inFlight != null) {
                inFlight.close();
                inFlight = null;
            }
        }

        void schedule(long delayNanos) {
            long myRound = round;
            timer = loop.schedule(() -> {
                if (running && myRound == round) {
                    attempt(myRound);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        }

        void attempt(long myRound) {
            InetSocketAddress to = target.address().get();
            if (to == null) {
                finish(myRound, false, "no address (never started)");
                return;
            }
            long timeoutMillis = Math.max(1, check.connectTimeout().toMillis());
            boolean http = "HTTP_GET".equals(check.type());
            StatusLineReader reader = http ? new StatusLineReader() : null;
            Bootstrap b = new Bootstrap().group(loop).channelFactory(Transport.clientChannels())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                    .handler(reader != null ? reader : new ChannelInboundHandlerAdapter());
            ChannelFuture f = source == null ? b.connect(to) : b.connect(to, source);
            inFlight = f.channel();
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                if (inFlight == f.channel()) {
                    f.channel().close();
                    finish(myRound, false, "timeout after " + timeoutMillis + " ms");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            f.addListener(done -> {
                if (inFlight != f.channel()) {
                    return;
                }
                if (!done.isSuccess()) {
                    deadline.cancel(false);
                    finish(myRound, false, "connect failed: " + describe(done.cause()));
                    return;
                }
                if (reader == null) {
                    deadline.cancel(false);
                    f.channel().close();
                    finish(myRound, true, "connected");
                    return;
                }
                reader.onStatus = status -> {
                    if (inFlight != f.channel()) {
                        return;
                    }
                    deadline.cancel(false);
                    f.channel().close();
                    boolean ok = status == check.statusCode();
                    finish(myRound, ok, status < 0 ? "no HTTP status line" : "HTTP " + status
                            + (ok ? "" : ", expected " + check.statusCode()));
                };
                String host = to.getAddress().getHostAddress() + ":" + to.getPort();
                // keepalived's own request line and headers (check_http.c).
                String request = "GET " + check.path() + " HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: " + host + "\r\n\r\n";
                f.channel().writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
            });
        }

        void finish(long myRound, boolean ok, String detail) {
            inFlight = null;
            if (myRound != round || !running) {
                return;
            }
            listener.checked(target, ok, detail, attempt);
            if (ok) {
                attempt = 0;
                if (!up) {
                    up = true;
                    listener.up(target);
                }
                schedule(check.delayLoop().toNanos());
                return;
            }
            if (attempt < check.retry()) {
                attempt++;
                schedule(check.delayBeforeRetry().toNanos());
                return;
            }
            attempt = 0;
            if (up) {
                up = false;
                listener.down(target, detail);
            }
            schedule(check.delayLoop().toNanos());
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** Reads up to the end of the status line, then reports the status code (or -1 if it is not HTTP). */
    private static final class StatusLineReader extends ChannelInboundHandlerAdapter {
        private final StringBuilder line = new StringBuilder();
        java.util.function.IntConsumer onStatus = s -> { };
        private boolean reported;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (reported || !(msg instanceof ByteBuf buf)) {
                    return;
                }
                while (buf.isReadable() && line.length() < 256) {
                    char c = (char) buf.readByte();
                    if (c == '\n') {
                        report(parse(line.toString().trim()));
                        return;
                    }
                    line.append(c);
                }
                if (line.length() >= 256) {
                    report(-1);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            report(parse(line.toString().trim()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void report(int status) {
            if (!reported) {
                reported = true;
                onStatus.accept(status);
            }
        }

        private static int parse(String statusLine) {
            String[] parts = statusLine.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return -1;
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
