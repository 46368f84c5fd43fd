package dev.flowlab.reliability;

import dev.flowlab.stack.Stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.runtime.Lab;
import dev.flowlab.scenario.ScenarioLibrary;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A malformed-HTTP corpus and a smuggling set, sent to each HTTP tier of the default stack on
 * real sockets. Per input: an answer or a close, never a hang; never a 5xx (a 5xx for a
 * client's bytes would be the lab blaming a backend, or failing, for what a client sent), except
 * the Tomcat's own 501 Not Implemented for a method no servlet implements, which the real one sends
 * and the tiers in front relay;
 * never more requests reaching the backends than the front tier itself received (no hidden request);
 * and the tier serves a good request afterwards.
 */
@Tag("reliability")
class HttpCorpusTest {
    record Outcome(int status, boolean closed, boolean hung, int responses) {
    }

    static Outcome send(InetSocketAddress to, String raw) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(to, 5_000);
            s.setSoTimeout(4_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean hung = false;
            boolean closed = false;
            try {
                byte[] buf = new byte[8192];
                for (int n; ; ) {
                    n = in.read(buf);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    got.write(buf, 0, n);
                    if (firstResponseComplete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                hung = got.size() == 0;
            } catch (java.net.SocketException e) {
                closed = true;
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            List<Integer> all = Raw.statuses(text);
            return new Outcome(all.isEmpty() ? -1 : all.get(0), closed, hung, all.size());
        }
    }

    static boolean firstResponseComplete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            return false;
        }
        long length = 0;
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        return text.length() >= end + 4 + length;
    }

    /** Inputs after which a server rightly waits for more (the client timeouts, tested in SlowClientsTest, close them). */
    static final java.util.Set<String> WAITS = java.util.Set.of();

    static Map<String, String> corpus(String host) {
        Map<String, String> c = new LinkedHashMap<>();
        String h = "Host: " + host + "\r\n";
        // request lines
        c.put("no version", "GET /\r\n" + h + "\r\n");
        c.put("version 9.9", "GET / HTTP/9.9\r\n" + h + "\r\n");
        c.put("version junk", "GET / HTTP/1.1x\r\n" + h + "\r\n");
        c.put("version lowercase", "GET / http/1.1\r\n" + h + "\r\n");
        c.put("lowercase method", "get / HTTP/1.1\r\n" + h + "\r\n");
        c.put("digit method", "1GET / HTTP/1.1\r\n" + h + "\r\n");
        c.put("method with slash", "GE/T / HTTP/1.1\r\n" + h + "\r\n");
        c.put("two spaces", "GET  / HTTP/1.1\r\n" + h + "\r\n");
        c.put("tab separator", "GET\t/\tHTTP/1.1\r\n" + h + "\r\n");
        c.put("NUL in path", "GET /a\0b HTTP/1.1\r\n" + h + "\r\n");
        c.put("space in path", "GET /a b HTTP/1.1\r\n" + h + "\r\n");
        c.put("control in path", "GET /a\u0001b HTTP/1.1\r\n" + h + "\r\n");
        c.put("garbage", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n");
        c.put("uri 70k", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n" + h + "\r\n");
        c.put("percent junk", "GET /%zz%%% HTTP/1.1\r\n" + h + "\r\n");
        c.put("dot dot", "GET /../../etc/passwd HTTP/1.1\r\n" + h + "\r\n");
        c.put("absolute form", "GET http://evil.example/ HTTP/1.1\r\n" + h + "\r\n");
        c.put("asterisk", "OPTIONS * HTTP/1.1\r\n" + h + "\r\n");
        c.put("CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\n" + h + "\r\n");
        // headers
        c.put("no colon", "GET / HTTP/1.1\r\n" + h + "Bad Header\r\n\r\n");
        c.put("space before colon", "GET / HTTP/1.1\r\n" + h + "X-a : b\r\n\r\n");
        c.put("empty name", "GET / HTTP/1.1\r\n" + h + ": b\r\n\r\n");
        c.put("obs fold", "GET / HTTP/1.1\r\n" + h + "X-a: b\r\n  c\r\n\r\n");
        c.put("NUL in value", "GET / HTTP/1.1\r\n" + h + "X-a: b\0c\r\n\r\n");
        c.put("bare LF", "GET / HTTP/1.1\n" + h.replace("\r\n", "\n") + "\n");
        c.put("bare CR", "GET / HTTP/1.1\r" + h + "\r\n");
        c.put("no Host 1.1", "GET / HTTP/1.1\r\n\r\n");
        c.put("two Hosts", "GET / HTTP/1.1\r\n" + h + h + "\r\n");
        c.put("header 40k", "GET / HTTP/1.1\r\n" + h + "X-a: " + "b".repeat(40_000) + "\r\n\r\n");
        c.put("5000 headers", "GET / HTTP/1.1\r\n" + h + "X-a: b\r\n".repeat(5000) + "\r\n");
        c.put("underscore name", "GET /api/item/1 HTTP/1.1\r\n" + h + "X_a: b\r\n\r\n");
        // bodies and framing
        c.put("CL negative", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n");
        c.put("CL plus", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: +2\r\n\r\n{}");
        c.put("CL junk", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: 2x\r\n\r\n{}");
        c.put("CL huge", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n{}");
        c.put("CL over limit", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: 50000000\r\n\r\n{}");
        c.put("chunk size junk", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        c.put("chunk size huge", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n");
        c.put("TE unknown", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n{}");
        c.put("TE identity", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}");
        return c;
    }

    /** Each ends with a request the front tier must not pass on hidden in another's body. */
    static Map<String, String> smuggling(String host) {
        Map<String, String> c = new LinkedHashMap<>();
        String h = "Host: " + host + "\r\n";
        String hidden = "GET /api/item/2 HTTP/1.1\r\n" + h + "\r\n";
        c.put("CL.TE", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: " + (5 + hidden.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden);
        c.put("TE.CL", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(hidden.length()) + "\r\n" + hidden + "\r\n0\r\n\r\n");
        c.put("two CL", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: 0\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden);
        c.put("TE obfuscated", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: " + (5 + hidden.length()) + "\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + hidden);
        c.put("TE space", "POST /api/cart HTTP/1.1\r\n" + h + "Content-Length: " + (5 + hidden.length()) + "\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + hidden);
        c.put("TE two values", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + hidden);
        c.put("TE in 1.0", "POST /api/cart HTTP/1.0\r\n" + h + "Content-Length: " + (5 + hidden.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden);
        c.put("chunk ext", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0;x=\"\r\n\r\n" + hidden + "\"\r\n\r\n");
        c.put("LF chunk", "POST /api/cart HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0\n\n" + hidden);
        return c;
    }

    private static long backendRequests(Lab lab) {
        long n = 0;
        for (String t : List.of("tomcat-1", "tomcat-2", "tomcat-3")) {
            n += lab.metrics().node(t).requests();
        }
        return n;
    }

    @Test
    void everyTier_malformedCorpus_smugglingAndMutations_noHangNo5xxNoHiddenRequest() throws Exception {
        try (Lab lab = Stack.lab(ScenarioLibrary.load("default"))) {
            lab.start();
            Random random = new Random(7);
            Map<String, Map<String, Integer>> tally = new TreeMap<>();
            for (String tier : List.of("nginx-1", "gateway-1", "tomcat-1")) {
                InetSocketAddress a = lab.address(tier);
                Map<String, String> inputs = new LinkedHashMap<>(corpus(Raw.hostPort(a)));
                if (!tier.startsWith("tomcat")) {
                    smuggling(Raw.hostPort(a)).forEach((k, v) -> inputs.put("smuggling " + k, v));
                }
                String good = "GET /api/search?q=tea HTTP/1.1\r\nHost: " + Raw.hostPort(a) + "\r\nUser-Agent: corpus\r\n\r\n";
                for (int i = 0; i < 300; i++) {
                    StringBuilder m = new StringBuilder(good);
                    for (int k = 0, edits = 1 + random.nextInt(3); k < edits; k++) {
                        int at = random.nextInt(m.length());
                        switch (random.nextInt(4)) {
                            case 0 -> m.insert(at, "\r\n\0 :\t/".charAt(random.nextInt(7)));
                            case 1 -> m.deleteCharAt(at);
                            case 2 -> m.setCharAt(at, (char) random.nextInt(256));
                            default -> m.insert(at, "\r\n");
                        }
                    }
                    // whatever the edits broke, the header ends: a server has all it needs to answer
                    inputs.put("mutation " + i, m.append("\r\n\r\n").toString());
                }
                Map<String, Integer> counts = tally.computeIfAbsent(tier, k -> new TreeMap<>());
                for (Map.Entry<String, String> in : inputs.entrySet()) {
                    long before = backendRequests(lab);
                    long frontBefore = lab.metrics().node(tier).requests();
                    Outcome o = send(a, in.getValue());
                    long reached = backendRequests(lab) - before;
                    long received = lab.metrics().node(tier).requests() - frontBefore;
                    String what = tier + " / " + in.getKey() + " -> " + o;
                    if (!WAITS.contains(in.getKey())) {
                        assertThat(o.hung()).as(what + ": no answer and no close").isFalse();
                    }
                    // the 5xx a client's bytes rightly get: the Tomcat's own 501 for a method HttpServlet does not
                    // implement (a lowercase "get", "1GET", a mutated "GxT"...), as the real Tomcat 10.1 answers
                    // (RealTomcatDifferentialTest), directly or relayed by the tiers in front; and nginx's own 501
                    // (a Transfer-Encoding other than chunked) and 505 (HTTP/2.0 or above on its HTTP/1 port), as the
                    // real nginx 1.22 answers (RealNginxDifferentialTest). Nothing counts them against a backend: no
                    // proxy_next_upstream or breaker case covers 501 or 505, and nginx's never reach one
                    boolean nginxOwn = tier.startsWith("nginx") && o.status() == 505;
                    assertThat(o.status() >= 500 && o.status() != 501 && !nginxOwn).as(what + ": a 5xx for a client's bytes").isFalse();
                    if (!tier.startsWith("tomcat")) {
                        // no hidden request: the backends see no more requests than the front tier took in as requests
                        assertThat(reached).as(what + ": requests that reached a backend").isLessThanOrEqualTo(received);
                    }
                    counts.merge(o.status() < 0 ? "closed without an answer" : (o.status() / 100) + "xx", 1, Integer::sum);
                }
                assertThat(Raw.status(Raw.exchange(a, good.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")))).as(tier).isEqualTo(200);
            }
            System.out.println("HTTP corpus outcomes per tier: " + tally);
        }
    }
}
