package dev.flowlab.tier.nginx;

import dev.flowlab.event.EventType;
import dev.flowlab.event.Fact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A request's way through a location's {@link ProxyCache} (nginx's ngx_http_upstream_cache and
 * ngx_http_file_cache): the lookup (HIT and UPDATING answer at once; STALE answers at once and
 * starts a background update, {@code proxy_cache_background_update}), the conditional request of
 * {@code proxy_cache_revalidate} and its 304, {@code proxy_cache_use_stale} when the upstream
 * fails, and the fill: the upstream's answer copied as it streams to the client and stored at its
 * end, fresh for as long as its headers or {@code proxy_cache_valid} say. One exists only for a
 * request that goes upstream through a cache (MISS, BYPASS, EXPIRED, a background update): a
 * request the cache answers, or a location without one, makes none. Runs on the client channel's
 * event loop. (A location that sends files from disk has no cache at all, as in nginx: see
 * {@link #lookupFile}.)
 */
final class ProxyCacheFlow {
    /** What a bypassed file lookup found: nothing to answer with (and the file is not stored). */
    private static final ProxyCache.Lookup BYPASSED = new ProxyCache.Lookup(ProxyCache.Status.BYPASS, null, false);

    private final ProxyExchange exchange;
    private final ProxyCache cache;
    private final String key;
    private final ProxyCache.Status status;
    /** The expired entry this request may answer with (proxy_cache_use_stale) or revalidate. */
    private final ProxyCache.Entry staleEntry;
    /** This request owns the expired entry's update: it must tell the cache when it ends. */
    private boolean updater;
    private boolean revalidating;
    private boolean revalidated;
    private ByteArrayOutputStream fill;
    private HttpHeaders fillHeaders;
    /** How long the answer being stored stays fresh. */
    private long freshNanos;
    /** proxy_cache_lock: the lock this request took for the new entry (null: none), released when it ends. */
    private Long lockTime;
    /**
     * proxy_cache_lock_timeout passed while another request still held the lock: this request goes upstream
     * and its answer is not stored (nginx's NGX_HTTP_CACHE_SCARCE).
     */
    private boolean scarce;
    /** A waiter polls the lock at most this far apart, as nginx does. */
    private static final long LOCK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private ProxyCacheFlow(ProxyExchange exchange, String key, ProxyCache.Status status, ProxyCache.Entry staleEntry,
                           boolean updater) {
        this.exchange = exchange;
        this.cache = exchange.route.cache();
        this.key = key;
        this.status = status;
        this.staleEntry = staleEntry;
        this.updater = updater;
    }

    /** proxy_no_cache: one of its variables is set (not empty, not "0"), so this answer is not stored. */
    private boolean noCache() {
        for (String v : cache.noCache()) {
            String x = NginxVariables.expand(v, exchange.request, exchange.conn.clientIp());
            if (!x.isEmpty() && !x.equals("0")) {
                return true;
            }
        }
        return false;
    }

    /** The cache key, nginx's {@code $scheme$proxy_host$request_uri}. */
    static String key(NginxSite.Route route, FullHttpRequest request) {
        return "http" + route.cacheHost() + request.uri();
    }

    /**
     * Looks the exchange's request up in its location's cache (the route has one and the method
     * uses it). A HIT or UPDATING is answered from the cache, a STALE too (and a background update
     * starts): then null. Otherwise the flow the request goes upstream with.
     */
    static ProxyCacheFlow lookup(ProxyExchange ex) {
        NginxServer server = ex.server;
        String key = key(ex.route, ex.request);
        if (CachePolicy.bypass(ex.request)) {
            return new ProxyCacheFlow(ex, key, ProxyCache.Status.BYPASS, null, false);
        }
        ProxyCache cache = ex.route.cache();
        ProxyCache.Lookup hit = cache.lookupForProxy(key, ex.cacheWaitUntil == 0 ? ex.startNanos : System.nanoTime());
        if (hit.waits()) {
            if (ex.cacheLockTimedOut) {
                server.emitCache(false, ex.traceId, "MISS", key, "MISS: proxy_cache_lock_timeout passed, fetched without storing");
                ProxyCacheFlow f = new ProxyCacheFlow(ex, key, ProxyCache.Status.MISS, null, false);
                f.scarce = true;
                return f;
            }
            long now = System.nanoTime();
            if (ex.cacheWaitUntil == 0) {
                ex.cacheWaitUntil = now + cache.lockTimeoutNanos();
                server.emitCache(false, ex.traceId, "MISS", key, "MISS: waiting for the request that fetches it (proxy_cache_lock)");
            }
            waitForLock(ex, cache, key, Math.min(LOCK_POLL_NANOS, Math.max(0, ex.cacheWaitUntil - now)));
            return null;
        }
        switch (hit.status()) {
            case HIT, UPDATING -> {
                server.emitCache(true, ex.traceId, hit.status().name(), key,
                        hit.status() == ProxyCache.Status.HIT ? null : "UPDATING: stale while another request refreshes it",
                        hit.entry(), ex.startNanos);
                ex.answerFromCache(hit.entry(), hit.status());
                return null;
            }
            case STALE -> {
                server.emitCache(true, ex.traceId, "STALE", key, "STALE: answered at once, refreshed in the background");
                // This request owns the update (hit.updater()) and hands it to the background exchange.
                ProxyExchange update = ex.backgroundUpdate();
                ex.answerFromCache(hit.entry(), ProxyCache.Status.STALE);
                update.startUpstream(new ProxyCacheFlow(update, key, ProxyCache.Status.EXPIRED, hit.entry(), true));
                return null;
            }
            default -> {
                server.emitCache(false, ex.traceId, hit.status().name(), key, hit.status().name());
                ProxyCacheFlow f = new ProxyCacheFlow(ex, key, hit.status(), hit.entry(), hit.updater());
                f.lockTime = hit.lockTime();
                return f;
            }
        }
    }

    /**
     * nginx's ngx_http_file_cache_lock_wait: the waiter looks again after {@code delay} (at most 500 ms); past
     * proxy_cache_lock_timeout it goes upstream itself; while the lock is held (and younger than proxy_cache_lock_age)
     * it waits on; else it looks the key up again (a HIT now, or it takes the lock).
     */
    private static void waitForLock(ProxyExchange ex, ProxyCache cache, String key, long delay) {
        ex.client.eventLoop().schedule(() -> {
            if (ex.done()) {
                return;
            }
            long now = System.nanoTime();
            if (now - ex.cacheWaitUntil >= 0) {
                ex.cacheLockTimedOut = true;
                ex.start();
                return;
            }
            long held = cache.lockHeld(key, now);
            if (held > 0) {
                waitForLock(ex, cache, key, Math.min(LOCK_POLL_NANOS, held));
            } else {
                ex.start();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * proxy_cache_revalidate: the updater of an expired entry asks whether the cached copy is still
     * good (If-Modified-Since, If-None-Match from the entry) instead of fetching it again, unless the
     * client's request is conditional itself.
     */
    void addRevalidationHeaders(HttpHeaders h, boolean clientConditional) {
        revalidating = false;
        if (updater && staleEntry != null && cache.revalidate() && !clientConditional) {
            String lastModified = staleEntry.headers().get(HttpHeaderNames.LAST_MODIFIED);
            String etag = staleEntry.headers().get(HttpHeaderNames.ETAG);
            if (lastModified != null) {
                h.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
            }
            if (etag != null) {
                h.set(HttpHeaderNames.IF_NONE_MATCH, etag);
            }
            revalidating = lastModified != null || etag != null;
        }
    }

    /** A 304 to the revalidation: the cached copy is good; the rest of this response is its empty end. */
    boolean revalidatedBy(int code) {
        if (revalidating && code == 304) {
            revalidated = true;
            return true;
        }
        return false;
    }

    boolean revalidated() {
        return revalidated;
    }

    /** After a 304 to the revalidation: the entry, fresh again for {@code valid} (the stale one if it went meanwhile). */
    ProxyCache.Entry refreshed(long now) {
        ProxyCache.Entry fresh = cache.refresh(key, now);
        return fresh != null ? fresh : staleEntry;
    }

    /**
     * proxy_cache_use_stale: the upstream failed in a listed way, an expired entry exists and nothing
     * went to the client yet (never for a background update, whose client has its answer).
     */
    boolean answersStaleOn(NextUpstream failure) {
        return !exchange.background && status == ProxyCache.Status.EXPIRED && staleEntry != null && !exchange.committed()
                && cache.useStaleOn(failure);
    }

    /** The expired entry answers instead of the failed upstream. */
    void answerStale(String why) {
        endUpdate();
        String peer = exchange.peerName();
        exchange.server.context().emit(EventType.CACHE_HIT, peer, exchange.traceId, staleEntry.status(), 0,
                new Fact.CacheStatus("STALE", key, "STALE: proxy_cache_use_stale after " + why));
        exchange.answerFromCache(staleEntry, ProxyCache.Status.STALE);
    }

    /**
     * The upstream's response head, headers already as the client gets them: X-Cache-Status (add_header
     * without "always": only on the statuses it applies to), and whether and how long it is stored.
     * nginx stores after a bypass too; the upstream's X-Accel-Expires, Cache-Control, Expires and
     * Set-Cookie decide before proxy_cache_valid (200 only, as the lab writes it), unless
     * proxy_ignore_headers names them.
     */
    void onResponseHead(HttpHeaders h, int code) {
        if (addHeaderApplies(code)) {
            h.set(NginxServer.CACHE_STATUS_HEADER, status.name());
        }
        long fresh = CachePolicy.upstreamValidityMillis(h, System.currentTimeMillis(), exchange.site.ignoreHeaders);
        freshNanos = fresh == CachePolicy.USE_VALID ? cache.validNanos() : TimeUnit.MILLISECONDS.toNanos(fresh);
        if (code == 200 && fresh != CachePolicy.NOT_CACHEABLE && !scarce && !noCache()) {
            fill = new ByteArrayOutputStream();
            fillHeaders = new DefaultHttpHeaders().set(h);
            fillHeaders.remove(HttpHeaderNames.TRANSFER_ENCODING);
            fillHeaders.remove(NginxServer.CACHE_STATUS_HEADER);
            ProxyExchange.HIDDEN.forEach(fillHeaders::remove);
        }
    }

    /** The statuses add_header adds its header to (without "always"). */
    static boolean addHeaderApplies(int code) {
        return switch (code) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }

    /** Whether the response is being stored. */
    boolean filling() {
        return fill != null;
    }

    /** A part of the body on its way to the client: copied for the entry, which is given up when it grows too large. */
    void fill(ByteBuf content) {
        if (fill == null) {
            return;
        }
        int n = content.readableBytes();
        if (fill.size() + n > cache.maxEntryBytes()) {
            fill = null;
        } else {
            byte[] copy = new byte[n];
            content.getBytes(content.readerIndex(), copy);
            fill.write(copy, 0, n);
        }
    }

    /** The response is complete: the entry is stored if it was filled. */
    void store(int code, long now) {
        if (fill != null) {
            cache.put(key, code, fillHeaders, fill.toByteArray(), now, freshNanos);
        }
    }

    /** However the request ended: if it owned the expired entry's update, the update is over (others may start one). */
    void endUpdate() {
        if (updater) {
            updater = false;
            cache.updateDone(key);
        }
        if (lockTime != null) {
            cache.unlock(key, lockTime);
            lockTime = null;
        }
    }

    // ---- static files: never reached. NginxSite gives a root location no cache (nginx's proxy_cache
    // only stores what proxy_pass fetched), so ClientConnection.serveFile's cache branch, which calls
    // these, is dead code; it stays until that file's owner drops it along with these three methods.

    /**
     * A static file request in a location with a cache: BYPASS (the lookup skipped, the file still
     * stored), or what the lookup found; a HIT is the caller's to answer ({@link #fileHit}). Unused: see above.
     */
    static ProxyCache.Lookup lookupFile(NginxServer server, NginxSite.Route route, FullHttpRequest req, String key, long start,
                                        String traceId) {
        if (CachePolicy.bypass(req)) {
            return BYPASSED;
        }
        ProxyCache.Lookup hit = route.cache().lookup(key, start);
        if (hit.status() == ProxyCache.Status.HIT) {
            server.emitCache(true, traceId, "HIT", key, null, hit.entry(), start);
        } else {
            server.emitCache(false, traceId, hit.status().name(), key, hit.status().name());
        }
        return hit;
    }

    /** The answer to a file request the cache has fresh. */
    static FullHttpResponse fileHit(ByteBufAllocator alloc, ProxyCache.Entry e, boolean head) {
        FullHttpResponse r = StaticFiles.response(alloc, e.status(), e.headers(), e.body(), head);
        r.headers().set(NginxServer.CACHE_STATUS_HEADER, "HIT");
        return r;
    }

    /** A file read from disk for a cache that did not have it fresh: stored, fresh for {@code valid}, unless the lookup was bypassed. */
    static void storeFile(ProxyCache cache, String key, ProxyCache.Lookup found, HttpHeaders headers, byte[] body) {
        if (found.status() != ProxyCache.Status.BYPASS) {
            cache.put(key, 200, headers, body, System.nanoTime());
        }
    }
}
