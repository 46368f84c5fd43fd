package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class NginxVariablesTest {
    private static HttpRequest request(String uri) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("Host", "Shop.Example:8080").set("X-Trace", "t-1").set("Cookie", "uid=42; theme=dark");
        return r;
    }

    @Test
    void expandsNginxVariables_withAndWithoutBraces() {
        HttpRequest r = request("/item/7?color=red&size=m");
        assertThat(NginxVariables.expand("$host${uri}?$args", r, "10.0.0.1")).isEqualTo("shop.example/item/7?color=red&size=m");
        assertThat(NginxVariables.expand("$remote_addr|$http_x_trace|$arg_size|$cookie_uid|$request_method", r, "10.0.0.1"))
                .isEqualTo("10.0.0.1|t-1|m|42|GET");
        assertThat(NginxVariables.expand("$REQUEST_URI", r, null)).isEqualTo("/item/7?color=red&size=m");
        assertThat(NginxVariables.expand("$unknown-x", r, null)).isEqualTo("-x");
    }

    @Test
    void aDollarWithoutAName_staysAsItIs() {
        HttpRequest r = request("/");
        assertThat(NginxVariables.expand("cost $5 ${ } $", r, null)).isEqualTo("cost $5 ${ } $");
        assertThat(NginxVariables.expand("no variables", r, null)).isEqualTo("no variables");
        assertThat(NginxVariables.expand("", r, null)).isEmpty();
    }

    @Test
    void proxyVariables_takeTheProxiedRequestsValues_andAreNeverExpandedAgain() {
        HttpRequest r = request("/a");
        assertThat(NginxVariables.expand("$proxy_add_x_forwarded_for", r, "10.0.0.1", "1.2.3.4, $uri, 10.0.0.1", "backends"))
                .as("a client's X-Forwarded-For is sent as it came").isEqualTo("1.2.3.4, $uri, 10.0.0.1");
        assertThat(NginxVariables.expand("$proxy_host:$uri", r, null, null, "backends")).isEqualTo("backends:/a");
        assertThat(NginxVariables.expand("[$proxy_host]", r, null)).as("outside a proxied request").isEqualTo("[]");
    }
}
