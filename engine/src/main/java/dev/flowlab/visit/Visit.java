package dev.flowlab.visit;

import dev.flowlab.event.Fact;
import dev.flowlab.trace.Trace;
import dev.flowlab.trace.TraceHop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One browser visit through a running lab, as {@link Browser#visit} made it: the name lookup, then
 * every request (the page first, then its assets in document order), each with the trace the lab's
 * events rebuilt for it.
 *
 * @param url     what the browser was asked to open ("http://www.taobao.lab/search?q=phone")
 * @param keyword the search keyword, or null for a plain visit
 * @param lookup  how the client got the address: the DNS hop, or null when the client has no DNS node
 * @param fetches the page, then its assets
 */
public record Visit(String url, String keyword, Lookup lookup, List<Fetch> fetches) {

    public Visit {
        fetches = List.copyOf(fetches);
    }

    /** The page's fetch (the first). */
    public Fetch page() {
        return fetches.get(0);
    }

    /** The assets the page links, fetched after it. */
    public List<Fetch> assets() {
        return fetches.subList(1, fetches.size());
    }

    /** The page's bytes exactly as the stack returned them. */
    public byte[] pageBytes() {
        return page().body();
    }

    /** Whether every request got a 2xx or 3xx answer. */
    public boolean ok() {
        return fetches.stream().allMatch(f -> f.status() >= 200 && f.status() < 400);
    }

    /**
     * The name lookup: the client's resolver answer ({@link Fact.Resolved}) and, when it asked, the
     * DNS server's hop (its query and answer facts). {@code hop} is the DNS hop the inspector shows.
     */
    public record Lookup(Fact.Resolved resolved, TraceHop hop, String dnsNode) {
        public boolean fromCache() {
            return resolved.fromCache();
        }
    }

    /** The role of a request in the visit. */
    public enum Role { PAGE, STYLESHEET, SCRIPT, IMAGE }

    /**
     * One request of the visit and its answer: the path, its role, the trace id it carried, the
     * status (0: failed, see {@code error}), the response's headers (lower-case names), the body,
     * the client connection ("local -> remote") and whether it was reused (keep-alive), and the
     * trace rebuilt from the lab's events.
     */
    public record Fetch(String path, Role role, String traceId, int status, Map<String, String> headers, byte[] body,
                        String connection, boolean reusedConnection, String error, Trace trace) {
        public Fetch {
            headers = Map.copyOf(headers);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String contentType() {
            return header("content-type");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The node that produced the answer (X-Served-By), or null. */
        public String servedBy() {
            return header("x-served-by");
        }

        /** The hops of its trace, or none when it was not traced. */
        public List<TraceHop> hops() {
            return trace == null ? List.of() : trace.hops();
        }
    }
}
