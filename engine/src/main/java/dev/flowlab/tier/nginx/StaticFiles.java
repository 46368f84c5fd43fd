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
            file = file.resolve("index.html");
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
    static HttpHeaders fileHeaders(Path file, long lastModifiedMillis) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, MimeTypes.of(file.getFileName().toString()));
        h.set(HttpHeaderNames.LAST_MODIFIED, io.netty.handler.codec.DateFormatter.format(new java.util.Date(lastModifiedMillis)));
        h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        return h;
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
