package dev.flowlab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.tier.http.BodyBudget;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A soak of the default stack: good clients and hostile ones (malformed requests, slowloris,
 * never-reading pipeliners, kill/start of a Tomcat) together for {@code -Dflowlab.soakSeconds}
 * (60 in CI; BENCHMARKS.md has a 30-minute run). Memory is sampled every 5 s after a GC: the
 * slope of the heap and of Netty's direct memory over the second half must be flat, good
 * clients keep being served, and nothing is left after the lab closes.
 */
@Tag("soak")
class SoakTest {
    private static long direct() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : 0;
    }

    /** Least-squares slope of y over x. */
    private static double slope(List<double[]> points) {
        double n = points.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    @Test
    void goodAndHostileClientsTogether_memoryFlat_goodClientsServed() throws Exception {
        long seconds = Long.getLong("flowlab.soakSeconds", 60);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong good = new AtomicLong();
        AtomicLong goodFailed = new AtomicLong();
        AtomicLong hostile = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (Lab lab = new Lab(ScenarioLibrary.load("default"))) {
            lab.start();
            InetSocketAddress nginx = lab.address("nginx-1");
            InetSocketAddress gateway = lab.address("gateway-1");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            URI page = URI.create("http://" + Raw.hostPort(nginx) + "/api/search?q=tea");
            for (int c = 0; c < 2; c++) {
                pool.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(10)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            (r.statusCode() == 200 ? good : goodFailed).incrementAndGet();
                        } catch (Exception e) {
                            goodFailed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            pool.submit(() -> {
                java.util.Map<String, String> corpus = HttpCorpusTest.corpus(Raw.hostPort(nginx));
                while (running.get()) {
                    for (String in : corpus.values()) {
                        if (!running.get()) {
                            break;
                        }
                        HttpCorpusTest.send(hostile.incrementAndGet() % 2 == 0 ? nginx : gateway, in);
                    }
                }
                return null;
            });
            pool.submit(() -> {
                while (running.get()) {
                    // slowloris batches and never-reading pipeliners, opened and dropped over and over
                    List<java.nio.channels.SocketChannel> held = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(i % 2 == 0 ? nginx : gateway);
                        ch.write(java.nio.ByteBuffer.wrap((i % 4 < 2 ? "GET / HTTP/1.1\r\nX-a: " : "GET /api/item/1 HTTP/1.1\r\nHost: x\r\n\r\n".repeat(50))
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
                        held.add(ch);
                    }
                    TimeUnit.SECONDS.sleep(3); // how long this attacker holds them
                    for (var ch : held) {
                        ch.close();
                    }
                    hostile.addAndGet(20);
                }
                return null;
            });
            pool.submit(() -> {
                while (running.get()) {
                    TimeUnit.SECONDS.sleep(7); // a Tomcat crashes every 7 s and comes back
                    lab.kill("tomcat-3").get(10, TimeUnit.SECONDS);
                    lab.startNode("tomcat-3").get(10, TimeUnit.SECONDS);
                }
                return null;
            });

            List<double[]> heap = new ArrayList<>();
            List<double[]> directs = new ArrayList<>();
            long start = System.nanoTime();
            for (long t = 5; t <= seconds; t += 5) {
                long wake = start + TimeUnit.SECONDS.toNanos(t);
                while (System.nanoTime() < wake) {
                    TimeUnit.MILLISECONDS.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime())));
                }
                System.gc();
                double heapMb = mem.getHeapMemoryUsage().getUsed() / 1048576.0;
                double directMb = direct() / 1048576.0;
                if (t > seconds / 2) {
                    heap.add(new double[] {t, heapMb});
                    directs.add(new double[] {t, directMb});
                }
                System.out.printf("soak t=%ds heap %.1f MB direct %.1f MB bodies %.1f MB good %d (failed %d) hostile %d%n", t, heapMb, directMb,
                        BodyBudget.SHARED.used() / 1048576.0, good.get(), goodFailed.get(), hostile.get());
            }
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            double heapSlope = slope(heap) * 60;
            double directSlope = slope(directs) * 60;
            System.out.printf("soak %d s: heap slope %.2f MB/min, direct slope %.2f MB/min over the second half%n", seconds, heapSlope, directSlope);
            assertThat(heapSlope).as("heap MB per minute").isLessThan(16.0);
            assertThat(directSlope).as("direct MB per minute").isLessThan(16.0);
            assertThat(good.get()).isPositive();
            // a Tomcat killed every 7 s costs some requests; everything else must be served
            assertThat((double) goodFailed.get() / Math.max(1, good.get() + goodFailed.get())).isLessThan(0.02);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }
}
