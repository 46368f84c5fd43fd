package dev.flowlab.export;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real nginx binary, for an Nginx node with {@code "engine": "nginx"} and for the editor (which offers that
 * engine only when one is installed): the system property {@value #PROPERTY} when set (a path, used as it is; a path
 * that is not an executable file means "not installed"), else the first {@code nginx} on PATH, else /usr/sbin/nginx.
 */
public final class NginxBinary {
    /** Overrides the lookup with one path (tests point it at a missing file to see the error). */
    public static final String PROPERTY = "flowlab.nginx.binary";

    private NginxBinary() {
    }

    public static Optional<Path> find() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            Path p = Path.of(forced);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    candidates.add(Path.of(d, "nginx"));
                }
            }
        }
        candidates.add(Path.of("/usr/sbin/nginx"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    public static boolean installed() {
        return find().isPresent();
    }

    /** Where the lookup went, for the error when nothing was found. */
    public static String searched() {
        String forced = System.getProperty(PROPERTY);
        return forced != null && !forced.isBlank() ? forced + " (-D" + PROPERTY + ")" : "PATH or /usr/sbin";
    }

    /**
     * {@code nginx -t} on a config: empty when nginx accepts it, else nginx's own message (its "[emerg] ..." lines).
     *
     * @param prefix nginx's -p prefix (relative paths in the config resolve against it)
     * @param errorLog where nginx writes its startup errors (-e), so none go to the system's /var/log/nginx
     */
    public static Optional<String> test(Path binary, Path conf, Path prefix, Path errorLog) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-t", "-q", "-e", errorLog.toString(), "-p", prefix.toString(),
                "-c", conf.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Optional.of("nginx -t did not finish within 30 s");
        }
        return p.exitValue() == 0 ? Optional.empty() : Optional.of(text.isEmpty() ? "nginx -t exited with " + p.exitValue() : text);
    }
}
