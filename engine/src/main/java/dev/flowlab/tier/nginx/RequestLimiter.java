package dev.flowlab.tier.nginx;

import dev.flowlab.topology.NginxConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * nginx's limit_req (ngx_http_limit_req_module): per key a leaky bucket of "excess" requests,
 * counted in thousandths as nginx counts them. Each request adds 1000 and the bucket drains
 * {@code rate} per second; a request that would take it past {@code burst} is refused
 * ({@code limit_req_status}, 503 by default) and not counted; one within the burst waits until the
 * rate allows it, unless {@code nodelay}. Keys are kept least recently used first, at most
 * {@link #MAX_KEYS} (nginx's zone evicts the same way when it is full). Shared by the event loops:
 * guarded by its lock.
 */
final class RequestLimiter {
    static final int MAX_KEYS = 100_000;
    /** {@link #check}: refused. */
    static final long BUSY = -1;

    final String key;
    final int status;
    final String describe;
    /** Thousandths of a request drained per second. */
    private final long rate;
    private final long burst;
    private final boolean nodelay;
    private final Map<String, long[]> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_KEYS;
        }
    };

    RequestLimiter(NginxConfig.LimitReq c) {
        this.key = c.key() == null ? "$binary_remote_addr" : c.key();
        this.status = c.status() == null ? 503 : c.status();
        String r = (c.rate() == null ? "10r/s" : c.rate()).trim().toLowerCase(Locale.ROOT);
        int scale;
        String number;
        if (r.endsWith("r/s")) {
            scale = 1;
            number = r.substring(0, r.length() - 3);
        } else if (r.endsWith("r/m")) {
            scale = 60;
            number = r.substring(0, r.length() - 3);
        } else {
            throw new IllegalArgumentException("limitReq: invalid rate \"" + c.rate() + "\" (nginx writes it as 10r/s or 30r/m)");
        }
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0) {
            throw new IllegalArgumentException("limitReq: invalid rate \"" + c.rate() + "\" (nginx writes it as 10r/s or 30r/m)");
        }
        this.rate = n * 1000 / scale;
        this.burst = (c.burst() == null ? 0 : c.burst()) * 1000L;
        this.nodelay = Boolean.TRUE.equals(c.nodelay());
        this.describe = "limit_req rate=" + c.rate() + " burst=" + (c.burst() == null ? 0 : c.burst()) + (nodelay ? " nodelay" : "");
    }

    /**
     * ngx_http_limit_req_lookup and _account for one request at {@code nowMillis} (a monotonic
     * clock): {@link #BUSY}, or how many milliseconds it waits before it goes on (0: at once).
     */
    synchronized long check(String key, long nowMillis) {
        long[] b = buckets.get(key);
        if (b == null) {
            buckets.put(key, new long[] {0, nowMillis});
            return 0;
        }
        long ms = nowMillis - b[1];
        if (ms < 0) {
            ms = 0;
        }
        long excess = b[0] - rate * ms / 1000 + 1000;
        if (excess < 0) {
            excess = 0;
        }
        if (excess > burst) {
            return BUSY;
        }
        b[0] = excess;
        b[1] = nowMillis;
        if (nodelay || excess == 0) {
            return 0;
        }
        return excess * 1000 / rate;
    }

    /** The excess a refused request would have had, for nginx's log words ("excess: 1.000"). */
    synchronized String excess(String key) {
        long[] b = buckets.get(key);
        return b == null ? "0.000" : String.format(Locale.ROOT, "%d.%03d", b[0] / 1000, b[0] % 1000);
    }
}
