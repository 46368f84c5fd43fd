package dev.flowlab.topology;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as nginx and keepalived write them: "60s", "200ms", "1m", "500us", "1h". */
public final class Durations {
    /**
     * The longest duration a scenario may set, far past any timeout or run a lab needs, and short
     * enough that no field overflows: 7 days is 604,800,000 ms, within an int of milliseconds.
     */
    public static final Duration MAX = Duration.ofDays(7);
    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h)");
    /** Characters of the text quoted in a message. */
    private static final int QUOTED = 40;

    private Durations() {
    }

    /** Parses a duration; refuses text that is not one, and any duration over {@link #MAX} (never clamps). */
    public static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a duration (examples: 500us, 200ms, 60s, 1m)");
        }
        double v = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = v * nanosPerUnit;
        if (!(nanos <= MAX.toNanos())) {
            throw new IllegalArgumentException(quote(text) + " is longer than a scenario may set: a duration is at most " + format(MAX) + " (7 days)");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    private static String quote(String text) {
        return "'" + (text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text) + "'";
    }

    /** The shortest exact form: 60s, 1m, 200ms, 1500us; sub-microsecond remainders are rounded. */
    public static String format(Duration d) {
        long us = d.toNanos() / 1000;
        if (us == 0) {
            return "0ms";
        }
        if (us % 3_600_000_000L == 0) {
            return us / 3_600_000_000L + "h";
        }
        if (us % 60_000_000L == 0) {
            return us / 60_000_000L + "m";
        }
        if (us % 1_000_000L == 0) {
            return us / 1_000_000L + "s";
        }
        if (us % 1000 == 0) {
            return us / 1000 + "ms";
        }
        return us + "us";
    }
}
