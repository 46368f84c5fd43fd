package dev.flowlab.app.inspect;

import java.util.Locale;

/** How lists are named for people: "realServers" is "real servers", one of them a "real server". */
final class ListWords {
    private ListWords() {
    }

    /** The component's name in words: "realServers" → "real servers". */
    static String noun(String component) {
        return component.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** One element of the list: "servers" → "server". */
    static String singular(String noun) {
        return noun.endsWith("s") ? noun.substring(0, noun.length() - 1) : noun;
    }

    /** "none", "1 server", "3 servers". */
    static String count(int n, String noun) {
        if (n == 0) {
            return "none";
        }
        return n + " " + (n == 1 ? singular(noun) : noun);
    }
}
