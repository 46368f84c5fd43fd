package dev.flowlab.topology;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A location's match as nginx writes it, read from {@link NginxConfig.Location#prefix()}: a plain
 * prefix ({@code /static/}), or one of nginx's modifiers before it: {@code = /exact},
 * {@code ^~ /prefix/} (a prefix that, when it is the longest, stops the regex search),
 * {@code ~ regex} (case-sensitive) and {@code ~* regex} (case-insensitive). And a proxy_pass target
 * read from {@link NginxConfig.Location#proxyPass()}: an upstream or node name, optionally written
 * as {@code http://NAME}, optionally with a URI part ({@code tomcats/app/}) that replaces the
 * matched prefix.
 */
public record NginxLocationSpec(Modifier modifier, String text, Pattern regex) {
    /** nginx's location modifiers. */
    public enum Modifier {
        PREFIX(""), EXACT("= "), PREFERENTIAL("^~ "), REGEX("~ "), REGEX_NOCASE("~* ");

        public final String written;

        Modifier(String written) {
            this.written = written;
        }

        public boolean isRegex() {
            return this == REGEX || this == REGEX_NOCASE;
        }
    }

    /** A proxy_pass target: the upstream (or node) name and the URI part, or null when there is none. */
    public record ProxyTarget(String name, String uri) {
    }

    /**
     * Reads a location's match.
     *
     * @throws IllegalArgumentException with nginx's words when the regex does not compile or nothing follows the modifier
     */
    public static NginxLocationSpec parse(String written) {
        if (written == null) {
            throw new IllegalArgumentException("a location needs a prefix (or = ^~ ~ ~* and a match)");
        }
        String s = written.strip();
        Modifier m = Modifier.PREFIX;
        if (s.startsWith("~*")) {
            m = Modifier.REGEX_NOCASE;
            s = s.substring(2);
        } else if (s.startsWith("~")) {
            m = Modifier.REGEX;
            s = s.substring(1);
        } else if (s.startsWith("^~")) {
            m = Modifier.PREFERENTIAL;
            s = s.substring(2);
        } else if (s.startsWith("=")) {
            m = Modifier.EXACT;
            s = s.substring(1);
        }
        if (m != Modifier.PREFIX) {
            s = s.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("location '" + written + "': nothing to match after the modifier");
            }
        }
        Pattern regex = null;
        if (m.isRegex()) {
            try {
                regex = Pattern.compile(s, m == Modifier.REGEX_NOCASE ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("location '" + written + "': the regular expression does not compile: "
                        + e.getDescription());
            }
        }
        return new NginxLocationSpec(m, s, regex);
    }

    /** Reads a proxy_pass target: {@code NAME}, {@code http://NAME}, {@code NAME/uri}, {@code http://NAME/uri}. */
    public static ProxyTarget proxyTarget(String written) {
        String s = written.strip();
        if (s.regionMatches(true, 0, "http://", 0, 7)) {
            s = s.substring(7);
        }
        int slash = s.indexOf('/');
        return slash < 0 ? new ProxyTarget(s, null) : new ProxyTarget(s.substring(0, slash), s.substring(slash));
    }

    /** Whether two locations are nginx's "duplicate location": the same text, both exact or both prefixes (plain or ^~). */
    public boolean duplicates(NginxLocationSpec other) {
        if (!text.equals(other.text) || modifier.isRegex() || other.modifier.isRegex()) {
            return false;
        }
        return (modifier == Modifier.EXACT) == (other.modifier == Modifier.EXACT);
    }

    @Override
    public String toString() {
        return modifier.written + text;
    }
}
