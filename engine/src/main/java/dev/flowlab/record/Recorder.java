package dev.flowlab.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowlab.event.EventBus;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.runtime.Lab;
import dev.flowlab.runtime.LabClock;
import dev.flowlab.scenario.ScenarioIO;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a running lab to a {@code .flowrec} file ({@link RecordingFormat}) as it goes: every
 * event of the bus, one metrics snapshot a second, and the faults the caller applies, flushed to
 * the file once a second of the lab's clock, so a crash loses at most the last second.
 *
 * <p>{@link #attach} subscribes at once (so the lab's start-up is kept) and writes the header;
 * {@link #begin} names the origin of the recording's times (the start of the traffic) and starts
 * the writer thread; {@link #finish} writes the last frame, with the run's report when there is
 * one, and closes the file. The bus is lossy by design: if the writer ever fell behind, the events
 * it lost are counted in the frame ({@code dropped}) rather than slowing the lab.
 */
public final class Recorder implements AutoCloseable {
    /** Events the writer may fall behind by before the bus drops (about 10 s of the default scenario). */
    static final int CAPACITY = 1 << 19;
    private static final long FRAME_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_MILLIS = 50;

    private final Lab lab;
    private final LabClock clock;
    private final Path file;
    private final EventBus.Subscription events;
    private final Runnable unsubscribeMetrics;
    private final ConcurrentLinkedQueue<MetricsSnapshot> snapshots = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RecordedFault> faults = new ConcurrentLinkedQueue<>();
    private final DataOutputStream out;
    private final Object lock = new Object();
    private final List<LabEvent> pending = new ArrayList<>();
    private volatile long originNanos;
    private volatile long originMillis;
    private volatile boolean begun;
    private volatile boolean stopping;
    private volatile long lastSnapshotSecond = Long.MIN_VALUE;
    private Thread writer;
    private long droppedReported;
    private long bytes;
    private int frames;
    private volatile IOException failure;
    private boolean finished;

    private Recorder(Lab lab, Path file) throws IOException {
        this.lab = lab;
        this.clock = lab.clock();
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.out = new DataOutputStream(new FileOutputStream(file.toFile()));
        this.events = lab.events().subscribe(CAPACITY);
        this.unsubscribeMetrics = lab.metrics().subscribe(this::onSnapshot);
        try {
            writeHeader();
        } catch (IOException | RuntimeException e) {
            events.close();
            unsubscribeMetrics.run();
            out.close();
            throw e;
        }
    }

    /** Starts recording this lab into {@code file} (created or replaced): subscribes and writes the header. */
    public static Recorder attach(Lab lab, Path file) throws IOException {
        return new Recorder(lab, file);
    }

    /** The recording's times count from {@code originNanos} (of the lab's clock); starts writing a frame a second. */
    public synchronized Recorder begin(long originNanos) {
        if (begun) {
            throw new IllegalStateException("the recording has begun already");
        }
        this.originNanos = originNanos;
        this.originMillis = clock.millisSinceStart(originNanos);
        this.begun = true;
        writer = new Thread(this::writeLoop, Lab.THREAD_PREFIX + "recorder");
        writer.setDaemon(true);
        writer.start();
        return this;
    }

    /** {@link #begin(long)} from now. */
    public Recorder begin() {
        return begin(clock.nanos());
    }

    public Path file() {
        return file;
    }

    /** Notes a fault applied now; {@code failure} says why it could not be applied (null: it was). */
    public void fault(String action, String node, Map<String, String> params, String failure) {
        fault(clock.nanos(), action, node, params, failure);
    }

    /** Notes a fault applied at {@code nanos} of the lab's clock. */
    public void fault(long nanos, String action, String node, Map<String, String> params, String failure) {
        faults.add(new RecordedFault(TimeUnit.NANOSECONDS.toMillis(nanos - originNanos), action, node, params, failure));
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Events the bus dropped because the writer fell behind (zero in a healthy recording). */
    public long dropped() {
        return events.dropped();
    }

    /** Bytes written so far (header and frames). */
    public synchronized long bytesWritten() {
        return bytes;
    }

    /**
     * Writes the last frame (with the run's report as JSON, or null) and closes the file. Throws
     * the first write failure, if the recording could not be written at some point.
     */
    public void finish(String reportJson) throws IOException {
        Thread w;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            w = writer;
        }
        stopping = true;
        if (w != null) {
            synchronized (lock) {
                lock.notifyAll();
            }
            try {
                w.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.close();
        unsubscribeMetrics.run();
        try {
            if (failure == null) {
                if (!begun) {
                    originNanos = clock.nanos();
                    originMillis = clock.millisSinceStart(originNanos);
                }
                JsonNode report = reportJson == null ? null : RecordingFormat.MAPPER.readTree(reportJson);
                writeFrame(clock.nanos(), true, report);
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        } finally {
            out.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Finishes without a report. */
    @Override
    public void close() throws IOException {
        finish(null);
    }

    private void onSnapshot(MetricsSnapshot s) {
        if (!begun) {
            return;
        }
        long second = Math.floorDiv(s.tMillis() - originMillis, 1000L);
        if (second > lastSnapshotSecond) {
            lastSnapshotSecond = second;
            snapshots.add(new MetricsSnapshot(s.tMillis() - originMillis, s.nodes()));
        }
    }

    private Map<String, String> addresses() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (dev.flowlab.topology.NodeSpec n : lab.scenario().nodes()) {
            java.net.InetSocketAddress a = lab.address(n.id());
            if (a != null) {
                out.put(n.id(), a.getHostString() + ":" + a.getPort());
            }
        }
        return out;
    }

    private void writeHeader() throws IOException {
        ObjectNode h = RecordingFormat.MAPPER.createObjectNode();
        h.put("format", RecordingFormat.FORMAT);
        h.put("version", RecordingFormat.VERSION);
        h.put("recorded_at", Instant.now().toString());
        h.set("scenario", RecordingFormat.MAPPER.readTree(ScenarioIO.toJson(lab.scenario())));
        byte[] line = (RecordingFormat.MAPPER.writeValueAsString(h) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            out.write(line);
            out.flush();
            bytes += line.length;
        }
    }

    private void writeLoop() {
        long nextFrame = originNanos + FRAME_NANOS;
        try {
            while (!stopping) {
                drain();
                long now = clock.nanos();
                if (now >= nextFrame) {
                    writeFrame(now, false, null);
                    while (nextFrame <= now) {
                        nextFrame += FRAME_NANOS;
                    }
                }
                synchronized (lock) {
                    if (!stopping) {
                        lock.wait(POLL_MILLIS);
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        events.drain(pending::add, Integer.MAX_VALUE);
    }

    private synchronized void writeFrame(long nowNanos, boolean end, JsonNode report) throws IOException {
        drain();
        pending.sort(Comparator.comparingLong(LabEvent::nanos));
        List<Chunk.Event> evs = new ArrayList<>(pending.size());
        long previous = originNanos;
        for (LabEvent e : pending) {
            long delta = e.nanos() - previous;
            previous = e.nanos();
            evs.add(new Chunk.Event(delta, e.type().id(), e.node(), e.peer(), e.traceId(), e.status(),
                    e.durationNanos(), e.fact()));
        }
        pending.clear();
        List<MetricsSnapshot> snaps = new ArrayList<>();
        MetricsSnapshot s;
        while ((s = snapshots.poll()) != null) {
            snaps.add(s);
        }
        List<RecordedFault> fs = new ArrayList<>();
        RecordedFault f;
        while ((f = faults.poll()) != null) {
            fs.add(f);
        }
        fs.sort(Comparator.comparingLong(RecordedFault::tMs));
        long droppedNow = events.dropped();
        Map<String, String> addresses = frames == 0 ? addresses() : null;
        Chunk chunk = new Chunk(TimeUnit.NANOSECONDS.toMillis(nowNanos - originNanos), evs, snaps, fs,
                droppedNow - droppedReported, end, report, addresses);
        droppedReported = droppedNow;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * 1024);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (OutputStream z = new DeflaterOutputStream(buf, deflater, 64 * 1024)) {
            RecordingFormat.MAPPER.writeValue(z, chunk);
        } finally {
            deflater.end();
        }
        byte[] data = buf.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeInt(data.length);
        out.writeInt((int) crc.getValue());
        out.write(data);
        out.flush();
        bytes += 8L + data.length;
        frames++;
    }
}
