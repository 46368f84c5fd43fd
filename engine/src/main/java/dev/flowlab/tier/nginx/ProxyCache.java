package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One location's proxy cache: responses by key ({@code $scheme$proxy_host$request_uri}), fresh for
 * {@code valid}, bounded in entries and bytes with least-recently-used eviction (nginx's cache
 * manager does the same against {@code max_size}). An expired entry stays until replaced, so it can
 * still answer when {@code proxy_cache_use_stale} allows. One request at a time updates an expired
 * entry (nginx's {@code updating} flag on the cache node); others see UPDATING when
 * {@code use_stale updating} is on. Shared by every event loop: guarded by its lock.
 */
final class ProxyCache {
    /** nginx's $upstream_cache_status values. */
    enum Status { MISS, BYPASS, EXPIRED, STALE, UPDATING, REVALIDATED, HIT }

    record Entry(int status, HttpHeaders headers, byte[] body, long storedNanos, long expiresNanos) {
        long size() {
            return body.length + 256L;
        }
    }

    /**
     * What a lookup found. {@code updater}: this request now owns the entry's update and must call
     * {@link #updateDone(String)} when it ends, whatever the outcome.
     */
    record Lookup(Status status, Entry entry, boolean updater, Long lockTime, boolean waits) {
        Lookup(Status status, Entry entry, boolean updater) {
            this(status, entry, updater, null, false);
        }
    }

    private final long validNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final long maxEntryBytes;
    private final Set<NextUpstream> useStale;
    private final boolean staleWhileUpdating;
    private final boolean backgroundUpdate;
    private final boolean revalidate;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<String> updating = new HashSet<>();
    /**
     * proxy_cache_lock: the keys a request is fetching for a new entry, each with its lock time (nginx's
     * node->lock_time: when the lock was taken plus proxy_cache_lock_age, after which another request may take it).
     */
    private final Map<String, Long> locks = new java.util.HashMap<>();
    private boolean lock;
    private long lockTimeoutNanos;
    private long lockAgeNanos;
    private long bytes;

    ProxyCache(long validNanos, int maxEntries, long maxBytes, long maxEntryBytes) {
        this(validNanos, maxEntries, maxBytes, maxEntryBytes, List.of(), false, false);
    }

    ProxyCache(long validNanos, int maxEntries, long maxBytes, long maxEntryBytes, List<String> useStale,
               boolean backgroundUpdate, boolean revalidate) {
        this.validNanos = validNanos;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
        EnumSet<NextUpstream> conditions = EnumSet.noneOf(NextUpstream.class);
        boolean updatingWord = false;
        for (String w : useStale == null ? List.<String>of() : useStale) {
            String id = w.trim().toLowerCase(Locale.ROOT);
            if (id.equals("off")) {
                conditions.clear();
                updatingWord = false;
                break;
            }
            if (id.equals("updating")) {
                updatingWord = true;
                continue;
            }
            NextUpstream c = id.equals("non_idempotent") ? null : parseCondition(id);
            if (c == null) {
                throw new IllegalArgumentException("useStale: unknown condition '" + w + "' (expected error, timeout, invalid_header, "
                        + "updating, http_500, http_502, http_503, http_504, http_403, http_404, http_429, off)");
            }
            conditions.add(c);
        }
        this.useStale = conditions;
        this.staleWhileUpdating = updatingWord;
        this.backgroundUpdate = backgroundUpdate;
        this.revalidate = revalidate;
    }

    private static NextUpstream parseCondition(String id) {
        try {
            return NextUpstream.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    long validNanos() {
        return validNanos;
    }

    long maxEntryBytes() {
        return maxEntryBytes;
    }

    /** Whether an expired entry may answer when the upstream fails this way (proxy_cache_use_stale). */
    boolean useStaleOn(NextUpstream failure) {
        return useStale.contains(failure);
    }

    boolean revalidate() {
        return revalidate;
    }

    /** proxy_no_cache's variables (empty: none). */
    List<String> noCache() {
        return noCache;
    }

    /** proxy_no_cache for this location: set after construction, from the location's config. */
    ProxyCache withNoCache(List<String> value) {
        noCache = value == null ? List.of() : List.copyOf(value);
        return this;
    }

    private List<String> noCache = List.of();

    /** proxy_cache_lock, proxy_cache_lock_timeout and proxy_cache_lock_age for this location. */
    ProxyCache withLock(boolean on, long timeoutNanos, long ageNanos) {
        lock = on;
        lockTimeoutNanos = timeoutNanos;
        lockAgeNanos = ageNanos;
        return this;
    }

    long lockTimeoutNanos() {
        return lockTimeoutNanos;
    }

    /** How long the lock on {@code key} still holds (0: nobody holds it, or its holder has had it for proxy_cache_lock_age). */
    synchronized long lockHeld(String key, long now) {
        Long t = locks.get(key);
        return t == null || now - t >= 0 ? 0 : t - now;
    }

    /** The request that took the lock at {@code lockTime} ended: the lock goes, unless another request took it since (lock age). */
    synchronized void unlock(String key, long lockTime) {
        Long t = locks.get(key);
        if (t != null && t == lockTime) {
            locks.remove(key);
        }
    }

    /** For files served from disk: fresh, expired or missing; the disk is always there to refresh from. */
    synchronized Lookup lookup(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return new Lookup(Status.MISS, null, false);
        }
        if (now - e.expiresNanos() >= 0) {
            return new Lookup(Status.EXPIRED, e, false);
        }
        return new Lookup(Status.HIT, e, false);
    }

    /**
     * For proxied responses, as nginx's ngx_http_file_cache_read + ngx_http_upstream_cache: an
     * expired entry is updated by one request at a time; with {@code use_stale updating} the others
     * get the stale entry (UPDATING), and with {@code background_update} the updating request itself
     * gets it at once (STALE) while it refreshes the entry in the background.
     */
    synchronized Lookup lookupForProxy(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            if (!lock) {
                return new Lookup(Status.MISS, null, false);
            }
            // nginx's ngx_http_file_cache_lock: the first request for a new entry takes the lock and fetches it;
            // the others wait (waits), unless the holder has had it for proxy_cache_lock_age
            Long t = locks.get(key);
            if (t == null || now - t >= 0) {
                long lockTime = now + lockAgeNanos;
                locks.put(key, lockTime);
                return new Lookup(Status.MISS, null, false, lockTime, false);
            }
            return new Lookup(Status.MISS, null, false, null, true);
        }
        if (now - e.expiresNanos() < 0) {
            return new Lookup(Status.HIT, e, false);
        }
        if (updating.contains(key)) {
            return staleWhileUpdating ? new Lookup(Status.UPDATING, e, false) : new Lookup(Status.EXPIRED, e, false);
        }
        updating.add(key);
        if (staleWhileUpdating && backgroundUpdate) {
            return new Lookup(Status.STALE, e, true);
        }
        return new Lookup(Status.EXPIRED, e, true);
    }

    /** The request that owned the entry's update has ended (refreshed it or not). */
    synchronized void updateDone(String key) {
        updating.remove(key);
    }

    /** A 304 to a revalidation: the entry is fresh again for {@code valid}, its body unchanged. */
    synchronized Entry refresh(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        Entry fresh = new Entry(e.status(), e.headers(), e.body(), now, now + validNanos);
        entries.put(key, fresh);
        return fresh;
    }

    /** Stores a 200 response fresh for {@code valid}; too large ones are skipped. */
    synchronized void put(String key, int status, HttpHeaders headers, byte[] body, long now) {
        put(key, status, headers, body, now, validNanos);
    }

    /** Stores a response fresh for {@code freshNanos} (the upstream's own validity, or {@code valid}); too large ones are skipped. */
    synchronized void put(String key, int status, HttpHeaders headers, byte[] body, long now, long freshNanos) {
        if (body.length > maxEntryBytes || freshNanos <= 0) {
            return;
        }
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.size();
        }
        Entry e = new Entry(status, headers, body, now, now + freshNanos);
        entries.put(key, e);
        bytes += e.size();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Entry victim = it.next().getValue();
            it.remove();
            bytes -= victim.size();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean isUpdating(String key) {
        return updating.contains(key);
    }
}
