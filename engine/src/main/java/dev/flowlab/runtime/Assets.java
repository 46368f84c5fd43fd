package dev.flowlab.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the demo shop's static site on disk: {@code flowlab.site} if set, else {@code assets/site}
 * in the working directory or a parent (a checkout), else a copy extracted from the assets jar
 * on the classpath (listed in {@code flowlab/site/INDEX}) into a temporary directory.
 */
public final class Assets {
    private static final Logger log = LoggerFactory.getLogger(Assets.class);
    private static volatile Path cached;

    private Assets() {
    }

    public static Path siteRoot() {
        Path p = cached;
        if (p == null) {
            p = locate();
            cached = p;
        }
        return p;
    }

    /** A checkout's assets/site found by walking up from where this class was loaded (e.g. app/target/lib). */
    private static Path besideCodeSource() {
        try {
            java.security.CodeSource cs = Assets.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return null;
            }
            for (Path dir = Paths.get(cs.getLocation().toURI()).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("assets").resolve("site");
                if (Files.isRegularFile(candidate.resolve("index.html"))) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            log.debug("cannot locate the code source", e);
        }
        return null;
    }

    private static Path locate() {
        String prop = System.getProperty("flowlab.site");
        if (prop != null) {
            return Paths.get(prop).toAbsolutePath();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("assets").resolve("site");
            if (Files.isRegularFile(candidate.resolve("index.html"))) {
                return candidate;
            }
        }
        Path fromJar = besideCodeSource();
        if (fromJar != null) {
            return fromJar;
        }
        URL index = Assets.class.getClassLoader().getResource("flowlab/site/INDEX");
        if (index != null) {
            try {
                Path tmp = Files.createTempDirectory("flowlab-site");
                tmp.toFile().deleteOnExit();
                List<String> files;
                try (InputStream in = index.openStream()) {
                    files = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                            .map(String::trim).filter(s -> !s.isEmpty()).toList();
                }
                for (String f : files) {
                    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("flowlab/site/" + f)) {
                        if (in != null) {
                            Path target = tmp.resolve(f).normalize();
                            Files.createDirectories(target.getParent());
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                return tmp;
            } catch (IOException e) {
                log.warn("cannot extract the demo site from the classpath: {}", e.toString());
            }
        }
        return Paths.get("assets", "site").toAbsolutePath();
    }
}
