package dev.flowlab.record;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import dev.flowlab.event.Fact;

/**
 * The {@code .flowrec} file, version {@value #VERSION}. A recording is written as the run goes and
 * read back by {@link RecordingReader}:
 *
 * <pre>
 * line 1      {"format":"flowlab-recording","version":"1.0","recorded_at":ISO-8601,"scenario":{...}}\n
 * then frames [int32 length][int32 CRC-32 of the bytes][length bytes: zlib-deflated JSON of one {@link Chunk}]
 * </pre>
 *
 * One frame holds about one second of the run (events, metric snapshots, faults, dropped counts)
 * and is flushed to the file when written, so a crash loses at most the last second; the final
 * frame also carries the run's report. Times count from the start of the traffic
 * ({@code t} in nanoseconds for events, each after the frame's previous one, {@code t_ms} for snapshots and faults), negative for the
 * lab's start-up. A reader takes every frame up to the first incomplete one. The version follows
 * the scenario files' rule: a reader opens its own major version and any older one, and refuses a
 * newer major version with a message saying so; a newer minor version only adds fields, which
 * readers ignore.
 */
public final class RecordingFormat {
    public static final String FORMAT = "flowlab-recording";
    public static final int MAJOR = 1;
    public static final int MINOR = 0;
    public static final String VERSION = MAJOR + "." + MINOR;
    /** The usual file ending. */
    public static final String EXTENSION = ".flowrec";
    /** A header line or a frame larger than this is not a recording (or is damaged). */
    static final int MAX_HEADER_BYTES = 8 << 20;
    static final int MAX_FRAME_BYTES = 256 << 20;

    /** Facts as {"kind": "UpstreamChosen", fields...}, the same shape as the run report's events. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    private interface FactMixin {
    }

    static final ObjectMapper MAPPER = mapper();

    private RecordingFormat() {
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);
        m.addMixIn(Fact.class, FactMixin.class);
        for (Class<?> kind : Fact.class.getPermittedSubclasses()) {
            m.registerSubtypes(new NamedType(kind, kind.getSimpleName()));
        }
        return m;
    }
}
