package dev.flowlab.app.animate;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Frame times as JavaFX itself measures them: its pulse logger ({@code -Djavafx.pulseLogger=true})
 * writes, for every pulse, {@code [n interval:duration]} to standard error, the duration running
 * from the pulse's start (animation, CSS, layout on the FX thread) to the end of painting on the
 * render thread: the time to make one frame. {@link #install} puts a filter on {@code System.err}
 * that takes those records out of the stream (the rest passes through) and, while recording,
 * keeps their durations. For the benchmark only; whole milliseconds, as the logger prints them.
 */
final class PulseTimes {
    private static final Pattern PULSE = Pattern.compile("(?:PULSE: )?\\[(\\d+) (\\d+)ms:(\\d+)ms\\]");
    private static final Histogram DURATIONS = new Histogram(60_000, 3);
    private static volatile boolean recording;
    private static volatile boolean installed;

    private PulseTimes() {
    }

    /** Before the toolkit starts: turns the pulse logger on (every pulse, compactly) and filters stderr. */
    static void install() {
        System.setProperty("javafx.pulseLogger", "true");
        if (System.getProperty("javafx.pulseLogger.threshold") == null) {
            System.setProperty("javafx.pulseLogger.threshold", "100000");
        }
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Filter(original), true, StandardCharsets.UTF_8));
        installed = true;
    }

    static boolean installed() {
        return installed;
    }

    static synchronized void start() {
        DURATIONS.reset();
        recording = true;
    }

    static synchronized void stop() {
        recording = false;
    }

    static synchronized long count() {
        return DURATIONS.getTotalCount();
    }

    static synchronized long percentileMs(double p) {
        return DURATIONS.getTotalCount() == 0 ? 0 : DURATIONS.getValueAtPercentile(p);
    }

    private static synchronized void record(long ms) {
        if (recording) {
            DURATIONS.recordValue(Math.min(60_000, ms));
            if (DUMP != null) {
                // JVM uptime as -Xlog's "uptime" decorator prints it, to line frames up with GC pauses.
                DUMP.printf("%.3f %d%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, ms);
            }
        }
    }

    /** {@code -Dflowlab.pulseDump=file}: every recorded frame's end (JVM uptime, s) and time (ms), for analysis. */
    private static final PrintStream DUMP = openDump();

    private static PrintStream openDump() {
        String file = System.getProperty("flowlab.pulseDump");
        try {
            return file == null ? null : new PrintStream(new java.io.FileOutputStream(file), true, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Takes pulse records out of the byte stream; passes the rest on, line by line. */
    private static final class Filter extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Filter(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == ']' || b == '\n') {
                drain();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            drain();
        }

        private void drain() {
            String text = pending.toString(StandardCharsets.UTF_8);
            Matcher m = PULSE.matcher(text);
            StringBuilder rest = new StringBuilder();
            int from = 0;
            while (m.find()) {
                rest.append(text, from, m.start());
                record(Long.parseLong(m.group(3)));
                from = m.end();
            }
            rest.append(text.substring(from));
            // Keep an unfinished record ("[12 16ms:" ...) for the next write; pass the rest on.
            int open = rest.lastIndexOf("[");
            String keep = open >= 0 && rest.indexOf("]", open) < 0 ? rest.substring(open) : "";
            String pass = rest.substring(0, rest.length() - keep.length());
            pending.reset();
            pending.writeBytes(keep.getBytes(StandardCharsets.UTF_8));
            if (!pass.isBlank()) {
                out.print(pass);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
