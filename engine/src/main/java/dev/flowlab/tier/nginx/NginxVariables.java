package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Locale;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;

/** Expands the nginx variables a hash key may use: $request_uri, $uri, $args, $remote_addr, $host, $http_*, $arg_*, $cookie_*. */
final class NginxVariables {
    /** Templates parsed once: they come from the scenario's config, so there are few of them. */
    private static final ConcurrentHashMap<String, String[]> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 4096;

    private NginxVariables() {
    }

    static String expand(String template, HttpRequest request, String remoteAddr) {
        return expand(template, request, remoteAddr, null, null);
    }

    /**
     * Expands {@code $name} and {@code ${name}} in {@code template}; {@code $proxy_add_x_forwarded_for}
     * and {@code $proxy_host} to the values given (a proxied request's), else to nothing. A value is
     * never expanded again: a client's header that holds "$uri" stays "$uri".
     */
    static String expand(String template, HttpRequest request, String remoteAddr, String proxyAddXff, String proxyHost) {
        if (template == null || template.isEmpty()) {
            return "";
        }
        String[] parts = parsed(template);
        if (parts.length == 1) {
            return parts[0];
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < parts.length; i++) {
            if ((i & 1) == 0) {
                out.append(parts[i]);
            } else {
                String name = parts[i];
                out.append(switch (name) {
                    case "proxy_add_x_forwarded_for" -> proxyAddXff != null ? proxyAddXff : "";
                    case "proxy_host" -> proxyHost != null ? proxyHost : "";
                    default -> value(name, request, remoteAddr);
                });
            }
        }
        return out.toString();
    }

    /** Literal, variable name (lower case), literal, ...: always an odd count, literals at even indexes. */
    private static String[] parsed(String template) {
        String[] parts = PARSED.get(template);
        if (parts == null) {
            parts = parse(template);
            if (PARSED.size() < MAX_PARSED) {
                PARSED.putIfAbsent(template, parts);
            }
        }
        return parts;
    }

    /** As the pattern {@code \$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?} finds variables; a '$' without a name stays as it is. */
    static String[] parse(String t) {
        List<String> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int n = t.length();
        while (i < n) {
            char c = t.charAt(i);
            if (c == '$') {
                int j = i + 1;
                if (j < n && t.charAt(j) == '{' && j + 1 < n && nameStart(t.charAt(j + 1))) {
                    j++;
                }
                if (j < n && nameStart(t.charAt(j))) {
                    int k = j + 1;
                    while (k < n && namePart(t.charAt(k))) {
                        k++;
                    }
                    parts.add(lit.toString());
                    lit.setLength(0);
                    parts.add(t.substring(j, k).toLowerCase(Locale.ROOT));
                    i = k < n && t.charAt(k) == '}' ? k + 1 : k;
                    continue;
                }
            }
            lit.append(c);
            i++;
        }
        parts.add(lit.toString());
        return parts.toArray(String[]::new);
    }

    private static boolean nameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean namePart(char c) {
        return nameStart(c) || c >= '0' && c <= '9';
    }

    private static String value(String name, HttpRequest request, String remoteAddr) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        switch (name) {
            case "request_uri":
                return uri;
            case "uri":
                NginxUri.Parsed parsed = NginxUri.parse(uri);
                return parsed == null ? "" : parsed.path();
            case "args":
            case "query_string":
                return q < 0 ? "" : uri.substring(q + 1);
            case "remote_addr":
            case "binary_remote_addr":
                return remoteAddr == null ? "" : remoteAddr;
            case "host":
                String host = request.headers().get("Host", "");
                int colon = host.indexOf(':');
                return (colon >= 0 ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
            case "request_method":
                return request.method().name();
            default:
                break;
        }
        if (name.startsWith("http_")) {
            return request.headers().get(name.substring(5).replace('_', '-'), "");
        }
        if (name.startsWith("arg_")) {
            List<String> v = new QueryStringDecoder(uri).parameters().get(name.substring(4));
            return v == null || v.isEmpty() ? "" : v.get(0);
        }
        if (name.startsWith("cookie_")) {
            String header = request.headers().get("Cookie");
            if (header != null) {
                for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                    if (c.name().equals(name.substring(7))) {
                        return c.value();
                    }
                }
            }
            return "";
        }
        return "";
    }
}
