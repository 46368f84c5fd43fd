package dev.flowlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `lab validate` over a corpus of hostile scenario files (test resources hostile-scenarios/,
 * with expected.tsv) and a few generated ones too big to keep: each is refused with exit status
 * 2, and every line printed is one problem, FILE:LINE:COLUMN: message. Never a stack trace.
 */
// A hang guard only (a file that made the reader loop would fail here instead of blocking the build), not a timing claim.
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostileScenariosTest {
    private static final Path CORPUS = corpus();

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result validate(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = LabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("validate", file.toString());
        return new Result(status, out.toString(), err.toString());
    }

    /** Refused: status 2, nothing on stdout, each line of stderr a located problem (or warning) of that file. */
    private static List<String> assertRefused(Path file, Result r) {
        assertThat(r.status()).as("exit status for " + file.getFileName() + "; stderr:\n" + r.err()).isEqualTo(LabCli.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).isNotEmpty();
        Pattern located = Pattern.compile(Pattern.quote(file.toString()) + ":[1-9][0-9]*:[1-9][0-9]*: \\S.*");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).matches(located);
            assertThat(line).doesNotContain("Exception", "\tat ", "\u2028", "\r");
            assertThat(line).hasSizeLessThan(1500);
        });
        return lines;
    }

    static Stream<Arguments> corpusFiles() throws IOException {
        return Files.readAllLines(CORPUS.resolve("expected.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 3))
                .map(f -> Arguments.of(f[0], f[1], f[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void aCorpusFile_isRefusedWithLocatedOneLineProblems(String name, String at, String message) {
        Path file = CORPUS.resolve(name);

        List<String> lines = assertRefused(file, validate(file));

        assertThat(lines.get(0)).startsWith(file + ":" + at + ": " + message);
    }

    @Test
    void everyCorpusFile_hasAnExpectation() throws IOException {
        Set<String> expected;
        try (Stream<Arguments> cases = corpusFiles()) {
            expected = cases.map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        }
        try (Stream<Path> files = Files.list(CORPUS)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void a50MegabyteFile_isRefusedAtOnceForItsSize() throws IOException {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }

        List<String> lines = assertRefused(file, validate(file));

        assertThat(lines).containsExactly(file + ":1:1: the file is 50 MB (52,428,800 bytes); "
                + "a scenario file may be at most 4 MB (4,194,304 bytes), so it was not read");
    }

    @Test
    void aHundredThousandNodes_areRefusedAtTheFirstOneTooMany() throws IOException {
        // 3 MB, under the size limit: the node count stops it.
        StringBuilder sb = new StringBuilder("{\n  \"format\": 1,\n  \"nodes\": [\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append("{\"id\":\"t").append(i).append("\",\"kind\":\"tomcat\"}").append(i < 99_999 ? ",\n" : "\n");
        }
        Path file = dir.resolve("many-nodes.json");
        Files.writeString(file, sb.append("  ]\n}\n"));

        List<String> lines = assertRefused(file, validate(file));

        assertThat(lines).containsExactly(file + ":1004:1: more than 1,000 nodes; a scenario may hold at most 1,000 nodes "
                + "(the file was not read further) (at $.nodes[1000])");
    }

    @Test
    void aStringOfTwoMillionCharacters_isRefusedWhereItStarts() throws IOException {
        Path file = dir.resolve("long-string.json");
        Files.writeString(file, "{\n  \"format\": 1,\n  \"description\": \"" + "x".repeat(2_000_000) + "\"\n}\n");

        List<String> lines = assertRefused(file, validate(file));

        assertThat(lines).containsExactly(file + ":3:18: a string longer than 1,000,000 characters; "
                + "a string in a scenario file may be at most 1,000,000 characters (at $.description)");
    }

    @Test
    void twoHundredThousandUnknownServers_listTheFirstThousand_andCountTheRest() throws IOException {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            servers.append(i == 0 ? "" : ",").append("\"x").append(i).append('"');
        }
        Path file = dir.resolve("many-errors.json");
        Files.writeString(file, """
                {"format": 1,
                 "nodes": [{"id": "client", "kind": "client"}, {"id": "tomcat-1", "kind": "tomcat"},
                   {"id": "gw", "kind": "gateway", "config": {"routes": [{"id": "api", "path": "/", "servers": [%s]}]}}],
                 "links": [{"from": "client", "to": "gw"}, {"from": "gw", "to": "tomcat-1"}]}
                """.formatted(servers));

        List<String> lines = assertRefused(file, validate(file));

        assertThat(lines).hasSize(1001);
        assertThat(lines.get(1000)).startsWith(file + ":3:").endsWith(": and 199,000 more topology errors from here on "
                + "(the first 1,000 are listed) (at $.nodes[2].config.routes[0].servers[1000])");
    }

    private static Path corpus() {
        try {
            return Path.of(HostileScenariosTest.class.getResource("/hostile-scenarios/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
