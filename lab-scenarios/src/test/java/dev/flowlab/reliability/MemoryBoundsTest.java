package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import dev.flowlab.net.http.BodyBudget;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded whatever clients send: pipelining clients that never read their answers
 * (each pipelining large echoed POSTs) make the Nginx tier hold about one request and one
 * response per connection, not sixteen of each; past the JVM's body budget a body is refused
 * with 503, never an OutOfMemoryError; and through it all a well-behaved client is served.
 * Bounds come from the lab's own accounting (the body budget, Netty's allocator).
 */
@Tag("reliability")
class MemoryBoundsTest {
    private static final int BODY = 512 * 1024;

    private static long directInUse() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : 0;
    }

    /** Connections that pipeline {@code perConnection} POSTs of {@code BODY} bytes each and never read. */
    private static final class Flood implements AutoCloseable {
        final List<SocketChannel> channels = new ArrayList<>();
        final List<ByteBuffer> pending = new ArrayList<>();
        long written;

        Flood(InetSocketAddress to, int connections, int perConnection) throws IOException {
            byte[] body = new byte[BODY];
            Arrays.fill(body, (byte) 'x');
            byte[] head = ("POST /api/cart HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: " + BODY + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer one = ByteBuffer.allocate((head.length + BODY) * perConnection);
            for (int i = 0; i < perConnection; i++) {
                one.put(head).put(body);
            }
            one.flip();
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                // a small receive window: the answers pile up in the lab, not in this side's kernel buffer
                ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                ch.connect(to);
                ch.configureBlocking(false);
                channels.add(ch);
                pending.add(one.duplicate());
            }
        }

        /** Writes what the sockets take; true when nothing more went in this round. */
        boolean pump() throws IOException {
            long before = written;
            for (int i = 0; i < channels.size(); i++) {
                ByteBuffer b = pending.get(i);
                if (b.hasRemaining()) {
                    written += channels.get(i).write(b);
                }
            }
            return written == before;
        }

        /** Pumps until the sockets stopped taking bytes for {@code quietRounds} rounds in a row, or the deadline. */
        void untilStuck(int quietRounds, long deadlineMillis) throws Exception {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
            int quiet = 0;
            while (quiet < quietRounds && System.nanoTime() < end) {
                quiet = pump() ? quiet + 1 : 0;
                Thread.onSpinWait();
                TimeUnit.MILLISECONDS.sleep(20); // pacing between polls, not a wait for an outcome
            }
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }

    @Test
    void neverReadingPipeliners_holdAboutOneRequestAndOneResponseEach_andTheSiteStillAnswers() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("02-nginx-tomcats"))) {
            lab.start();
            InetSocketAddress nginx = lab.address("nginx-1");
            long directBefore = directInUse();
            long peakBefore = BodyBudget.SHARED.peak();
            int connections = 40;
            try (Flood flood = new Flood(nginx, connections, 16)) {
                flood.untilStuck(25, 30_000);
                long held = BodyBudget.SHARED.used();
                long direct = directInUse() - directBefore;
                // one request answered and at most one read ahead, per connection (was: sixteen queued)
                assertThat(held).as("request bodies held").isLessThanOrEqualTo(connections * 2L * (BODY + 64 * 1024));
                System.out.printf("never-reading pipeliners: %d connections x 16 POSTs of %d KB: lab let in %d MB, holds %d MB of bodies, "
                        + "%d MB of direct memory more than before%n", connections, BODY / 1024, flood.written >> 20, held >> 20, direct >> 20);
                // and about one answer on its way per connection, with the codecs' buffers (was: up to sixteen of each)
                assertThat(direct).as("direct memory in use by the lab").isLessThan(connections * 6L * BODY);
                String ok = Raw.exchange(nginx, "GET /api/item/1 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
                assertThat(Raw.status(ok)).isEqualTo(200);
            }
            assertThat(BodyBudget.SHARED.peak()).isGreaterThanOrEqualTo(peakBefore);
        }
    }

    @Test
    void pastTheBodyBudget_aBodyIsRefusedWith503_andBodilessRequestsAreStillServed() throws Exception {
        long limit = BodyBudget.SHARED.limit();
        try (Lab lab = Stack.lab(ScenarioLibrary.load("02-nginx-tomcats"))) {
            lab.start();
            InetSocketAddress nginx = lab.address("nginx-1");
            BodyBudget.SHARED.limit(BodyBudget.SHARED.used() + 4L * BODY);
            long refusedBefore = BodyBudget.SHARED.refused();
            try (Flood flood = new Flood(nginx, 12, 2)) {
                flood.untilStuck(25, 30_000);
                assertThat(BodyBudget.SHARED.refused()).as("bodies refused").isGreaterThan(refusedBefore);
                assertThat(BodyBudget.SHARED.used()).isLessThanOrEqualTo(BodyBudget.SHARED.limit());
                assertThat(lab.metrics().node("nginx-1").errorsByCause()).containsKey("body_budget_spent");
                String ok = Raw.exchange(nginx, "GET /api/item/1 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
                assertThat(Raw.status(ok)).isEqualTo(200);
            }
        } finally {
            BodyBudget.SHARED.limit(limit);
        }
    }
}
