package dev.flowlab.tier.nginx;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** proxy_next_upstream's conditions: the kinds of failure an attempt can end in. */
enum NextUpstream {
    ERROR(502), TIMEOUT(504), INVALID_HEADER(502),
    HTTP_500(500), HTTP_502(502), HTTP_503(503), HTTP_504(504), HTTP_403(403), HTTP_404(404), HTTP_429(429),
    NON_IDEMPOTENT(0);

    /** The status nginx answers with when this failure is the last word. */
    final int status;

    NextUpstream(int status) {
        this.status = status;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The condition a response status triggers, if it is one proxy_next_upstream can name. */
    static NextUpstream forStatus(int status) {
        return switch (status) {
            case 500 -> HTTP_500;
            case 502 -> HTTP_502;
            case 503 -> HTTP_503;
            case 504 -> HTTP_504;
            case 403 -> HTTP_403;
            case 404 -> HTTP_404;
            case 429 -> HTTP_429;
            default -> null;
        };
    }

    static Set<NextUpstream> parse(List<String> words) {
        EnumSet<NextUpstream> set = EnumSet.noneOf(NextUpstream.class);
        for (String w : words) {
            String id = w.trim().toLowerCase(Locale.ROOT);
            if (id.equals("off")) {
                return EnumSet.noneOf(NextUpstream.class);
            }
            try {
                set.add(NextUpstream.valueOf(id.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("proxyNextUpstream: unknown condition '" + w + "' (expected error, timeout, "
                        + "invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent, off)");
            }
        }
        return set;
    }

    /** Failures that count toward max_fails (http_403/404 only move on, as nginx's NGX_PEER_NEXT). */
    boolean blamesServer() {
        return this != HTTP_403 && this != HTTP_404;
    }
}
