package dev.flowlab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files made to break the reader: too big, too deep, not UTF-8, control characters in ids,
 * durations past any sane value. Each is refused with one problem, at a line and column, in plain
 * words; the limits themselves ({@link ScenarioLimits}) are read.
 */
class ScenarioHostileInputTest {
    private static final String TWO_NODES = """
            "nodes": [{"id": "client", "kind": "client"}, {"id": "tomcat-1", "kind": "tomcat"}],
              "links": [{"from": "client", "to": "tomcat-1"}]""";

    @TempDir
    Path dir;

    /** A case: the text, where its one error is (line, column, path) and what it says. */
    record Case(String name, String json, int line, int column, String path, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Line and column (1-based) of the first {@code needle} in {@code text}. */
    private static int[] at(String text, String needle) {
        int i = text.indexOf(needle);
        assertThat(i).as("'%s' in the case's text", needle).isNotNegative();
        int line = 1 + (int) text.substring(0, i).chars().filter(c -> c == '\n').count();
        return new int[] {line, i - (text.lastIndexOf('\n', i - 1) + 1) + 1};
    }

    private static Case refused(String name, String json, String locatedAt, String path, String message) {
        int[] lc = at(json, locatedAt);
        return new Case(name, json, lc[0], lc[1], path, message);
    }

    static Stream<Case> refusedCases() {
        String deep = "{\"format\": 1, \"x\": " + "[".repeat(70) + "]".repeat(70) + "}";
        String longString = "{\n  \"format\": 1,\n  \"name\": \"" + "x".repeat(ScenarioLimits.MAX_STRING_LENGTH + 1) + "\"\n}";
        String longName = "{\n  \"format\": 1,\n  \"" + "k".repeat(ScenarioLimits.MAX_NAME_LENGTH + 1) + "\": 1\n}";
        String longNumber = "{\"format\": 1, \"nodes\": [{\"id\": \"t\", \"kind\": \"tomcat\", \"config\": {\"maxThreads\": "
                + "7".repeat(ScenarioLimits.MAX_NUMBER_LENGTH + 1) + "}}]}";
        String longId = "{\"format\": 1, \"nodes\": [{\"id\": \"" + "a".repeat(ScenarioLimits.MAX_ID_LENGTH + 1) + "\", \"kind\": \"tomcat\"}]}";
        return Stream.of(
                new Case("nesting past the limit", deep, 1, 20 + 63, "$.x" + "[0]".repeat(63),
                        "nested more than 64 levels deep (objects and arrays inside one another); "
                                + "a scenario file may nest at most 64 levels (its deepest part needs 7)"),
                refused("a string past the limit", longString, "\"xxx", "$.name",
                        "a string longer than 1,000,000 characters; a string in a scenario file may be at most 1,000,000 characters"),
                refused("a field name past the limit", longName, "\"kkk", "$",
                        "a field name longer than 1,000 characters; a field name may be at most 1,000 characters"),
                refused("a number past the limit", longNumber, "777", "$.nodes[0].config.maxThreads",
                        "a number longer than 100 digits; a number in a scenario file may have at most 100 digits"),
                refused("an id past the limit", longId, "\"id\": \"aaa", "$.nodes[0].id",
                        "the id \"" + "a".repeat(60) + "...\" (101 characters) is longer than 100 characters; an id may be at most 100 characters"),
                refused("a line feed in a node id", """
                        {"format": 1,
                          "nodes": [{"id": "client", "kind": "client"}, {"id": "tomcat\\n1", "kind": "tomcat"}]}
                        """, "\"id\": \"tomcat\\n1\"", "$.nodes[1].id",
                        "the id \"tomcat\\n1\" contains a control character (U+000A, a line feed); an id may only contain letters, digits, '-', '_' and '.'"),
                refused("a terminal escape in a link's target", """
                        {"format": 1,
                          "nodes": [{"id": "client", "kind": "client"}, {"id": "tomcat-1", "kind": "tomcat"}],
                          "links": [{"from": "client", "to": "tomcat-1"}, {"from": "client", "to": "\\u001b[2Jtomcat-1"}]}
                        """, "\"to\": \"\\u001b", "$.links[1].to",
                        "the id \"\\u001B[2Jtomcat-1\" contains a control character (U+001B, an escape); an id may only contain letters, digits, '-', '_' and '.'"),
                refused("a line separator in a node id (JSON allows it raw)", "{\"format\": 1,\n  \"nodes\": [{\"id\": \"tom\u2028cat\", \"kind\": \"tomcat\"}]}",
                        "\"id\": \"tom", "$.nodes[0].id",
                        "the id \"tom\\u2028cat\" contains a control character (U+2028, a line separator); an id may only contain letters, digits, '-', '_' and '.'"),
                refused("a tab in a kind", """
                        {"format": 1,
                          "nodes": [{"id": "t", "kind": "tom\\tcat"}]}
                        """, "\"kind\": \"tom", "$.nodes[0].kind",
                        "\"tom\\tcat\" contains a control character (U+0009, a tab); only a description or a label may hold line breaks or tabs"),
                refused("a NUL in a field name", """
                        {"format": 1,
                          "na\\u0000me": "x", %s}
                        """.formatted(TWO_NODES), "\"na", "$['na\\u0000me']",
                        "the field name \"na\\u0000me\" contains a control character (U+0000, a NUL); field names may not hold control characters"),
                refused("an escape in a description", """
                        {"format": 1,
                          "description": "one\\ntwo\\u001b]0;title\\u0007", %s}
                        """.formatted(TWO_NODES), "\"description", "$.description",
                        "\"one\\ntwo\\u001B]0;title\\u0007\" contains a control character (U+001B, an escape); "
                                + "a description may hold line breaks and tabs, no other control characters"),
                refused("a carriage return in an HA group id", """
                        {"format": 1, %s,
                          "haGroups": [{"id": "g\\r1", "members": [{"node": "tomcat-1"}]}]}
                        """.formatted(TWO_NODES), "\"id\": \"g\\r1\"", "$.haGroups[0].id",
                        "the id \"g\\r1\" contains a control character (U+000D, a carriage return); an id may only contain letters, digits, '-', '_' and '.'"),
                refused("a duration that would overflow", """
                        {"format": 1, %s,
                          "traffic": {"duration": "99999999999999999999s"}}
                        """.formatted(TWO_NODES), "\"duration", "$.traffic.duration",
                        "'99999999999999999999s' is longer than a scenario may set: a duration is at most 168h (7 days)"),
                refused("a duration of 300 digits", """
                        {"format": 1, %s,
                          "traffic": {"duration": "%ss"}}
                        """.formatted(TWO_NODES, "9".repeat(300)), "\"duration", "$.traffic.duration",
                        "'9999999999999999999999999999999999999999...' is longer than a scenario may set: a duration is at most 168h (7 days)"),
                refused("1001 nodes", nodes(ScenarioLimits.MAX_NODES + 1), "{\"id\": \"t1000\"", "$.nodes[1000]",
                        "more than 1,000 nodes; a scenario may hold at most 1,000 nodes (the file was not read further)"),
                refused("10001 links", links(ScenarioLimits.MAX_LINKS + 1), "{\"from\": \"c\", \"to\": \"t10000\"", "$.links[10000]",
                        "more than 10,000 links; a scenario may hold at most 10,000 links (the file was not read further)"));
    }

    /** {@code n} Tomcats, one a line. */
    private static String nodes(int n) {
        StringBuilder sb = new StringBuilder("{\n  \"format\": 1,\n  \"nodes\": [\n");
        for (int i = 0; i < n; i++) {
            sb.append("    {\"id\": \"t").append(i).append("\", \"kind\": \"tomcat\"}").append(i + 1 < n ? ",\n" : "\n");
        }
        return sb.append("  ]\n}\n").toString();
    }

    /** {@code n} links from one client, one a line (most to nodes that do not exist: the count stops the read first). */
    private static String links(int n) {
        StringBuilder sb = new StringBuilder("{\n  \"format\": 1,\n  \"nodes\": [{\"id\": \"c\", \"kind\": \"client\"}],\n  \"links\": [\n");
        for (int i = 0; i < n; i++) {
            sb.append("    {\"from\": \"c\", \"to\": \"t").append(i).append("\"}").append(i + 1 < n ? ",\n" : "\n");
        }
        return sb.append("  ]\n}\n").toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCases")
    void hostileText_isRefusedWithOneLocatedProblemInPlainWords(Case c) {
        ScenarioCheck check = ScenarioIO.check(c.json(), "shop.json");

        assertThat(check.errors()).as("errors of " + c.name()).hasSize(1);
        ScenarioProblem p = check.errors().get(0);
        assertThat(List.of(p.line(), p.column())).as("line, column of " + p).containsExactly(c.line(), c.column());
        assertThat(p.path()).isEqualTo(c.path());
        assertThat(p.message()).isEqualTo(c.message());
        assertThat(p.toString()).doesNotContain("\n", "\r", "\u2028").startsWith("shop.json:" + c.line() + ":" + c.column() + ": ");
    }

    static Stream<Arguments> durationFields() {
        return Stream.of(
                Arguments.of("traffic.duration", "\"traffic\": {\"duration\": \"%s\"}", "$.traffic.duration"),
                Arguments.of("script at", "\"script\": [{\"at\": \"%s\", \"action\": \"kill\", \"node\": \"tomcat-1\"}]", "$.script[0].at"),
                Arguments.of("HA advert_int", "\"haGroups\": [{\"id\": \"g\", \"advert_int\": \"%s\", \"members\": [{\"node\": \"tomcat-1\"}]}]",
                        "$.haGroups[0].advert_int"),
                Arguments.of("HA member preempt_delay", "\"haGroups\": [{\"id\": \"g\", \"members\": [{\"node\": \"tomcat-1\", \"preempt_delay\": \"%s\"}]}]",
                        "$.haGroups[0].members[0].preempt_delay"),
                Arguments.of("client requestTimeout", "\"nodes\": [{\"id\": \"c\", \"kind\": \"client\", \"config\": {\"requestTimeout\": \"%s\"}}]",
                        "$.nodes[0].config.requestTimeout"),
                Arguments.of("tomcat serviceTime.mean", "\"nodes\": [{\"id\": \"t\", \"kind\": \"tomcat\", \"config\": {\"serviceTime\": {\"mean\": \"%s\"}}}]",
                        "$.nodes[0].config.serviceTime.mean"),
                Arguments.of("nginx server fail_timeout", "\"nodes\": [{\"id\": \"n\", \"kind\": \"nginx\", \"config\": {\"upstreams\": "
                        + "[{\"name\": \"u\", \"servers\": [{\"node\": \"n\", \"failTimeout\": \"%s\"}]}]}}]", "$.nodes[0].config.upstreams[0].servers[0].failTimeout"),
                Arguments.of("gateway connectTimeout", "\"nodes\": [{\"id\": \"g\", \"kind\": \"gateway\", \"config\": {\"connectTimeout\": \"%s\"}}]",
                        "$.nodes[0].config.connectTimeout"),
                Arguments.of("gateway route failTimeout", "\"nodes\": [{\"id\": \"g\", \"kind\": \"gateway\", \"config\": {\"routes\": "
                        + "[{\"id\": \"r\", \"path\": \"/\", \"failTimeout\": \"%s\"}]}}]", "$.nodes[0].config.routes[0].failTimeout"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationFields")
    void everyDurationField_refusesMoreThanAWeek_andTakesAWeek(String name, String field, String path) {
        String over = "{\"format\": 1, \"description\": \"x\",\n  " + field.formatted("10081m") + "}";
        ScenarioCheck check = ScenarioIO.check(over, "shop.json");
        assertThat(check.errors()).extracting(ScenarioProblem::path, ScenarioProblem::message).contains(org.assertj.core.groups.Tuple.tuple(
                path, "'10081m' is longer than a scenario may set: a duration is at most 168h (7 days)"));
        ScenarioProblem p = check.errors().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
        assertThat(p.line()).isEqualTo(2);

        // 168h binds (the field's own range may still refuse it: advert_int is at most 40s).
        String week = "{\"format\": 1, \"description\": \"x\",\n  " + field.formatted("168h") + "}";
        assertThat(ScenarioIO.check(week, "shop.json").errors()).noneMatch(e -> e.path().equals(path) && e.message().contains("168h"));
    }

    @Test
    void atTheLimits_aFileIsRead() {
        String nested = "{\"format\": 1, \"x\": " + "[".repeat(62) + "]".repeat(62) + "}";
        assertThat(ScenarioIO.check(nested, "shop.json").errors()).extracting(ScenarioProblem::message)
                .containsExactly("unknown field 'x' (known: format, name, description, nodes, links, traffic, script, haGroups, lesson)");

        String bigString = "{\"format\": 1, \"description\": \"" + "x".repeat(ScenarioLimits.MAX_STRING_LENGTH) + "\"}";
        assertThat(ScenarioIO.check(bigString, "shop.json").ok()).isTrue();

        String longestId = "{\"format\": 1, \"nodes\": [{\"id\": \"" + "a".repeat(ScenarioLimits.MAX_ID_LENGTH) + "\", \"kind\": \"tomcat\"}]}";
        assertThat(ScenarioIO.check(longestId, "shop.json").ok()).isTrue();

        assertThat(ScenarioIO.check(nodes(ScenarioLimits.MAX_NODES), "shop.json").ok()).isTrue();
    }

    @Test
    void descriptionsAndLabels_mayHoldLineBreaksAndTabs() throws Exception {
        String json = """
                {"format": 1, "description": "first line\\nsecond line\\r\\n\\tindented",
                 "nodes": [{"id": "client", "kind": "client", "label": "the\\nshoppers"}, {"id": "tomcat-1", "kind": "tomcat"}],
                 "links": [{"from": "client", "to": "tomcat-1"}]}
                """;
        assertThat(ScenarioIO.read(json, "shop.json").nodes().get(0).label()).isEqualTo("the\nshoppers");
    }

    @Test
    void aByteOrderMark_isNotPartOfTheJson_andColumnsStayTheEditors() throws Exception {
        Path file = dir.resolve("bom.json");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"format\": 1, \"nodez\": []}".getBytes(StandardCharsets.UTF_8)));

        ScenarioProblem p = ScenarioIO.check(file).errors().get(0);
        assertThat(List.of(p.line(), p.column())).containsExactly(1, 15);
        assertThat(p.message()).startsWith("unknown field 'nodez'");
    }

    static Stream<Arguments> notUtf8() {
        return Stream.of(
                Arguments.of("Latin-1", bytes("{\n  \"format\": 1,\n  \"name\": \"caf", 0xE9, "\"\n}\n"), 3, 15,
                        "not UTF-8: byte 0xE9 at line 3, column 15 (offset 31 in the file) is not valid UTF-8; save the file as UTF-8"),
                Arguments.of("a sequence cut by the end of the file", bytes("{\"format\": 1, \"name\": \"", 0xE2, 0x82), 1, 24,
                        "not UTF-8: byte 0xE2 at line 1, column 24 (offset 23 in the file) is not valid UTF-8; save the file as UTF-8"),
                Arguments.of("an overlong encoding of '/'", bytes("{\"format\": 1,\r\n\"name\": \"", 0xC0, 0xAF, "\"}"), 2, 10,
                        "not UTF-8: byte 0xC0 at line 2, column 10 (offset 24 in the file) is not valid UTF-8; save the file as UTF-8"),
                Arguments.of("a surrogate encoded in UTF-8", bytes("{\"format\": 1, \"name\": \"", 0xED, 0xA0, 0x80, "\"}"), 1, 24,
                        "not UTF-8: byte 0xED at line 1, column 24 (offset 23 in the file) is not valid UTF-8; save the file as UTF-8"),
                // U+1F600 is two UTF-16 chars: two columns, as Jackson and most editors count them.
                Arguments.of("after an emoji", bytes("{\"format\": 1, \"name\": \"", 0xF0, 0x9F, 0x98, 0x80, " ", 0xFF, "\"}"), 1, 27,
                        "not UTF-8: byte 0xFF at line 1, column 27 (offset 28 in the file) is not valid UTF-8; save the file as UTF-8"),
                Arguments.of("UTF-16 with its byte order mark", "{\"format\": 1}".getBytes(StandardCharsets.UTF_16), 1, 1,
                        "not UTF-8: the file starts with the byte order mark of UTF-16 (0xFE 0xFF); save the file as UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notUtf8")
    void aFileThatIsNotUtf8_isPlacedAtItsFirstBadByte(String name, byte[] content, int line, int column, String message) throws Exception {
        Path file = dir.resolve("shop.json");
        Files.write(file, content);

        ScenarioCheck check = ScenarioIO.check(file);

        assertThat(check.errors()).hasSize(1);
        ScenarioProblem p = check.errors().get(0);
        assertThat(List.of(p.line(), p.column())).as("line, column of " + p).containsExactly(line, column);
        assertThat(p.message()).isEqualTo(message);
    }

    @Test
    void aFileOverTheSizeLimit_isRefusedWithoutBeingRead() throws Exception {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }

        ScenarioCheck check = ScenarioIO.check(file);

        assertThat(check.errors()).extracting(ScenarioProblem::line, ScenarioProblem::column, ScenarioProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 1, "the file is 50 MB (52,428,800 bytes); a scenario file may be at most "
                        + "4 MB (4,194,304 bytes), so it was not read"));
    }

    @Test
    void aFileOfExactlyTheSizeLimit_isRead() throws Exception {
        Path file = dir.resolve("padded.json");
        byte[] json = "{\"format\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[ScenarioLimits.MAX_FILE_BYTES];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        Files.write(file, padded);

        assertThat(ScenarioIO.check(file).ok()).isTrue();
    }

    @Test
    void aDeviceThatNeverEnds_isReadNoFurtherThanTheLimit() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "no /dev/zero here");

        assertThat(ScenarioIO.check(zero).errors()).extracting(ScenarioProblem::message).containsExactly(
                "the file is larger than 4 MB (4,194,304 bytes); a scenario file may be at most 4 MB (4,194,304 bytes)");
    }

    @Test
    void thousandsOfErrors_theFirstThousandAreListed_thenHowManyMore() {
        StringBuilder sb = new StringBuilder("{\"format\": 1, \"nodes\": [{\"id\": \"c\", \"kind\": \"client\"}], \"links\": [\n");
        for (int i = 0; i < 1500; i++) {
            sb.append("{\"from\": \"c\", \"to\": \"c\", \"labl\": \"typo\"}").append(i < 1499 ? ",\n" : "\n");
        }
        ScenarioCheck check = ScenarioIO.check(sb.append("]}").toString(), "shop.json");

        assertThat(check.errors()).hasSize(1001);
        ScenarioProblem last = check.errors().get(1000);
        assertThat(last.message()).isEqualTo("and 500 more errors from here on (the first 1,000 are listed)");
        assertThat(List.of(last.line(), last.column(), last.path())).containsExactly(1002, 26, "$.links[1000].labl");
    }

    @Test
    void thousandsOfTopologyErrors_theFirstThousandAreListed_thenHowManyMore() {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            servers.append(i == 0 ? "" : ",\n").append("\"ghost-").append(i).append('"');
        }
        String json = """
                {"format": 1,
                 "nodes": [{"id": "client", "kind": "client"}, {"id": "gw", "kind": "gateway",
                   "config": {"routes": [{"id": "api", "path": "/", "servers": [
                %s]}]}}, {"id": "tomcat-1", "kind": "tomcat"}],
                 "links": [{"from": "client", "to": "gw"}, {"from": "gw", "to": "tomcat-1"}]}
                """.formatted(servers);
        ScenarioCheck check = ScenarioIO.check(json, "shop.json");

        assertThat(check.errors()).hasSize(1001);
        assertThat(check.errors().get(999).message()).isEqualTo("route api of gw names unknown server node 'ghost-999'");
        ScenarioProblem last = check.errors().get(1000);
        assertThat(last.message()).isEqualTo("and 500 more topology errors from here on (the first 1,000 are listed)");
        assertThat(List.of(last.line(), last.column(), last.path())).containsExactly(1004, 1, "$.nodes[1].config.routes[0].servers[1000]");
    }

    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(a);
        out.write(b);
        return out.toByteArray();
    }
}
