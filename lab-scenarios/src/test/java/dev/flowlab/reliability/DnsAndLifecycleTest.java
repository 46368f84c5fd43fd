package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The DNS tier under a malformed-packet corpus (answers FORMERR or drops, never dies, answers a
 * good query after), and the lab's lifecycle: kill/start cycles of every tier and whole labs
 * started and closed leave no thread, file descriptor or port behind.
 */
@Tag("reliability")
class DnsAndLifecycleTest {
    /** A standard A query for {@code name} with id {@code id}. */
    static byte[] query(int id, String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(id >> 8);
        b.write(id);
        b.write(0x01); // RD
        b.write(0x00);
        b.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.write(0);
        b.writeBytes(new byte[] {0, 1, 0, 1});
        return b.toByteArray();
    }

    /** The reply's rcode, or -1 when none came within the timeout. */
    static int ask(DatagramSocket s, InetSocketAddress dns, byte[] packet) throws Exception {
        s.send(new DatagramPacket(packet, packet.length, dns));
        byte[] buf = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        try {
            s.receive(reply);
            return buf[3] & 0x0F;
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    @Test
    void malformedDnsPackets_neverKillTheTier_andAGoodQueryIsAnsweredAfter() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default")); DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            lab.start();
            s.setSoTimeout(300);
            InetSocketAddress dns = lab.address("dns");
            byte[] good = query(0x1234, "www.taobao.lab");
            Random random = new Random(3);
            List<byte[]> corpus = new ArrayList<>();
            for (int cut = 0; cut < good.length; cut++) {
                corpus.add(java.util.Arrays.copyOf(good, cut));
            }
            for (int i = 0; i < 300; i++) {
                byte[] m = good.clone();
                for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                    m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                }
                corpus.add(m);
            }
            byte[] loop = good.clone();
            loop[12] = (byte) 0xC0; // a compression pointer to itself
            loop[13] = 12;
            corpus.add(loop);
            byte[] noise = new byte[1200];
            random.nextBytes(noise);
            corpus.add(noise);
            int answered = 0;
            for (byte[] p : corpus) {
                if (ask(s, dns, p) >= 0) {
                    answered++;
                }
            }
            System.out.printf("DNS corpus: %d packets, %d answered (the rest dropped)%n", corpus.size(), answered);
            s.setSoTimeout(5_000);
            assertThat(ask(s, dns, good)).as("a good query after the corpus").isZero();
            assertThat(lab.state("dns").id()).isEqualTo("running");
        }
    }

    private static long labThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(Lab.THREAD_PREFIX) && t.isAlive()).count();
    }

    private static long openFds() throws Exception {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        }
        try (var s = Files.list(fd)) {
            return s.count();
        }
    }

    /** Waits for {@code value} to fall to at most {@code limit}, for up to 10 s; returns the last reading. */
    private static long settle(java.util.concurrent.Callable<Long> value, long limit) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long v = value.call();
        while (v > limit && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(50);
            v = value.call();
        }
        return v;
    }

    @Test
    void killStartCycles_andWholeLabs_leaveNoThreadFdOrPortBehind() throws Exception {
        // warm: the first lab loads classes and opens the JDK's own descriptors
        try (Lab warm = Stack.lab(ScenarioLibrary.load("default"))) {
            warm.start();
        }
        long threads0 = settle(DnsAndLifecycleTest::labThreads, 0);
        long fds0 = openFds();
        List<InetSocketAddress> bound = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
                lab.start();
                for (int cycle = 0; cycle < 4; cycle++) {
                    for (String id : List.of("tomcat-1", "gateway-1", "nginx-1", "dns")) {
                        lab.kill(id).get(10, TimeUnit.SECONDS);
                        lab.startNode(id).get(10, TimeUnit.SECONDS);
                    }
                }
                String ok = Raw.exchange(lab.address("nginx-1"), "GET /api/item/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(Raw.status(ok)).isEqualTo(200);
                if (round == 0) {
                    for (String id : List.of("tomcat-1", "gateway-1", "nginx-1")) {
                        bound.add(lab.address(id));
                    }
                }
            }
        }
        assertThat(settle(DnsAndLifecycleTest::labThreads, threads0)).as("lab threads after 5 labs x 16 kill/start cycles").isLessThanOrEqualTo(threads0);
        long fds = settle(DnsAndLifecycleTest::openFds, fds0 + 8);
        System.out.printf("lifecycle: fds %d before, %d after 5 labs x 16 kill/start cycles%n", fds0, fds);
        assertThat(fds).as("open file descriptors").isLessThanOrEqualTo(fds0 + 8);
        for (InetSocketAddress a : bound) {
            // the port is free again: a fresh listener can take it
            try (java.net.ServerSocket ss = new java.net.ServerSocket()) {
                ss.setReuseAddress(true);
                ss.bind(a);
            }
        }
    }
}
