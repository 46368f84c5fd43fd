package dev.flowlab.ha;

import dev.flowlab.runtime.Transport;
import dev.flowlab.topology.TrackScript;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one member's {@code vrrp_script} on the group's event loop: every {@code interval} a TCP
 * connect to the member's own service (what {@code nc -z} would do), within {@code timeout}.
 * {@code fall} failures in a row turn a good script bad, {@code rise} successes turn it good; the
 * script starts good, as keepalived assumes without {@code init_fail}.
 */
final class TrackScriptRunner {
    /** Told when the script's result changes, and of each run; on the event loop. */
    interface Listener {
        void ran(boolean ok, String detail);

        void changed(boolean good, String detail);
    }

    private final EventLoop loop;
    private final TrackScript script;
    private final Supplier<InetSocketAddress> service;
    private final Listener listener;
    private ScheduledFuture<?> timer;
    private boolean good = true;
    private int successes;
    private int failures;
    private boolean running;

    TrackScriptRunner(EventLoop loop, TrackScript effectiveScript, Supplier<InetSocketAddress> service, Listener listener) {
        this.loop = loop;
        this.script = effectiveScript;
        this.service = service;
        this.listener = listener;
    }

    boolean good() {
        return good;
    }

    /** On the loop. */
    void start() {
        running = true;
        good = true;
        successes = 0;
        failures = 0;
        long every = script.interval().toNanos();
        timer = loop.scheduleAtFixedRate(this::run, every, every, TimeUnit.NANOSECONDS);
    }

    void stop() {
        running = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void run() {
        InetSocketAddress to = service.get();
        if (to == null) {
            result(false, "service has no address");
            return;
        }
        ChannelFuture connect = new Bootstrap().group(loop).channelFactory(Transport.clientChannels())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, script.timeout().toMillis()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(to);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                connect.channel().close();
                result(true, "connect to " + to.getAddress().getHostAddress() + ":" + to.getPort() + " ok");
            } else {
                String why = f.cause() instanceof io.netty.channel.ConnectTimeoutException ? "timed out"
                        : f.cause() instanceof java.net.ConnectException ? "connection refused" : String.valueOf(f.cause());
                result(false, "connect to " + to.getAddress().getHostAddress() + ":" + to.getPort() + " failed: " + why);
            }
        });
    }

    private void result(boolean ok, String detail) {
        if (!running) {
            return;
        }
        listener.ran(ok, detail);
        if (ok) {
            failures = 0;
            successes++;
            if (!good && successes >= script.rise()) {
                good = true;
                listener.changed(true, script.name() + " succeeded " + successes + " time(s) (rise " + script.rise() + ")");
            }
        } else {
            successes = 0;
            failures++;
            if (good && failures >= script.fall()) {
                good = false;
                listener.changed(false, script.name() + " failed " + failures + " time(s) (fall " + script.fall() + "): " + detail);
            }
        }
    }
}
