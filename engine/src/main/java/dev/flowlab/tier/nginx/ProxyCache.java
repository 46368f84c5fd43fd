package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One location's proxy cache: responses by key ({@code $scheme$proxy_host$request_uri}), fresh for
 * {@code valid}, bounded in entries and bytes with least-recently-used eviction (nginx's cache
 * manager does the same against {@code max_size}). Shared by every event loop: guarded by its lock.
 */
final class ProxyCache {
    /** nginx's $upstream_cache_status values the lab produces. */
    enum Status { MISS, HIT, EXPIRED, BYPASS }

    record Entry(int status, HttpHeaders headers, byte[] body, long storedNanos, long expiresNanos) {
        long size() {
            return body.length + 256L;
        }
    }

    record Lookup(Status status, Entry entry) {
    }

    private final long validNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final long maxEntryBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ProxyCache(long validNanos, int maxEntries, long maxBytes, long maxEntryBytes) {
        this.validNanos = validNanos;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    long maxEntryBytes() {
        return maxEntryBytes;
    }

    synchronized Lookup lookup(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return new Lookup(Status.MISS, null);
        }
        if (now - e.expiresNanos() >= 0) {
            return new Lookup(Status.EXPIRED, e);
        }
        return new Lookup(Status.HIT, e);
    }

    /** Stores a 200 response; too large ones are skipped. */
    synchronized void put(String key, int status, HttpHeaders headers, byte[] body, long now) {
        if (body.length > maxEntryBytes || validNanos <= 0) {
            return;
        }
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.size();
        }
        Entry e = new Entry(status, headers, body, now, now + validNanos);
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
}
