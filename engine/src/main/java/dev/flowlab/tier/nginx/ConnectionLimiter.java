package dev.flowlab.tier.nginx;

import dev.flowlab.topology.NginxConfig;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nginx's limit_conn (ngx_http_limit_conn_module): per key, how many requests are being answered
 * at once; the one past {@code conn} is refused ({@code limit_conn_status}, 503 by default). A
 * request holds its count from the preaccess phase (after limit_req, once per request: an internal
 * redirect does not count again) until it is answered or its client goes away. Shared by every
 * event loop of the node, as nginx's zone is shared by its workers.
 */
final class ConnectionLimiter {
    final String key;
    final int conn;
    final int status;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    ConnectionLimiter(NginxConfig.LimitConn c) {
        this.key = c.key();
        this.conn = c.conn();
        this.status = c.status();
        if (conn < 1) {
            throw new IllegalArgumentException("limitConn: invalid number of connections \"" + conn + "\"");
        }
    }

    /** Takes one for {@code k}: false (nothing taken) when {@code conn} are already in progress. */
    boolean tryAcquire(String k) {
        boolean[] taken = new boolean[1];
        counts.compute(k, (x, n) -> {
            int now = n == null ? 0 : n;
            if (now >= conn) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    void release(String k) {
        counts.computeIfPresent(k, (x, n) -> n <= 1 ? null : n - 1);
    }
}
