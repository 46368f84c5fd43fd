package dev.flowlab.tier.nginx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real nginx for a test: runs {@code nginx -c CONF -p PREFIX} as the current user (the config says
 * {@code daemon off}), its startup errors in PREFIX/logs/error.log and its output in PREFIX/logs/stdout, and waits
 * until it accepts connections on {@code listen}; close ends it. Used by {@link RealNginxDifferentialTest} and
 * {@link ExportedNginxSameBehaviourTest}.
 */
final class RealNginxProcess implements AutoCloseable {
    static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Process process;

    private RealNginxProcess(Process process) {
        this.process = process;
    }

    static RealNginxProcess start(Path conf, Path prefix, InetSocketAddress listen) throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        Process p = new ProcessBuilder(NGINX.toString(), "-e", prefix.resolve("logs/error.log").toString(),
                "-c", conf.toString(), "-p", prefix.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(listen, 200);
                return new RealNginxProcess(p);
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("nginx did not start:\n" + Files.readString(prefix.resolve("logs/stdout"))
                            + (Files.exists(prefix.resolve("logs/error.log")) ? Files.readString(prefix.resolve("logs/error.log")) : "")
                            + "\n" + Files.readString(conf), e);
                }
                Thread.onSpinWait();
            }
        }
    }

    static InetSocketAddress freeLoopbackAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
