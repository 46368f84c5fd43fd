package dev.flowlab.tier.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShopApplicationTest {
    @TempDir
    Path site;

    private record Answer(int status, String contentType, String body, String[] headers) {
    }

    private Answer call(HttpMethod method, String uri, String body) {
        ShopApplication app = new ShopApplication("tomcat-9", new StaticResources(site));
        ByteBuf in = body == null ? null : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        AppResponse r = app.handle(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri), in);
        try {
            return new Answer(r.status().code(), r.contentType() == null ? null : r.contentType().toString(),
                    r.body().toString(StandardCharsets.UTF_8),
                    java.util.Arrays.stream(r.extraHeaders()).map(CharSequence::toString).toArray(String[]::new));
        } finally {
            r.body().release();
        }
    }

    @Test
    void homePage_listsSixPicksWithPrices_andOneReleasedResponseLeavesTheNextWhole() {
        ShopApplication app = new ShopApplication("tomcat-9", new StaticResources(site));
        for (int i = 0; i < 3; i++) {
            AppResponse r = app.handle(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), null);
            String html = r.body().toString(StandardCharsets.UTF_8);
            // Releasing one response's body must leave the next one whole (they share the rendered page).
            r.body().release();
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(html).contains("<h1>Today's picks</h1>", "Page rendered by <b>tomcat-9</b>");
            assertThat(html.split("<li>", -1)).hasSize(7);
            assertThat(html).containsPattern("&#165;\\d+\\.\\d{2}</span>");
        }
    }

    @Test
    void search_findsTitlesContainingTheQuery_caseInsensitive() {
        Answer a = call(HttpMethod.GET, "/api/search?q=GREEN%20tea", null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("\"match\":\"title\"", "Green Tea", "\"servedBy\":\"tomcat-9\"");
    }

    @Test
    void search_withoutMatches_suggestsRelatedItems_andEscapesTheQuery() {
        Answer a = call(HttpMethod.GET, "/api/search?q=%22%3Cscript%3E", null);
        assertThat(a.body()).contains("\"match\":\"related\"", "\"total\":0", "\"query\":\"\\\"\\u003cscript>\"");
        assertThat(call(HttpMethod.GET, "/api/search", null).status()).isEqualTo(400);
    }

    @Test
    void searchPage_isHtmlOverTheCatalogue_linkingTheShopsAssets() {
        Answer a = call(HttpMethod.GET, "/search?q=Phone", null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("text/html");
        // 1000 items, 16 products: every 16th is a Phone (63 of them; "Headphones" has "phone" too: 63 more).
        long phones = java.util.stream.IntStream.rangeClosed(1, ShopCatalog.SIZE)
                .filter(id -> ShopCatalog.item(id).titleLower().contains("phone")).count();
        assertThat(a.body()).contains("<h1>" + phones + " results for &ldquo;Phone&rdquo;</h1>",
                "href=\"/static/css/shop.css\"", "src=\"/static/js/shop.js\"", "src=\"/static/img/logo.svg\"",
                "Page rendered by <b>tomcat-9</b>", "value=\"Phone\"");
        assertThat(a.body().split("<li class=\"result\">", -1)).hasSize(ShopCatalog.MAX_RESULTS + 1);
        assertThat(a.body()).contains("Classic Phone, ");
    }

    @Test
    void searchPage_withoutMatches_suggests_escapes_andAnEmptyQueryIsTheSearchForm() {
        Answer none = call(HttpMethod.GET, "/search?q=%3Cb%3Ezzz", null);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).contains("No results for &ldquo;&lt;b&gt;zzz&rdquo;", "You may like:")
                .doesNotContain("<b>zzz");
        assertThat(none.body().split("<li class=\"result\">", -1)).hasSize(4);
        Answer empty = call(HttpMethod.GET, "/search", null);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).contains("<h1>Search the shop</h1>");
        assertThat(call(HttpMethod.POST, "/search?q=x", "").status()).isEqualTo(405);
    }

    @Test
    void item_detail_andErrors() {
        assertThat(call(HttpMethod.GET, "/api/item/1000", null).body()).startsWith("{\"id\":1000,");
        assertThat(call(HttpMethod.GET, "/api/item/1001", null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/item/12abc", null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/item/99999999999999", null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/item/", null).status()).isEqualTo(404);
    }

    @Test
    void cart_echoesThePostedBody() {
        assertThat(call(HttpMethod.POST, "/api/cart", "{\"id\":1}").body()).isEqualTo("{\"id\":1}");
        assertThat(call(HttpMethod.POST, "/api/cart", null).body()).isEqualTo("{}");
        Answer wrong = call(HttpMethod.PUT, "/api/cart", "{}");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.headers()).containsExactly("Allow", "POST");
    }

    @Test
    void staticFiles_underTheDocBase_withTraversalRefused() throws Exception {
        Files.createDirectories(site.resolve("static/css"));
        Files.writeString(site.resolve("static/css/a.css"), "p{}");
        Files.writeString(site.getParent().resolve("secret.txt"), "root:x");
        Answer css = call(HttpMethod.GET, "/static/css/a.css", null);
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.contentType()).isEqualTo("text/css");
        assertThat(css.body()).isEqualTo("p{}");
        assertThat(call(HttpMethod.GET, "/static/css/", null).status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/static/../../secret.txt", null).status()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/static/%2e%2e/%2e%2e/secret.txt", null).status()).isEqualTo(400);
        assertThat(call(HttpMethod.POST, "/static/css/a.css", "").status()).isEqualTo(405);
    }

    @Test
    void normalise_resolvesDotSegmentsInsideTheRootOnly() {
        assertThat(StaticResources.normalise("/static/css/../js/shop.js")).isEqualTo("static/js/shop.js");
        assertThat(StaticResources.normalise("/static/./a%20b.css")).isEqualTo("static/a b.css");
        assertThat(StaticResources.normalise("/static/../../x")).isNull();
        assertThat(StaticResources.normalise("/static/..%5c..%5cx")).isNull();
        assertThat(StaticResources.normalise("/static/a%00b")).isNull();
    }

    @Test
    void unknownPaths_get404_jsonUnderApi_htmlElsewhere() {
        assertThat(call(HttpMethod.GET, "/api/none", null).contentType()).isEqualTo("application/json;charset=UTF-8");
        Answer page = call(HttpMethod.GET, "/none<b>", null);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("HTTP Status 404", "/none&lt;b&gt;");
    }
}
