package dev.flowlab.live;

import dev.flowlab.event.LabEvent;

/** What a particle stands for; the view colours by it. */
public enum TrafficKind {
    PAGE, STATIC, API, DNS, HEALTH, VRRP, CONNECTION, OTHER;

    /** The kind of an HTTP request by its path, as the browser mix and the demo shop lay it out. */
    public static TrafficKind ofPath(String path) {
        if (path == null || path.isEmpty()) {
            return OTHER;
        }
        if (path.startsWith("/api/")) {
            return API;
        }
        if (path.startsWith("/static/") || hasStaticSuffix(path)) {
            return STATIC;
        }
        return PAGE;
    }

    private static final String[] STATIC_SUFFIXES = {".css", ".js", ".svg", ".png", ".jpg", ".ico", ".woff", ".woff2"};

    /** No regex: this runs for every answer the view counts. */
    private static boolean hasStaticSuffix(String path) {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        for (String s : STATIC_SUFFIXES) {
            if (p.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /** The kind of the request an event is about, by the path its fact carries. */
    public static TrafficKind of(LabEvent e) {
        return ofPath(e.fact() == null ? null : e.fact().path());
    }
}
