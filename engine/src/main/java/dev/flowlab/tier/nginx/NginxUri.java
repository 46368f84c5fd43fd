package dev.flowlab.tier.nginx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The request target as nginx 1.22 reads it before it matches a location or opens a file: an
 * absolute URI ({@code http://host/path}) reduced to its path, then nginx's
 * {@code ngx_http_parse_complex_uri} (src/http/ngx_http_parse.c) ported state for state:
 * percent-decoding (a decoded byte is read again, so {@code %2e%2e} is {@code ..} and {@code %2f}
 * a slash; a decoded {@code %}, {@code #} or {@code ?} is a plain character, so double encoding
 * stays literal; {@code %00} and a bad escape are 400), merged slashes ({@code merge_slashes on}),
 * {@code .} and {@code ..} resolved, and a {@code ..} above {@code /} refused (400). The query
 * string is split off at the first raw {@code ?} and a raw {@code #} ends the URI. A backslash is
 * an ordinary character (nginx treats it as a slash on Windows only).
 */
final class NginxUri {
    /**
     * A parsed request target: {@code path} normalized and decoded ({@code $uri}), {@code args} the
     * raw query ({@code $args}, null when none), {@code unparsed} the target as the client sent it
     * from its path on ({@code $request_uri}), {@code host} the host of an absolute URI (or null).
     */
    record Parsed(String path, String args, String unparsed, String host) {
    }

    private NginxUri() {
    }

    /** The parsed target, or null where nginx answers 400 Bad Request. */
    static Parsed parse(String target) {
        if (target == null || target.isEmpty()) {
            return null;
        }
        String host = null;
        String rest = target;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme <= 0 || !target.substring(0, scheme).chars().allMatch(c -> Character.isLetter(c) || c == '+' || c == '-' || c == '.')) {
                return null;
            }
            int hostStart = scheme + 3;
            int slash = hostStart;
            while (slash < target.length() && "/?#".indexOf(target.charAt(slash)) < 0) {
                slash++;
            }
            host = target.substring(hostStart, slash);
            if (host.isEmpty()) {
                return null;
            }
            rest = slash < target.length() && target.charAt(slash) == '/' ? target.substring(slash) : "/" + target.substring(slash);
        }
        byte[] in = rest.getBytes(latin1(rest) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        byte[] u = new byte[in.length + 1];
        int n = complex(in, u);
        if (n < 0) {
            return null;
        }
        String path = new String(u, 0, n, StandardCharsets.UTF_8);
        int q = rest.indexOf('?');
        int hash = rest.indexOf('#');
        String args = null;
        if (q >= 0 && (hash < 0 || q < hash)) {
            int end = rest.indexOf('#', q);
            args = rest.substring(q + 1, end < 0 ? rest.length() : end);
        }
        return new Parsed(path, args, rest, host);
    }

    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    private enum State { USUAL, SLASH, DOT, DOT_DOT, QUOTED, QUOTED_SECOND }

    /** ngx_http_parse_complex_uri with merge_slashes on: writes the URI to {@code u}, returns its length, or -1 (400). */
    private static int complex(byte[] in, byte[] u) {
        State state = State.USUAL;
        State quotedState = State.USUAL;
        int decoded = 0;
        int p = 0;
        int w = 0;
        // the request line always has a byte after the URI (the line feed); -1 stands for it here
        int ch = in.length > 0 ? in[p++] & 0xff : -1;
        while (p <= in.length) {
            switch (state) {
                case USUAL -> {
                    switch (ch) {
                        case '/' -> {
                            state = State.SLASH;
                            u[w++] = (byte) ch;
                        }
                        case '%' -> {
                            quotedState = state;
                            state = State.QUOTED;
                        }
                        case '?' -> {
                            return w;
                        }
                        case '#' -> {
                            return w;
                        }
                        default -> u[w++] = (byte) ch;
                    }
                    ch = next(in, p++);
                }
                case SLASH -> {
                    switch (ch) {
                        case '/' -> {
                            // merge_slashes on
                        }
                        case '.' -> {
                            state = State.DOT;
                            u[w++] = (byte) ch;
                        }
                        case '%' -> {
                            quotedState = state;
                            state = State.QUOTED;
                        }
                        case '?', '#' -> {
                            return w;
                        }
                        default -> {
                            state = State.USUAL;
                            u[w++] = (byte) ch;
                        }
                    }
                    ch = next(in, p++);
                }
                case DOT -> {
                    switch (ch) {
                        case '/' -> {
                            state = State.SLASH;
                            w--;
                        }
                        case '.' -> {
                            state = State.DOT_DOT;
                            u[w++] = (byte) ch;
                        }
                        case '%' -> {
                            quotedState = state;
                            state = State.QUOTED;
                        }
                        case '?', '#' -> {
                            return w - 1;
                        }
                        default -> {
                            state = State.USUAL;
                            u[w++] = (byte) ch;
                        }
                    }
                    ch = next(in, p++);
                }
                case DOT_DOT -> {
                    switch (ch) {
                        case '/', '?', '#' -> {
                            w = climb(u, w);
                            if (w < 0) {
                                return -1;
                            }
                            if (ch != '/') {
                                return w;
                            }
                            state = State.SLASH;
                        }
                        case '%' -> {
                            quotedState = state;
                            state = State.QUOTED;
                        }
                        default -> {
                            state = State.USUAL;
                            u[w++] = (byte) ch;
                        }
                    }
                    ch = next(in, p++);
                }
                case QUOTED -> {
                    int d = hex(ch);
                    if (d < 0) {
                        return -1;
                    }
                    decoded = d;
                    state = State.QUOTED_SECOND;
                    ch = next(in, p++);
                }
                case QUOTED_SECOND -> {
                    int d = hex(ch);
                    if (d < 0) {
                        return -1;
                    }
                    ch = (decoded << 4) + d;
                    if (ch == 0) {
                        return -1;
                    }
                    if (ch == '%' || ch == '#' || ch == '?') {
                        // a decoded %, # or ? is an ordinary character of the path
                        state = State.USUAL;
                        u[w++] = (byte) ch;
                        ch = next(in, p++);
                    } else {
                        // the decoded byte is read again in the state before the escape
                        state = quotedState;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        if (state == State.QUOTED || state == State.QUOTED_SECOND) {
            return -1;
        }
        if (state == State.DOT) {
            w--;
        } else if (state == State.DOT_DOT) {
            w = climb(u, w);
        }
        return w;
    }

    /** After "/..": back to the slash before the previous segment, or -1 when that would leave the root. */
    private static int climb(byte[] u, int w) {
        int i = w - 4;
        for (;;) {
            if (i < 0) {
                return -1;
            }
            if (u[i] == '/') {
                return i + 1;
            }
            i--;
        }
    }

    private static int next(byte[] in, int p) {
        return p < in.length ? in[p] & 0xff : -1;
    }

    private static int hex(int ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        int c = ch | 0x20;
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /**
     * ngx_escape_uri(NGX_ESCAPE_URI) for a URI nginx builds itself (proxy_pass with a URI part):
     * space, control bytes, {@code "}, {@code #}, {@code %}, {@code ?} and bytes above 0x7e escaped.
     */
    static String escape(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
        for (byte x : b) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '#' || c == '%' || c == '?') {
                out.write('%');
                out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
