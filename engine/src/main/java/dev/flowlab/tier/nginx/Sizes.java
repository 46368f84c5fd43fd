package dev.flowlab.tier.nginx;

import java.util.Locale;

/** nginx's size syntax: "512", "8k", "1m", "1g" (case-insensitive). */
public final class Sizes {
    private Sizes() {
    }

    public static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512, 8k, 1m)");
        }
    }

    /** "4 8k" (number and size of large_client_header_buffers) as {number, bytes}. */
    public static long[] parseBuffers(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not 'number size' (nginx's default: 4 8k)");
        }
        return new long[] {Long.parseLong(parts[0]), parse(parts[1])};
    }
}
