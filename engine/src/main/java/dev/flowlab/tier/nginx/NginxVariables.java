package dev.flowlab.tier.nginx;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands the nginx variables a hash key may use: $request_uri, $uri, $args, $remote_addr, $host, $http_*, $arg_*, $cookie_*. */
final class NginxVariables {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)\\}?");

    private NginxVariables() {
    }

    static String expand(String template, HttpRequest request, String remoteAddr) {
        if (template == null || template.isEmpty()) {
            return "";
        }
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1).toLowerCase(Locale.ROOT), request, remoteAddr)));
        }
        m.appendTail(out);
        return out.toString();
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
