package dev.flowlab.tier.tomcat;

import dev.flowlab.net.http.JsonText;
import dev.flowlab.net.http.LabHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo shop deployed on every Tomcat node: a JSON API (search, item detail, cart, who am I), a health
 * endpoint, a small dynamic home page and the static site. Pure request-to-response code with no
 * I/O of its own beyond reading static files, so it is tested without sockets.
 */
final class ShopApplication {
    static final String ALLOW_GET = "GET, HEAD";
    static final String ALLOW_POST = "POST";
    /** The header an API gateway passes the authenticated principal in (Kong's name, the gateway tier's default). */
    static final String PRINCIPAL_HEADER = "X-Consumer-Username";
    private static final byte[] HEALTH_UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);

    private final String nodeId;
    private final StaticResources statics;

    ShopApplication(String nodeId, StaticResources statics) {
        this.nodeId = nodeId;
        this.statics = statics;
    }

    /**
     * Answers one request. {@code body} is the aggregated request body when the route reads it
     * ({@code POST /api/cart}), else null; ownership passes to the response or is released here.
     */
    AppResponse handle(HttpRequest request, ByteBuf body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        HttpMethod method = request.method();
        if (!servletMethod(method.name())) {
            release(body);
            return statusPage(HttpResponseStatus.NOT_IMPLEMENTED, "Method [" + method.name()
                    + "] is not implemented by this Servlet for this URI", NOT_IMPLEMENTED_DESCRIPTION);
        }
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);

        if (rawPath.equals("/api/cart")) {
            if (!method.equals(HttpMethod.POST)) {
                release(body);
                return methodNotAllowed(ALLOW_POST);
            }
            return cart(body);
        }
        release(body);
        boolean known = rawPath.equals("/") || rawPath.equals("/health") || rawPath.equals("/api/search") || rawPath.equals("/search")
                || rawPath.equals("/api/me")
                || rawPath.startsWith("/api/item/") || rawPath.startsWith("/static/");
        if (known && !read) {
            return methodNotAllowed(ALLOW_GET);
        }
        if (rawPath.equals("/health")) {
            return AppResponse.of(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, HEALTH_UP);
        }
        if (rawPath.equals("/api/search")) {
            List<String> qs = new QueryStringDecoder(uri).parameters().get("q");
            return search(qs == null || qs.isEmpty() ? "" : qs.get(0));
        }
        if (rawPath.equals("/search")) {
            List<String> qs = new QueryStringDecoder(uri).parameters().get("q");
            return searchPage(qs == null || qs.isEmpty() ? "" : qs.get(0));
        }
        if (rawPath.equals("/api/me")) {
            return me(request.headers().get(PRINCIPAL_HEADER));
        }
        if (rawPath.startsWith("/api/item/")) {
            return item(rawPath.substring("/api/item/".length()));
        }
        if (rawPath.equals("/")) {
            return homePage();
        }
        if (rawPath.startsWith("/static/")) {
            return statics.serve(rawPath, request.headers());
        }
        if (rawPath.startsWith("/api/")) {
            return error(HttpResponseStatus.NOT_FOUND, "no such API: " + rawPath);
        }
        return notFoundPage(rawPath);
    }

    /**
     * The methods {@code HttpServlet.service} dispatches (Tomcat 10.1, Servlet 6.0), compared as
     * sent: any other, a lower-case {@code get} or {@code PATCH} included, is 501 Not Implemented.
     */
    static boolean servletMethod(String name) {
        return switch (name) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    private AppResponse search(String query) {
        if (query.isBlank()) {
            return error(HttpResponseStatus.BAD_REQUEST, "missing query parameter q");
        }
        ShopCatalog.SearchResult result = ShopCatalog.search(query);
        boolean related = result.items().isEmpty();
        List<ShopCatalog.Item> items = related ? ShopCatalog.related(query) : result.items();
        StringBuilder json = new StringBuilder(96 + items.size() * 96).append("{\"query\":");
        JsonText.appendQuoted(json, query).append(",\"total\":").append(result.total())
                .append(",\"match\":").append(related ? "\"related\"" : "\"title\"").append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            json.append(i == 0 ? "" : ",").append(items.get(i).json());
        }
        json.append("],\"servedBy\":");
        JsonText.appendQuoted(json, nodeId).append('}');
        return AppResponse.of(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, json.toString());
    }

    /**
     * The search results page a browser gets for {@code GET /search?q=...}: the same search over the
     * catalogue as {@code /api/search}, rendered as HTML that links the shop's style sheet, script
     * and logo (served by the front tier from disk or its cache), so one search is a page plus its assets.
     * An empty query is the empty search page (as a shop's search page is), not an error.
     */
    private AppResponse searchPage(String query) {
        String q = query.strip();
        StringBuilder html = new StringBuilder(2048);
        String title = q.isEmpty() ? "Search - Taobao Lab" : escapeHtml(q) + " - Taobao Lab search";
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(title)
                .append("</title>\n<link rel=\"stylesheet\" href=\"/static/css/shop.css\">\n")
                .append("<script src=\"/static/js/shop.js\" defer></script>\n</head>\n<body>\n")
                .append("<header><a href=\"/\"><img src=\"/static/img/logo.svg\" alt=\"Taobao Lab\" height=\"40\"></a>")
                .append("<form action=\"/search\" method=\"get\" id=\"search-page\">")
                .append("<input name=\"q\" placeholder=\"Search the lab shop\" value=\"").append(escapeHtml(q)).append("\">")
                .append("<button>Search</button></form></header>\n<main>\n");
        if (q.isEmpty()) {
            html.append("<h1>Search the shop</h1>\n<p>Type a keyword: phone, tea, laptop...</p>\n");
        } else {
            ShopCatalog.SearchResult result = ShopCatalog.search(q);
            boolean related = result.items().isEmpty();
            List<ShopCatalog.Item> items = related ? ShopCatalog.related(q) : result.items();
            if (related) {
                html.append("<h1>No results for &ldquo;").append(escapeHtml(q)).append("&rdquo;</h1>\n<p>You may like:</p>\n");
            } else {
                html.append("<h1>").append(result.total()).append(result.total() == 1 ? " result" : " results")
                        .append(" for &ldquo;").append(escapeHtml(q)).append("&rdquo;</h1>\n");
                if (result.total() > items.size()) {
                    html.append("<p>Showing the first ").append(items.size()).append(".</p>\n");
                }
            }
            html.append("<ul class=\"items\" id=\"results\">\n");
            for (ShopCatalog.Item it : items) {
                html.append("<li class=\"result\"><a href=\"/api/item/").append(it.id()).append("\">").append(escapeHtml(it.title()))
                        .append("</a> <span class=\"price\">&#165;").append(price(it.priceCents())).append("</span> <span class=\"shop\">")
                        .append(escapeHtml(it.shop())).append("</span></li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("</main>\n<footer>Page rendered by <b>").append(escapeHtml(nodeId))
                .append("</b> (Tomcat tier)</footer>\n</body>\n</html>\n");
        return AppResponse.of(HttpResponseStatus.OK, LabHeaders.TEXT_HTML_UTF8, html.toString());
    }

    private static String price(long cents) {
        return cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100;
    }

    private AppResponse item(String idText) {
        ShopCatalog.Item item = null;
        if (!idText.isEmpty() && idText.length() <= 9 && idText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            item = ShopCatalog.item(Integer.parseInt(idText));
        }
        if (item == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no item " + idText);
        }
        String base = item.json();
        StringBuilder json = new StringBuilder(base.length() + 128).append(base, 0, base.length() - 1)
                .append(",\"stock\":").append(item.stock()).append(",\"shop\":");
        JsonText.appendQuoted(json, item.shop()).append(",\"servedBy\":");
        JsonText.appendQuoted(json, nodeId).append('}');
        return AppResponse.of(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, json.toString());
    }

    /** Who the application sees as the caller: the principal an API gateway authenticated and passed on. */
    private AppResponse me(String principal) {
        StringBuilder json = new StringBuilder(64).append("{\"principal\":");
        if (principal == null) {
            json.append("null");
        } else {
            JsonText.appendQuoted(json, principal);
        }
        json.append(",\"servedBy\":");
        JsonText.appendQuoted(json, nodeId).append('}');
        return AppResponse.of(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, json.toString());
    }

    /** Echoes the cart the client posted, so POST round trips can be checked end to end. */
    private static AppResponse cart(ByteBuf body) {
        if (body == null || !body.isReadable()) {
            release(body);
            return AppResponse.of(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, "{}");
        }
        return new AppResponse(HttpResponseStatus.OK, TomcatHeaders.APPLICATION_JSON_UTF8, body, new CharSequence[0]);
    }

    /** The home page as last rendered: its picks change once a minute, so it is rendered once a minute. */
    private record RenderedPage(long minute, byte[] html) {
    }

    private volatile RenderedPage home;

    private AppResponse homePage() {
        long minute = System.currentTimeMillis() / 60_000;
        RenderedPage page = home;
        if (page == null || page.minute() != minute) {
            page = new RenderedPage(minute, renderHomePage(minute).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            home = page;
        }
        // Each response wraps the shared bytes; nothing writes to them.
        return AppResponse.of(HttpResponseStatus.OK, LabHeaders.TEXT_HTML_UTF8, page.html());
    }

    private String renderHomePage(long minute) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Taobao Lab</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/css/shop.css\">\n")
                .append("<script src=\"/static/js/shop.js\" defer></script>\n</head>\n<body>\n")
                .append("<header><img src=\"/static/img/logo.svg\" alt=\"Taobao Lab\" height=\"40\">")
                .append("<form action=\"/api/search\" method=\"get\" id=\"search\">")
                .append("<input name=\"q\" placeholder=\"Search the lab shop\" value=\"phone\">")
                .append("<button>Search</button></form></header>\n<main>\n<h1>Today's picks</h1>\n<ul class=\"items\">\n");
        int first = (int) (minute % (ShopCatalog.SIZE - 6)) + 1;
        for (int id = first; id < first + 6; id++) {
            ShopCatalog.Item it = ShopCatalog.item(id);
            html.append("<li><a href=\"/api/item/").append(id).append("\">").append(escapeHtml(it.title()))
                    .append("</a> <span class=\"price\">&#165;").append(it.priceCents() / 100).append('.')
                    .append(it.priceCents() % 100 < 10 ? "0" : "").append(it.priceCents() % 100).append("</span></li>\n");
        }
        html.append("</ul>\n<div id=\"results\"></div>\n</main>\n<footer>Page rendered by <b>").append(escapeHtml(nodeId))
                .append("</b> (Tomcat tier)</footer>\n</body>\n</html>\n");
        return html.toString();
    }

    static AppResponse methodNotAllowed(String allow) {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed").withHeaders(TomcatHeaders.ALLOW, allow);
    }

    /** A JSON error body: {@code {"status":404,"error":"Not Found","message":"..."}}. */
    static AppResponse error(HttpResponseStatus status, String message) {
        StringBuilder json = new StringBuilder(64 + message.length()).append("{\"status\":").append(status.code())
                .append(",\"error\":");
        JsonText.appendQuoted(json, status.reasonPhrase()).append(",\"message\":");
        JsonText.appendQuoted(json, message).append('}');
        return AppResponse.of(status, TomcatHeaders.APPLICATION_JSON_UTF8, json.toString());
    }

    static final String NOT_FOUND_DESCRIPTION = "The origin server did not find a current representation for the target"
            + " resource or is not willing to disclose that one exists.";
    static final String BAD_REQUEST_DESCRIPTION = "The server cannot or will not process the request due to something"
            + " that is perceived to be a client error (e.g., malformed request syntax, invalid request message framing,"
            + " or deceptive request routing).";
    static final String NOT_IMPLEMENTED_DESCRIPTION = "The server does not support the functionality required to fulfill the request.";

    /** Tomcat's own error page for a path no servlet maps. */
    static AppResponse notFoundPage(String path) {
        return statusPage(HttpResponseStatus.NOT_FOUND, "The requested resource [" + path + "] is not available",
                NOT_FOUND_DESCRIPTION);
    }

    /**
     * A status report as Tomcat's ErrorReportValve writes it (shorter, without its style sheet):
     * {@code text/html;charset=utf-8} with {@code Content-Language: en}. {@code message} may be null.
     */
    static AppResponse statusPage(HttpResponseStatus status, String message, String description) {
        String title = "HTTP Status " + status.code() + " \u2013 " + status.reasonPhrase();
        StringBuilder html = new StringBuilder(512).append("<!doctype html><html lang=\"en\"><head><title>").append(title)
                .append("</title></head><body><h1>").append(title).append("</h1><hr><p><b>Type</b> Status Report</p>");
        if (message != null) {
            html.append("<p><b>Message</b> ").append(escapeHtml(message)).append("</p>");
        }
        html.append("<p><b>Description</b> ").append(description)
                .append("</p><hr><h3>Taobao Lab (Tomcat tier)</h3></body></html>");
        return AppResponse.of(status, TomcatHeaders.ERROR_PAGE_HTML, html.toString()).withContentLanguage(TomcatHeaders.EN);
    }

    static String escapeHtml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void release(ByteBuf body) {
        if (body != null) {
            body.release();
        }
    }
}
