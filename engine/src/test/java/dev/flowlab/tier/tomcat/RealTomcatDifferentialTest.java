package dev.flowlab.tier.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowlab.runtime.Assets;
import dev.flowlab.topology.Params;
import dev.flowlab.topology.TomcatConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's Tomcat tier against the real Apache Tomcat 10.1 (the Debian/Ubuntu {@code tomcat10}
 * package): the same raw requests to both, the protocol-level answers compared. Skipped when
 * {@code /usr/share/tomcat10} is absent ({@code apt-get install tomcat10}; {@code .ci/run} does).
 *
 * <p>The real Tomcat runs as a private instance of the current user: a temporary CATALINA_BASE
 * with one Connector on a free 127.0.0.1 port, its attributes the lab's defaults, and a ROOT
 * webapp standing in for the shop: a servlet (compiled here against Tomcat's servlet-api.jar)
 * answering {@code /health}, {@code /api/search} and {@code POST /api/cart} as the shop does, and
 * the lab's own static files (copied with their modification times, so the ETags agree) served by
 * Tomcat's DefaultServlet.
 *
 * <p>Compared: the status code, the status line byte for byte, the response header names as sent
 * (case and order), the values of Content-Type, Connection, Keep-Alive, Content-Language,
 * Accept-Ranges, ETag, Last-Modified, Content-Length where the bodies are the same, and whether
 * the connection stays open (a second request on it is answered) or closes. Excluded, because
 * they must differ: bodies of error pages (Tomcat's has its style sheet, stack traces and version;
 * the lab's is shorter) and so their Content-Length, Date values, and the lab's own headers
 * ({@code x-served-by}, {@code x-lab-trace}). Neither sends a Server header.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealTomcatDifferentialTest {
    private static final Path HOME = Path.of("/usr/share/tomcat10");
    private static final Set<String> LAB_ONLY = Set.of("x-served-by", "x-lab-trace");
    private static final Set<String> COMPARED_VALUES = Set.of("content-type", "connection", "keep-alive",
            "content-language", "accept-ranges", "etag", "last-modified", "allow");
    private static final Duration START_DEADLINE = Duration.ofSeconds(40);

    @TempDir
    static Path base;
    private static Process tomcat;
    private static InetSocketAddress real;
    private static TomcatLab lab;

    private static final String SERVLET = """
            import jakarta.servlet.http.HttpServlet;
            import jakarta.servlet.http.HttpServletRequest;
            import jakarta.servlet.http.HttpServletResponse;
            import java.io.IOException;

            /** Answers like the lab's shop on the paths the differential test uses. */
            public class ShopServlet extends HttpServlet {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setContentType("application/json");
                    resp.setCharacterEncoding("UTF-8");
                    if (req.getRequestURI().equals("/api/search") && req.getParameter("q") == null) {
                        resp.setStatus(400);
                        resp.getWriter().write("{\\"status\\":400}");
                        return;
                    }
                    resp.getWriter().write("{\\"status\\":\\"UP\\"}");
                }

                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setContentType("application/json");
                    resp.setCharacterEncoding("UTF-8");
                    resp.getOutputStream().write(req.getInputStream().readAllBytes());
                }
            }
            """;

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <servlet><servlet-name>shop</servlet-name><servlet-class>ShopServlet</servlet-class>
                <load-on-startup>1</load-on-startup></servlet>
              <servlet-mapping><servlet-name>shop</servlet-name>
                <url-pattern>/health</url-pattern><url-pattern>/api/*</url-pattern></servlet-mapping>
            </web-app>
            """;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(HOME.resolve("bin/catalina.sh")),
                "the real Tomcat 10 is not installed (/usr/share/tomcat10 absent): apt-get install tomcat10 to run this test");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "no Java compiler in this runtime to build the test's servlet");
        Path defaultWebXml = Stream.of(HOME.resolve("etc/web.xml"), Path.of("/etc/tomcat10/web.xml"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(defaultWebXml != null, "the tomcat10 package's default web.xml is missing");

        for (String dir : List.of("conf", "logs", "temp", "work", "webapps/ROOT/WEB-INF/classes")) {
            Files.createDirectories(base.resolve(dir));
        }
        Files.copy(defaultWebXml, base.resolve("conf/web.xml"));
        int port = freePort();
        Files.writeString(base.resolve("conf/server.xml"), serverXml(port));
        Path root = base.resolve("webapps/ROOT");
        Files.writeString(root.resolve("WEB-INF/web.xml"), WEB_XML);
        Path src = Files.createDirectories(base.resolve("src")).resolve("ShopServlet.java");
        Files.writeString(src, SERVLET);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "-nowarn", "-cp", HOME.resolve("lib/servlet-api.jar").toString(),
                "-d", root.resolve("WEB-INF/classes").toString(), src.toString());
        assertThat(rc).as("compiling the servlet: %s", errors).isZero();
        copyTree(Assets.siteRoot().resolve("static"), root.resolve("static"));

        ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/console.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("CATALINA_HOME", HOME.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_TMPDIR", base.resolve("temp").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CATALINA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1");
        env.remove("JAVA_OPTS");
        tomcat = pb.start();
        real = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        awaitServing();
        lab = TomcatLab.withDefaults();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            if (tomcat != null) {
                List<ProcessHandle> children = tomcat.descendants().toList();
                tomcat.destroy();
                if (!tomcat.waitFor(20, TimeUnit.SECONDS)) {
                    tomcat.destroyForcibly();
                    tomcat.waitFor(10, TimeUnit.SECONDS);
                }
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** The lab's effective connector defaults, written as the real Tomcat's Connector attributes. */
    private static String serverXml(int port) {
        TomcatConfig c = Params.withDefaults(TomcatConfig.EMPTY);
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Service name="Catalina">
                    <Connector address="127.0.0.1" port="%d" protocol="HTTP/1.1" maxThreads="%d" minSpareThreads="%d"
                               acceptCount="%d" maxConnections="%d" connectionTimeout="%d" keepAliveTimeout="%d"
                               maxKeepAliveRequests="%d" maxHttpHeaderSize="%d"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port, c.maxThreads(), c.minSpareThreads(), c.acceptCount(), c.maxConnections(),
                c.connectionTimeout().toMillis(), c.effectiveKeepAliveTimeout().toMillis(), c.maxKeepAliveRequests(),
                TomcatSettings.MAX_HTTP_HEADER_SIZE);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Waits, with a deadline, until the real Tomcat answers /health with 200 (the port open and the servlet up). */
    private static void awaitServing() throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            if (!tomcat.isAlive()) {
                throw new AssertionError("catalina.sh run exited with " + tomcat.exitValue() + ":\n" + consoleTail());
            }
            try (Wire w = Wire.connect(real, 2_000)) {
                Answer a = w.exchange("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                if (a.status() == 200) {
                    return;
                }
                last = a.statusLine();
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the real Tomcat did not serve /health within " + START_DEADLINE.toSeconds()
                + " s (last: " + last + "):\n" + consoleTail());
    }

    private static String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(base.resolve("logs/console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    // --- the cases ------------------------------------------------------------------------------

    private static final String FOLLOW_UP = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    /** One request to both servers; every compared property must agree. Returns the two answers. */
    private static Answer[] same(String label, String request, boolean sameBody) throws IOException {
        return same(label, request, null, sameBody);
    }

    private static Answer[] same(String label, String request, String body, boolean sameBody) throws IOException {
        Answer tc = Wire.probe(real, request, body);
        Answer lb = Wire.probe(lab.address(), request, body);
        System.out.printf("%-28s real: %-14s %-6s %s%n%-28s lab:  %-14s %-6s %s%n", label,
                "[" + tc.statusLine() + "]", tc.closed() ? "closed" : "open", tc.names(),
                "", "[" + lb.statusLine() + "]", lb.closed() ? "closed" : "open", lb.names(LAB_ONLY));
        assertThat(lb.interim()).as("%s: interim response", label).isEqualTo(tc.interim());
        assertThat(lb.statusLine()).as("%s: status line", label).isEqualTo(tc.statusLine());
        assertThat(lb.names(LAB_ONLY)).as("%s: header names as sent, in order", label).isEqualTo(tc.names());
        for (String name : COMPARED_VALUES) {
            assertThat(lb.header(name)).as("%s: %s", label, name).isEqualTo(tc.header(name));
        }
        if (sameBody) {
            assertThat(lb.header("content-length")).as("%s: Content-Length", label).isEqualTo(tc.header("content-length"));
            assertThat(lb.body()).as("%s: body", label).isEqualTo(tc.body());
        }
        assertThat(lb.closed()).as("%s: connection closed after the response", label).isEqualTo(tc.closed());
        return new Answer[] {tc, lb};
    }

    @Test
    void plainGet_http11() throws Exception {
        Answer[] a = same("GET /health HTTP/1.1", "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
        assertThat(a[0].statusLine()).isEqualTo("HTTP/1.1 200 ");
        assertThat(a[0].header("content-type")).isEqualTo("application/json;charset=UTF-8");
        assertThat(a[0].header("server")).isNull();
        assertThat(a[1].header("server")).isNull();
        assertThat(a[1].closed()).isFalse();
    }

    @Test
    void head_sendsTheLengthAndNoBody() throws Exception {
        same("HEAD /health", "HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
    }

    @Test
    void http11WithoutHost_is400AndClose() throws Exception {
        Answer[] a = same("HTTP/1.1 without Host", "GET /health HTTP/1.1\r\n\r\n", false);
        assertThat(a[1].status()).isEqualTo(400);
        assertThat(a[1].closed()).isTrue();
        same("absolute URI, no Host", "GET http://localhost/health HTTP/1.1\r\n\r\n", false);
        same("empty Host", "GET /health HTTP/1.1\r\nHost:\r\n\r\n", true);
        same("HTTP/1.0 without Host", "GET /health HTTP/1.0\r\n\r\n", true);
    }

    @Test
    void twoHostHeaders_are400_onBothVersions() throws Exception {
        assertThat(same("two Hosts, HTTP/1.1", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false)[1].status())
                .isEqualTo(400);
        same("two equal Hosts, HTTP/1.1", "GET /health HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", false);
        same("two Hosts, HTTP/1.0", "GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", false);
    }

    @Test
    void keepAliveHeaders_asTomcatSendsThem() throws Exception {
        Answer[] ka10 = same("HTTP/1.0 keep-alive", "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true);
        assertThat(ka10[1].header("keep-alive")).isEqualTo("timeout=60");
        assertThat(ka10[1].closed()).isFalse();
        same("HTTP/1.0 Keep-Alive", "GET /health HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true);
        same("HTTP/1.0 no keep-alive", "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n", true);
        same("HTTP/1.1 keep-alive", "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n", true);
        same("HTTP/1.1 TE, keep-alive", "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: TE, keep-alive\r\n\r\n", true);
        same("HTTP/1.1 close", "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", true);
    }

    @Test
    void malformedRequestLines_are400AndClose() throws Exception {
        same("extra token after version", "GET /health HTTP/1.1 extra\r\nHost: localhost\r\n\r\n", false);
        same("method not a token", "G@T /health HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
        same("garbage line", "GARBAGE\r\n\r\n", false);
        same("space in the target", "GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
        same("bad protocol name", "GET /health HTTQ/1.1\r\nHost: localhost\r\n\r\n", false);
        same("header line without colon", "GET /health HTTP/1.1\r\nHost: localhost\r\nNoColon\r\n\r\n", false);
    }

    @Test
    void oversizedHeader_is400AndClose() throws Exception {
        same("header over 8 KB", "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n", false);
        same("request line over 8 KB", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
    }

    @Test
    void lowercaseAndUnknownMethods_are501AndClose() throws Exception {
        assertThat(same("lowercase get", "get /health HTTP/1.1\r\nHost: localhost\r\n\r\n", false)[1].status()).isEqualTo(501);
        same("lowercase get, static", "get /static/css/shop.css HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
        same("PATCH", "PATCH /health HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
    }

    @Test
    void applicationStatusesThatDropTheConnection() throws Exception {
        Answer[] a = same("app 400 (search, no q)", "GET /api/search HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
        assertThat(a[1].header("connection")).isEqualTo("close");
        same("app 400, HTTP/1.0 keep-alive", "GET /api/search HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false);
    }

    @Test
    void notFoundAndStaticFiles() throws Exception {
        Answer[] nf = same("404 page", "GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
        assertThat(nf[1].header("content-type")).isEqualTo("text/html;charset=utf-8");
        same("static file", "GET /static/css/shop.css HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
        same("static file, keep-alive 1.0", "GET /static/js/shop.js HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true);
    }

    @Test
    void expectContinue_interimResponseHasNoReasonPhrase() throws Exception {
        Answer[] a = same("POST with Expect: 100-continue",
                "POST /api/cart HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 9\r\n"
                        + "Expect: 100-continue\r\n\r\n", "{\"a\":123}", true);
        assertThat(a[1].interim()).isEqualTo("HTTP/1.1 100 ");
    }

    @Test
    void maxKeepAliveRequests_theLastResponseSaysClose() throws Exception {
        int max = Params.withDefaults(TomcatConfig.EMPTY).maxKeepAliveRequests();
        for (InetSocketAddress server : List.of(real, lab.address())) {
            try (Wire w = Wire.connect(server, 10_000)) {
                for (int i = 1; i < max; i++) {
                    Answer r = w.exchange("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    assertThat(r.header("connection")).as("%s, response %d", server, i).isNull();
                }
                Answer last = w.exchange("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(last.header("connection")).as("%s, response %d", server, max).isEqualTo("close");
                assertThat(w.atEof()).as("%s closes after response %d", server, max).isTrue();
            }
        }
        System.out.printf("maxKeepAliveRequests %d      both: response %d says Connection: close, then close%n", max, max);
    }

    // --- the wire ---------------------------------------------------------------------------------

    /** One response as it came: the status line and header lines verbatim, the body, whether the server closed after it. */
    record Answer(String interim, String statusLine, List<String[]> headerLines, String body, boolean closed) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(String name) {
            for (String[] h : headerLines) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        List<String> names() {
            return names(Set.of());
        }

        List<String> names(Set<String> except) {
            List<String> out = new ArrayList<>();
            for (String[] h : headerLines) {
                if (!except.contains(h[0].toLowerCase(Locale.ROOT))) {
                    out.add(h[0]);
                }
            }
            return out;
        }
    }

    private static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Wire(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        static Wire connect(InetSocketAddress address, int timeoutMillis) throws IOException {
            Socket s = new Socket();
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return new Wire(s);
        }

        /**
         * Sends {@code request} (then {@code body} once an interim 100 arrived, if given), reads the
         * response, then sends a second request on the same connection: answered means the server kept
         * the connection open, EOF or a reset means it closed it.
         */
        static Answer probe(InetSocketAddress server, String request, String body) throws IOException {
            try (Wire w = connect(server, 10_000)) {
                w.send(request);
                String interim = null;
                String statusLine = w.line();
                if (body != null) {
                    if (statusLine != null && statusLine.contains(" 100")) {
                        interim = statusLine;
                        w.line(); // the blank line that ends the interim response
                    }
                    w.send(body);
                    if (interim != null) {
                        statusLine = w.line();
                    }
                }
                Answer a = w.rest(interim, statusLine, request.startsWith("HEAD "));
                boolean closed;
                try {
                    w.send(FOLLOW_UP);
                    closed = w.line() == null;
                } catch (SocketException e) {
                    closed = true;
                }
                return new Answer(a.interim(), a.statusLine(), a.headerLines(), a.body(), closed);
            }
        }

        Answer exchange(String request) throws IOException {
            send(request);
            return rest(null, line(), request.startsWith("HEAD "));
        }

        private Answer rest(String interim, String statusLine, boolean head) throws IOException {
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            List<String[]> headers = new ArrayList<>();
            Map<String, String> byName = new LinkedHashMap<>();
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                String[] h = {l.substring(0, colon), l.substring(colon + 1).trim()};
                headers.add(h);
                byName.put(h[0].toLowerCase(Locale.ROOT), h[1]);
            }
            String body;
            if (head) {
                body = "";
            } else if (byName.containsKey("content-length")) {
                int length = Integer.parseInt(byName.get("content-length"));
                body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            } else {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(interim, statusLine, headers, body, false);
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** True when the server closes (FIN or reset) before the socket timeout. */
        boolean atEof() throws IOException {
            try {
                return in.read() == -1;
            } catch (SocketException e) {
                return true;
            }
        }

        /** A line without its CRLF; null at EOF or on a reset. */
        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            int c;
            try {
                while ((c = in.read()) != -1) {
                    if (c == '\n') {
                        String s = b.toString(StandardCharsets.ISO_8859_1);
                        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                    }
                    b.write(c);
                }
            } catch (SocketException e) {
                if (b.size() == 0) {
                    return null;
                }
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
