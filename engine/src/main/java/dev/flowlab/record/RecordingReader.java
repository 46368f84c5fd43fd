package dev.flowlab.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flowlab.event.EventType;
import dev.flowlab.event.LabEvent;
import dev.flowlab.metrics.MetricsSnapshot;
import dev.flowlab.scenario.ScenarioException;
import dev.flowlab.scenario.ScenarioIO;
import dev.flowlab.topology.Scenario;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;

/** Reads a {@code .flowrec} file ({@link RecordingFormat}) back into a {@link Recording}. */
public final class RecordingReader {
    private RecordingReader() {
    }

    /**
     * Reads the whole recording. A file cut short (a crash, a copy that stopped) reads up to its last
     * complete frame, with {@link Recording#complete()} false and a note saying where it ends; a file
     * that is not a recording, or one from a newer major version, is a {@link RecordingException}
     * whose message says so.
     */
    public static Recording read(Path file) throws RecordingException {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(new java.io.BufferedInputStream(raw, 1 << 16), file.toString());
        } catch (NoSuchFileException e) {
            throw new RecordingException(file + ": no such file");
        } catch (IOException e) {
            throw new RecordingException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Recording read(InputStream in, String name) throws IOException, RecordingException {
        JsonNode header = header(in, name);
        String version = header.path("version").asText("");
        Scenario scenario;
        try {
            scenario = ScenarioIO.read(RecordingFormat.MAPPER.writeValueAsString(header.path("scenario")), name + " (scenario)");
        } catch (ScenarioException e) {
            throw new RecordingException(name + ": the recorded scenario cannot be read: " + e.getMessage(), e);
        }
        java.util.Map<String, String> addresses = new java.util.LinkedHashMap<>();
        List<LabEvent> events = new ArrayList<>();
        List<MetricsSnapshot> snapshots = new ArrayList<>();
        List<RecordedFault> faults = new ArrayList<>();
        String report = null;
        long lengthMillis = 0;
        long dropped = 0;
        boolean complete = false;
        String cut = null;
        DataInputStream data = new DataInputStream(in);
        int frame = 0;
        while (true) {
            int length;
            try {
                length = data.readInt();
            } catch (EOFException e) {
                break;
            }
            frame++;
            if (complete) {
                cut = "frames after its end are ignored";
                break;
            }
            if (length < 0 || length > RecordingFormat.MAX_FRAME_BYTES) {
                cut = "frame " + frame + " is damaged (a length of " + length + " bytes)";
                break;
            }
            byte[] bytes;
            int crc;
            try {
                crc = data.readInt();
                bytes = data.readNBytes(length);
            } catch (EOFException e) {
                cut = "the rest was cut off";
                break;
            }
            if (bytes.length < length) {
                cut = "the rest was cut off";
                break;
            }
            CRC32 check = new CRC32();
            check.update(bytes);
            if ((int) check.getValue() != crc) {
                cut = "frame " + frame + " is damaged (its checksum does not match)";
                break;
            }
            Chunk chunk;
            try (InputStream z = new InflaterInputStream(new ByteArrayInputStream(bytes))) {
                chunk = RecordingFormat.MAPPER.readValue(z, Chunk.class);
            } catch (IOException e) {
                cut = "frame " + frame + " cannot be read (" + e.getMessage().lines().findFirst().orElse("") + ")";
                break;
            }
            if (chunk.events() != null) {
                long t = 0;
                for (Chunk.Event e : chunk.events()) {
                    t += e.t();
                    EventType type = type(e.type());
                    if (type != null) {
                        events.add(new LabEvent(t, type, e.node(), e.peer(), e.traceId(), e.status(),
                                e.durationNanos(), e.fact()));
                    }
                }
            }
            if (chunk.addresses() != null) {
                addresses.putAll(chunk.addresses());
            }
            if (chunk.snapshots() != null) {
                snapshots.addAll(chunk.snapshots());
            }
            if (chunk.faults() != null) {
                faults.addAll(chunk.faults());
            }
            dropped += chunk.dropped();
            lengthMillis = Math.max(lengthMillis, chunk.toMs());
            if (chunk.end()) {
                complete = true;
                if (chunk.report() != null && !chunk.report().isNull()) {
                    report = RecordingFormat.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(chunk.report());
                }
            }
        }
        events.sort(Comparator.comparingLong(LabEvent::nanos));
        snapshots.sort(Comparator.comparingLong(MetricsSnapshot::tMillis));
        faults.sort(Comparator.comparingLong(RecordedFault::tMs));
        String note = null;
        if (!complete) {
            note = String.format(Locale.ROOT, "recording ends at %s: %s", seconds(lengthMillis),
                    cut == null ? "the rest was cut off" : cut);
        } else if (cut != null) {
            note = cut;
        }
        return new Recording(version, header.path("recorded_at").asText(null), scenario, addresses, events, snapshots, faults, report,
                lengthMillis, complete, dropped, note);
    }

    private static JsonNode header(InputStream in, String name) throws IOException, RecordingException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new RecordingException(line.size() == 0 ? name + ": empty file, not a recording"
                        : name + ": not a recording (its first line does not end)");
            }
            if (line.size() >= RecordingFormat.MAX_HEADER_BYTES) {
                throw new RecordingException(name + ": not a recording (no header line)");
            }
            line.write(b);
        }
        JsonNode header;
        try {
            header = RecordingFormat.MAPPER.readTree(line.toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new RecordingException(name + ": not a recording (its first line is not a recording's header)");
        }
        if (header == null || !RecordingFormat.FORMAT.equals(header.path("format").asText())) {
            throw new RecordingException(name + ": not a recording (no \"format\": \"" + RecordingFormat.FORMAT + "\")");
        }
        String version = header.path("version").asText("");
        int major;
        try {
            major = Integer.parseInt(version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
        } catch (NumberFormatException e) {
            throw new RecordingException(name + ": the recording's version '" + version + "' is not MAJOR.MINOR");
        }
        if (major > RecordingFormat.MAJOR) {
            throw new RecordingException(name + ": recorded by a newer Request Flow Lab (recording format " + version
                    + "; this version reads " + RecordingFormat.MAJOR + ".x and older): open it with a newer version");
        }
        return header;
    }

    /** The type, or null for one this version does not know (a newer minor version's addition: skipped). */
    private static EventType type(String id) {
        try {
            return id == null ? null : EventType.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** 41000 -> "41 s", 41500 -> "41.5 s". */
    static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
