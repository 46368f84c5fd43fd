package dev.flowlab.tier.nginx;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * nginx's static module for a {@code root} location: the URI appended to the root, normalized the
 * way nginx normalizes it (a URI that climbs above the root is a 400), {@code index index.html}
 * for directories, a 301 to add the missing slash, content types from mime.types.
 */
final class StaticFiles {
    /** What a request resolves to: a status (for errors and redirects) or a file. */
    record Resolved(int status, Path file, String location) {
    }

    private StaticFiles() {
    }

    /** Resolves a normalized URI ({@link NginxUri}) against a root directory; symbolic links followed. */
    static Resolved resolve(Path root, String uri) {
        return resolve(root, uri, "off");
    }

    /**
     * As {@link #resolve(Path, String)} with nginx's {@code disable_symlinks}: "on" refuses (403) a
     * path with a symbolic link in it, "if_not_owner" one whose link and target owners differ.
     * The lab checks the components below the root (nginx's {@code from=$document_root}).
     *
     * @param uri the URI as {@link NginxUri#parse} leaves it: decoded, no dot segments, no query.
     *            It is never decoded again (a double-encoded {@code %252e} stays the name {@code %2e}).
     */
    static Resolved resolve(Path root, String uri, String disableSymlinks) {
        String path = uri;
        if (path.indexOf('\0') >= 0 || !path.startsWith("/")) {
            return new Resolved(400, null, null);
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                // NginxUri has resolved every "..": one here was not normalized; refuse it
                return new Resolved(400, null, null);
            }
            segments.addLast(seg);
        }
        Path file = root;
        for (String seg : segments) {
            file = file.resolve(seg);
        }
        file = file.normalize();
        if (!file.startsWith(root)) {
            return new Resolved(400, null, null);
        }
        if (disableSymlinks != null && !disableSymlinks.equals("off")) {
            Path at = root;
            for (String seg : segments) {
                at = at.resolve(seg);
                if (Files.isSymbolicLink(at) && !(disableSymlinks.equals("if_not_owner") && sameOwner(at))) {
                    return new Resolved(403, null, null);
                }
            }
        }
        if (Files.isDirectory(file)) {
            if (!path.endsWith("/")) {
                return new Resolved(301, null, path + "/");
            }
            Path index = file.resolve("index.html");
            if (!Files.exists(index)) {
                // index index.html, autoindex off: "directory index of ... is forbidden"
                return new Resolved(403, null, null);
            }
            file = index;
        } else if (path.endsWith("/")) {
            // a file named as a directory: open() fails with ENOTDIR, nginx's 404
            return new Resolved(404, null, null);
        }
        if (!Files.isRegularFile(file)) {
            return new Resolved(404, null, null);
        }
        if (!Files.isReadable(file)) {
            return new Resolved(403, null, null);
        }
        return new Resolved(200, file, null);
    }

    private static boolean sameOwner(Path link) {
        try {
            return Files.getOwner(link, java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(link));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The response headers nginx sends with a file (Content-Length is set by the writer). */
    static HttpHeaders fileHeaders(Path file, long lastModifiedMillis, long size) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, dev.flowlab.net.http.NginxMimeTypes.of(file.getFileName().toString()));
        h.set(HttpHeaderNames.LAST_MODIFIED, io.netty.handler.codec.DateFormatter.format(new java.util.Date(lastModifiedMillis)));
        h.set(HttpHeaderNames.ETAG, etag(lastModifiedMillis, size));
        h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        return h;
    }

    /** nginx's ETag of a file: "mtime-size", both in hex (seconds since the epoch, bytes). */
    static String etag(long lastModifiedMillis, long size) {
        return "\"" + Long.toHexString(Math.floorDiv(lastModifiedMillis, 1000)) + "-" + Long.toHexString(size) + "\"";
    }

    /**
     * ngx_http_not_modified_filter on a file's 200: 412 when If-Unmodified-Since or If-Match fail,
     * 304 when If-Modified-Since (exact: the same second, nginx's if_modified_since exact) and
     * If-None-Match (weak comparison, "*") both say not modified; 200 otherwise.
     */
    static int preconditions(HttpHeaders req, long lastModifiedMillis, String etag) {
        long mtime = Math.floorDiv(lastModifiedMillis, 1000);
        String ius = req.get(HttpHeaderNames.IF_UNMODIFIED_SINCE);
        if (ius != null && httpTime(ius) < mtime) {
            return 412;
        }
        String ifMatch = req.get(HttpHeaderNames.IF_MATCH);
        if (ifMatch != null && !etagMatches(ifMatch, etag, false)) {
            return 412;
        }
        String ims = req.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        String inm = req.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ims == null && inm == null) {
            return 200;
        }
        if (ims != null && httpTime(ims) != mtime) {
            return 200;
        }
        if (inm != null && !etagMatches(inm, etag, true)) {
            return 200;
        }
        return 304;
    }

    /** An HTTP date in seconds since the epoch, or -1 when it is not one (nginx's ngx_parse_http_time). */
    private static long httpTime(String value) {
        java.util.Date d = io.netty.handler.codec.DateFormatter.parseHttpDate(value.trim());
        return d == null ? -1 : Math.floorDiv(d.getTime(), 1000);
    }

    /** ngx_http_test_if_match: "*", or the entity tag in the comma-separated list (W/ ignored when weak). */
    static boolean etagMatches(String header, String etag, boolean weak) {
        String list = header.trim();
        if (list.equals("*")) {
            return true;
        }
        String tag = weak && etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String item : list.split(",")) {
            String t = item.trim();
            if (weak && t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /** A byte range of a file: {@code start} inclusive, {@code end} exclusive; {@link #UNSATISFIABLE} is the 416. */
    record Range(long start, long end) {
    }

    static final Range UNSATISFIABLE = new Range(-1, -1);

    /**
     * ngx_http_range_filter for a file of {@code size} bytes: null when the whole file is answered
     * (no Range, not "bytes=", If-Range not matching, or ranges nginx declines: one starting at 0
     * past the end, or more bytes than the file), the ranges for a 206 (one: a single part; more:
     * multipart/byteranges), or {@link #UNSATISFIABLE} alone for a 416 (no range inside the file,
     * or a malformed one).
     */
    static List<Range> ranges(HttpHeaders req, long size, String etag, long lastModifiedMillis) {
        String value = req.get(HttpHeaderNames.RANGE);
        if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String ifRange = req.get(HttpHeaderNames.IF_RANGE);
        if (ifRange != null) {
            if (ifRange.length() >= 2 && ifRange.endsWith("\"")) {
                if (!ifRange.equals(etag)) {
                    return null;
                }
            } else if (httpTime(ifRange) != Math.floorDiv(lastModifiedMillis, 1000)) {
                return null;
            }
        }
        List<Range> ranges = new java.util.ArrayList<>();
        String spec = value.substring(6);
        int p = 0;
        int n = spec.length();
        long total = 0;
        while (true) {
            long start = 0;
            long end = 0;
            boolean suffix = false;
            while (p < n && spec.charAt(p) == ' ') {
                p++;
            }
            boolean open = false;
            if (p < n && spec.charAt(p) != '-') {
                if (!digit(spec, p)) {
                    return List.of(UNSATISFIABLE);
                }
                while (digit(spec, p)) {
                    if (start > (Long.MAX_VALUE - 9) / 10) {
                        return List.of(UNSATISFIABLE);
                    }
                    start = start * 10 + (spec.charAt(p++) - '0');
                }
                while (p < n && spec.charAt(p) == ' ') {
                    p++;
                }
                if (p >= n || spec.charAt(p++) != '-') {
                    return List.of(UNSATISFIABLE);
                }
                while (p < n && spec.charAt(p) == ' ') {
                    p++;
                }
                if (p >= n || spec.charAt(p) == ',') {
                    end = size;
                    open = true;
                }
            } else {
                suffix = true;
                p++;
            }
            if (!open) {
                if (!digit(spec, p)) {
                    return List.of(UNSATISFIABLE);
                }
                while (digit(spec, p)) {
                    if (end > (Long.MAX_VALUE - 9) / 10) {
                        return List.of(UNSATISFIABLE);
                    }
                    end = end * 10 + (spec.charAt(p++) - '0');
                }
                while (p < n && spec.charAt(p) == ' ') {
                    p++;
                }
                if (p < n && spec.charAt(p) != ',') {
                    return List.of(UNSATISFIABLE);
                }
                if (suffix) {
                    start = end < size ? size - end : 0;
                    end = size - 1;
                }
                end = end >= size ? size : end + 1;
            }
            if (start < end) {
                ranges.add(new Range(start, end));
                total += end - start;
            } else if (start == 0) {
                return null;
            }
            if (p >= n || spec.charAt(p++) != ',') {
                break;
            }
        }
        if (ranges.isEmpty()) {
            return List.of(UNSATISFIABLE);
        }
        if (total > size) {
            return null;
        }
        return ranges;
    }

    private static boolean digit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    static FullHttpResponse response(ByteBufAllocator alloc, int status, HttpHeaders headers, byte[] body, boolean head) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(headers);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}
