package dev.flowlab.explain;

import dev.flowlab.event.Fact;
import dev.flowlab.trace.TraceHop;
import dev.flowlab.visit.Visit;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole visit told hop by hop: the DNS lookup, then for each request (the page, each asset) one
 * headline (what came back, from whom, from the cache or from disk or from which Tomcat) and the
 * why of every hop it crossed.
 */
public record VisitStory(String title, String dns, List<Request> requests) {

    public VisitStory {
        requests = List.copyOf(requests);
    }

    /** One request: its headline, its trace id, and the why lines of its hops in path order. */
    public record Request(String path, String traceId, String headline, List<Hop> hops) {
        public Request {
            hops = List.copyOf(hops);
        }
    }

    /** One hop's why lines. */
    public record Hop(String node, String kind, String layer, int status, long durationNanos, List<String> why) {
        public Hop {
            why = List.copyOf(why);
        }
    }

    public static VisitStory of(Visit visit) {
        String title = (visit.keyword() != null ? "Search \"" + visit.keyword() + "\": " : "Visit: ") + visit.url();
        String dns = null;
        if (visit.lookup() != null) {
            dns = String.join("; ", Explanations.of(visit.lookup().hop()));
        }
        List<Request> requests = new ArrayList<>();
        for (Visit.Fetch f : visit.fetches()) {
            List<Hop> hops = new ArrayList<>();
            for (TraceHop h : f.hops()) {
                if (h.layer() == TraceHop.Layer.DNS) {
                    continue; // told once, above the requests
                }
                List<String> why = new ArrayList<>();
                if (h.kind().equals("client")) {
                    why.add(h.node() + ": " + (f.reusedConnection() ? "reused its kept-alive connection " : "opened a connection ")
                            + (f.connection() == null ? "" : f.connection()) + (f.reusedConnection() ? " (no new DNS lookup, no handshake)" : ""));
                } else {
                    why.addAll(Explanations.of(h, f.trace(), f.reusedConnection()));
                }
                hops.add(new Hop(h.node(), h.kind(), h.layer().name(), h.status(), h.durationNanos(), why));
            }
            requests.add(new Request(f.path(), f.traceId(), headline(f), hops));
        }
        return new VisitStory(title, dns, requests);
    }

    /**
     * "GET /static/css/shop.css -> 200 text/css, 928 B: served from disk by nginx-1" (a root location: no
     * proxy cache there), or "...: cache HIT at nginx-1, from memory" (a proxy_cache in front of an origin).
     */
    static String headline(Visit.Fetch f) {
        StringBuilder s = new StringBuilder("GET ").append(f.path()).append(" -> ");
        if (f.status() == 0) {
            return s.append("failed: ").append(f.error()).toString();
        }
        s.append(f.status());
        if (f.contentType() != null) {
            String type = f.contentType();
            int semi = type.indexOf(';');
            s.append(' ').append(semi < 0 ? type : type.substring(0, semi));
        }
        s.append(", ").append(f.body().length).append(" B");
        Fact.CacheStatus cache = null;
        String cacheNode = null;
        String tomcat = null;
        String disk = null;
        for (TraceHop h : f.hops()) {
            Fact.CacheStatus c = h.fact(Fact.CacheStatus.class);
            if (c != null && cache == null) {
                cache = c;
                cacheNode = h.node();
            }
            Fact.Answered a = h.fact(Fact.Answered.class);
            if (disk == null && a != null && a.from() == null && a.how() != null && a.how().startsWith("file ")) {
                disk = h.node();
            }
            if (h.kind().equals("tomcat")) {
                tomcat = h.node();
            }
        }
        if (tomcat != null) {
            s.append(f.role() == Visit.Role.PAGE ? ": rendered by " : ": served by ").append(tomcat);
            if (cache != null) {
                s.append(" (cache ").append(cache.status()).append(" at ").append(cacheNode).append(')');
            }
        } else if (cache != null) {
            s.append(": cache ").append(cache.status()).append(" at ").append(cacheNode)
                    .append("HIT".equals(cache.status()) ? ", from memory" : "");
        } else if (disk != null) {
            s.append(": served from disk by ").append(disk);
        } else if (f.servedBy() != null) {
            s.append(": served by ").append(f.servedBy());
        }
        return s.toString();
    }

    /** The story as plain text, one line per hop decision, as {@code lab trace --search} prints it. */
    public String text() {
        StringBuilder s = new StringBuilder(title).append('\n');
        if (dns != null) {
            s.append(dns).append('\n');
        }
        for (Request r : requests) {
            s.append('\n').append(r.headline()).append("   [trace ").append(r.traceId()).append("]\n");
            for (Hop h : r.hops()) {
                for (String w : h.why()) {
                    s.append("  ").append(w).append('\n');
                }
            }
        }
        return s.toString();
    }
}
