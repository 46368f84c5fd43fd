package dev.flowlab.scenario;

import java.util.Map;

/**
 * How big a scenario file may be. A real scenario is a few kilobytes with a few dozen nodes; the
 * limits sit far above that and far below what would make a read slow or run out of memory, so
 * a hostile or broken file is refused at once, with the limit named, instead of being chewed on.
 */
public final class ScenarioLimits {
    /** A file larger than this is refused before it is read. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** Objects and arrays inside one another (the deepest part of a real scenario is 7 levels). */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Characters in one string value. */
    public static final int MAX_STRING_LENGTH = 1_000_000;
    /** Characters in one field name. */
    public static final int MAX_NAME_LENGTH = 1_000;
    /** Digits in one number. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Characters in a node's or an HA group's id (ids travel in headers, events and messages). */
    public static final int MAX_ID_LENGTH = 100;
    public static final int MAX_NODES = 1_000;
    public static final int MAX_LINKS = 10_000;
    public static final int MAX_HA_GROUPS = 1_000;
    public static final int MAX_SCRIPT_STEPS = 10_000;

    /** The top-level lists with a limit, by JSON path, with what their elements are called. */
    static final Map<String, Limit> LISTS = Map.of(
            "$.nodes", new Limit(MAX_NODES, "nodes"),
            "$.links", new Limit(MAX_LINKS, "links"),
            "$.haGroups", new Limit(MAX_HA_GROUPS, "HA groups"),
            "$.script", new Limit(MAX_SCRIPT_STEPS, "script steps"));

    record Limit(int max, String what) {
    }

    private ScenarioLimits() {
    }

    /** "4 MB (4,194,304 bytes)", "52.4 MB (54,925,312 bytes)". */
    static String bytes(long n) {
        double mb = n / (1024.0 * 1024.0);
        String size = mb == Math.rint(mb) ? String.format(java.util.Locale.ROOT, "%.0f MB", mb)
                : mb >= 0.1 ? String.format(java.util.Locale.ROOT, "%.1f MB", mb)
                : String.format(java.util.Locale.ROOT, "%.1f KB", n / 1024.0);
        return size + " (" + String.format(java.util.Locale.ROOT, "%,d", n) + " bytes)";
    }

    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
