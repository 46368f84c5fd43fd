package dev.flowlab.tier.tomcat;

import dev.flowlab.net.http.ContentTypes;
import dev.flowlab.net.http.HttpDates;
import dev.flowlab.net.http.ContentTypes;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's default servlet, reduced to what the lab needs: files under the docBase by URL path,
 * weak ETags and Last-Modified as Tomcat computes them, 304 on a matching If-None-Match, no
 * directory listings. A path that climbs above the root is refused with 400, as Tomcat's URI
 * normalisation does; a file outside the root reached through a link is not served.
 *
 * <p>Files are read on the event loop: the demo site's files are a few kilobytes, and reading
 * them costs less than handing the work to another thread.
 */
final class StaticResources {
    private static final Logger log = LoggerFactory.getLogger(StaticResources.class);

    private static final io.netty.util.AsciiString BYTES = io.netty.util.AsciiString.cached("bytes");

    private final Path root;

    StaticResources(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Serves {@code rawPath} (the URL path, still percent-encoded) with headers for {@code request}. */
    AppResponse serve(String rawPath, HttpHeaders request) {
        String relative = normalise(rawPath);
        if (relative == null) {
            return ShopApplication.error(HttpResponseStatus.BAD_REQUEST, "invalid path");
        }
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            return ShopApplication.error(HttpResponseStatus.BAD_REQUEST, "invalid path");
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile() || !file.toRealPath().startsWith(root.toRealPath())) {
                return ShopApplication.notFoundPage(rawPath);
            }
            long modified = attrs.lastModifiedTime().toMillis();
            String etag = "W/\"" + attrs.size() + "-" + modified + "\"";
            String lastModified = DateFormatter.format(new java.util.Date(modified));
            if (etag.equals(request.get(HttpHeaderNames.IF_NONE_MATCH))) {
                return new AppResponse(HttpResponseStatus.NOT_MODIFIED, null, Unpooled.EMPTY_BUFFER, new CharSequence[] {
                    TomcatHeaders.ETAG, etag, TomcatHeaders.LAST_MODIFIED, lastModified});
            }
            byte[] bytes = Files.readAllBytes(file);
            return AppResponse.of(HttpResponseStatus.OK, ContentTypes.forFileName(file.getFileName().toString()), bytes)
                    .withHeaders(TomcatHeaders.ACCEPT_RANGES, BYTES, TomcatHeaders.ETAG, etag,
                            TomcatHeaders.LAST_MODIFIED, lastModified);
        } catch (NoSuchFileException e) {
            return ShopApplication.notFoundPage(rawPath);
        } catch (IOException e) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return ShopApplication.notFoundPage(rawPath);
            }
            log.warn("cannot read {}: {}", file, e.toString());
            return ShopApplication.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read the file");
        }
    }

    /**
     * The decoded path relative to the root, with "." and ".." resolved; null when it climbs above
     * the root or holds characters no file name in the site may have.
     */
    static String normalise(String rawPath) {
        String decoded;
        try {
            decoded = QueryStringDecoder.decodeComponent(rawPath.replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0 || decoded.indexOf(':') >= 0) {
            return null;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String s : decoded.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
        }
        return String.join("/", segments);
    }
}
