package dev.flowlab.tier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.topology.GatewayConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocol conversion: every shop API call answered through the gateway (HTTP -> RPC -> HTTP)
 * is the answer Tomcat gives over HTTP; malformed HTTP is refused cleanly.
 */
class GatewayConversionTest {
    private record Call(String method, String path, String body) {
    }

    private static final List<Call> SHOP_CALLS = List.of(
            new Call("GET", "/", null),
            new Call("GET", "/health", null),
            new Call("GET", "/api/search?q=phone", null),
            new Call("GET", "/api/search?q=%E8%8C%B6+cup", null),
            new Call("GET", "/api/search", null),
            new Call("GET", "/api/item/42", null),
            new Call("GET", "/api/item/999999", null),
            new Call("GET", "/api/item/abc", null),
            new Call("POST", "/api/cart", "{\"item\":42,\"qty\":2,\"note\":\"\u8336\"}"),
            new Call("POST", "/api/cart", ""),
            new Call("GET", "/api/cart", null),
            new Call("DELETE", "/api/item/1", null),
            new Call("HEAD", "/api/item/7", null),
            new Call("GET", "/api/me", null),
            new Call("GET", "/api/nothing-here", null),
            new Call("GET", "/no/such/page", null),
            new Call("GET", "/static/css/shop.css", null),
            new Call("GET", "/static/js/shop.js", null),
            new Call("GET", "/static/img/logo.svg", null));

    private static HttpResponse<byte[]> send(GatewayLab g, URI uri, Call c) throws Exception {
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).method(c.method(), body);
        if (c.body() != null) {
            b.header("Content-Type", "application/json");
        }
        return g.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void everyShopCall_roundTripsThroughTheRpcConversion() throws Exception {
        GatewayConfig cfg = new GatewayConfig(null, null, null, null, null, null, null, null);
        try (GatewayLab g = new GatewayLab(cfg, 1)) {
            for (Call c : SHOP_CALLS) {
                HttpResponse<byte[]> direct = send(g, GatewayLab.uri(g.lab.address("tomcat-1"), c.path()), c);
                HttpResponse<byte[]> viaGateway = send(g, g.uri(c.path()), c);
                String what = c.method() + " " + c.path();
                assertThat(viaGateway.statusCode()).as(what).isEqualTo(direct.statusCode());
                assertThat(viaGateway.headers().firstValue("content-type")).as(what).isEqualTo(direct.headers().firstValue("content-type"));
                assertThat(viaGateway.headers().firstValue("allow")).as(what).isEqualTo(direct.headers().firstValue("allow"));
                assertThat(viaGateway.headers().firstValue("x-served-by")).as(what).hasValue("tomcat-1");
                if (!c.method().equals("HEAD") && !c.path().equals("/")) {
                    assertThat(new String(viaGateway.body(), StandardCharsets.UTF_8)).as(what)
                            .isEqualTo(new String(direct.body(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String exchange(java.net.InetSocketAddress a, byte[] request) throws Exception {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            // the server answers and closes: read to the end
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void malformedHttp_is400AndTheConnectionCloses_theGatewayGoesOn() throws Exception {
        try (GatewayLab g = new GatewayLab(new GatewayConfig(null, null, null, null, null, null, null, null), 1)) {
            java.net.InetSocketAddress a = g.lab.address(GatewayLab.GATEWAY);
            String bad = exchange(a, "GET /api/item/1 HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(bad).startsWith("HTTP/1.1 400 Bad Request").contains("connection: close").contains("malformed HTTP request");
            String binary = exchange(a, new byte[] {(byte) 0xF1, 0x0B, 1, 1, 0, 0, 0, 4, 0, 0, 0, 0, '\r', '\n', '\r', '\n'});
            assertThat(binary).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(g.get("/api/item/1").statusCode()).isEqualTo(200);
        }
    }
}
