package dev.flowlab.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Renders a recording's replay to a picture or a film ({@code lab replay FILE --out out.gif}). The
 * engine draws nothing (it has no JavaFX): the desktop app implements this and declares it as a
 * {@link ServiceLoader} service, so the command renders when the app's classes are on the class
 * path ({@code ./lab} has them) and says what is missing when they are not.
 */
public interface ReplayExporter {

    /** What the file is: taken from its extension. */
    enum Format {
        PNG, SVG, GIF, MP4;

        public String extension() {
            return "." + name().toLowerCase(Locale.ROOT);
        }

        /** The format a file name asks for ({@code x.gif}), if it is one of these. */
        public static Optional<Format> of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (name.endsWith(f.extension())) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }

        /** One picture (at {@code from}) rather than a frame per 1/fps of the range. */
        public boolean still() {
            return this == PNG || this == SVG;
        }
    }

    /**
     * One export: the range in ms from the start of the traffic ({@code toMillis} is clamped to the
     * recording), frames per second, and the width in pixels (0: the canvas's own width).
     */
    record Request(Path out, Format format, long fromMillis, long toMillis, int fps, int width) {
        public Request {
            if (fps < 1 || fps > 60) {
                throw new IllegalArgumentException("--fps " + fps + " is not between 1 and 60");
            }
            if (width < 0 || width > 7680) {
                throw new IllegalArgumentException("--width " + width + " is not between 1 and 7680");
            }
            if (!format.still() && toMillis <= fromMillis) {
                throw new IllegalArgumentException("the range ends (" + toMillis + " ms) before it starts (" + fromMillis + " ms)");
            }
        }

        /** The frames of the range: one a 1/fps from {@code from}, none at {@code to} itself; 1 for a still. */
        public int frames() {
            return format.still() ? 1 : (int) Math.max(1, Math.round((toMillis - fromMillis) * fps / 1000.0));
        }

        /** When frame {@code i} is, in ms of the recording. */
        public long frameMillis(int i) {
            return fromMillis + Math.round(i * 1000.0 / fps);
        }
    }

    /** What was written. */
    record Result(Path file, long bytes, int frames, int width, int height) {
    }

    /** Told of each frame done; asked between frames whether to stop (the file is then not written). */
    interface Progress {
        void frame(int done, int total);

        default boolean cancelled() {
            return false;
        }
    }

    /** Thrown when the export was cancelled: nothing was left at the output path. */
    final class Cancelled extends IOException {
        public Cancelled() {
            super("export cancelled");
        }
    }

    /** Renders {@code request} (blocking; any thread but the app's UI thread). */
    Result export(Recording recording, Request request, Progress progress) throws IOException;

    /** The exporter on the class path (the desktop app's), if any. */
    static Optional<ReplayExporter> find() {
        return ServiceLoader.load(ReplayExporter.class).findFirst();
    }
}
