package dev.flowlab.tier.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ngx_http_parse_complex_uri as ported: each row is what the real nginx 1.22.1 made of the
 * request target ($uri, or 400), checked with {@code location / { return 200 "$uri"; }}.
 */
class NginxUriTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "400", value = {
        "/static/a.txt|/static/a.txt",
        "/static/../private/x|/private/x",
        "/static/%2e%2e/private/x|/private/x",
        "/static/%2E%2E/%2E%2E/secret.txt|400",
        "/static/.%2e/x|/x",
        "/static/%252e%252e/private/x|/static/%2e%2e/private/x",
        "/static/..\\x|/static/..\\x",
        "/static/..%5cx|/static/..\\x",
        "/static/%00x|400",
        "/../x|400",
        "/%2e%2e|400",
        "/a/b/../../..|400",
        "/static/..%2f..%2fsecret.txt|400",
        "/static//a.txt|/static/a.txt",
        "/static/./a.txt|/static/a.txt",
        "/static/a.txt/..|/static/",
        "/static/.|/static/",
        "/static/..|/",
        "/static/a.txt%3f|/static/a.txt?",
        "/static%2fa.txt|/static/a.txt",
        "/static/a.txt#frag|/static/a.txt",
        "/static/a.txt?x=1|/static/a.txt",
        "/static/%zz|400",
        "/static/%2|400",
        "http://foo/static/a.txt|/static/a.txt",
        "http://foo|/",
        "/caf%C3%A9|/café",
    })
    void asNginx(String target, String expected) {
        NginxUri.Parsed p = NginxUri.parse(target);
        if (expected == null) {
            assertThat(p).as(target).isNull();
        } else {
            assertThat(p).as(target).isNotNull();
            assertThat(p.path()).as(target).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a?x=1&y=2|x=1&y=2",
        "/a?x=1#f|x=1",
        "http://h:8080/a?b|b",
    })
    void argsAreRaw(String target, String args) {
        assertThat(NginxUri.parse(target).args()).isEqualTo(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*",
        "foo",
        "://x/",
        "http:///x",
    })
    void notATarget(String target) {
        assertThat(NginxUri.parse(target)).isNull();
    }
}
