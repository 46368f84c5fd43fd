package dev.flowlab.scenario;

import dev.flowlab.topology.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The scenarios shipped with the lab (the lab-scenarios module packs them as classpath resources
 * under {@value #RESOURCE_DIR}) and files given by path, behind one name: "default",
 * "01-single-tomcat.json" and "./my-shop.json" all load.
 */
public final class ScenarioLibrary {
    static final String RESOURCE_DIR = "flowlab/scenarios/";

    private ScenarioLibrary() {
    }

    /** An existing file is read; otherwise a library name, with or without ".json". */
    public static Scenario load(String nameOrPath) throws ScenarioException {
        Path file = asPath(nameOrPath);
        if (file != null && Files.isRegularFile(file)) {
            return ScenarioIO.read(file);
        }
        String name = nameOrPath.endsWith(".json") ? nameOrPath.substring(0, nameOrPath.length() - ".json".length()) : nameOrPath;
        String resource = RESOURCE_DIR + name + ".json";
        if (!name.isEmpty() && !name.contains("/") && !name.contains("\\")) {
            try (InputStream in = classLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    ScenarioCheck check = ScenarioIO.check(in.readNBytes(ScenarioLimits.MAX_FILE_BYTES + 1), resource);
                    if (!check.ok()) {
                        throw new ScenarioException(check.errors());
                    }
                    return check.scenario();
                }
            } catch (IOException e) {
                throw new ScenarioException(new ScenarioProblem(resource, 0, 0, null, "cannot read: " + ScenarioIO.describe(e)));
            }
        }
        List<String> known = names();
        String message = "no scenario file '" + nameOrPath + "' and no library scenario '" + name + "' (" + resource + ")"
                + (known.isEmpty() ? "; no scenario library is on the classpath" : "; the library has: " + String.join(", ", known));
        throw new ScenarioException(new ScenarioProblem(nameOrPath, 0, 0, null, message));
    }

    /** The library's scenario names, sorted ("01-single-tomcat", ..., "default"). */
    public static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> dirs = classLoader().getResources(RESOURCE_DIR);
            while (dirs.hasMoreElements()) {
                URL dir = dirs.nextElement();
                if (dir.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
                        files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json")).forEach(f -> names.add(stripJson(f)));
                    }
                } else if (dir.getProtocol().equals("jar") && dir.openConnection() instanceof JarURLConnection jar) {
                    jar.setUseCaches(false);
                    try (JarFile jarFile = jar.getJarFile()) {
                        for (JarEntry e : jarFile.stream().toList()) {
                            String n = e.getName();
                            if (n.startsWith(RESOURCE_DIR) && n.endsWith(".json") && n.indexOf('/', RESOURCE_DIR.length()) < 0) {
                                names.add(stripJson(n.substring(RESOURCE_DIR.length())));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            // Listing is a convenience for messages and menus; loading by name still works without it.
            return List.copyOf(names);
        }
        return List.copyOf(names);
    }

    private static String stripJson(String fileName) {
        return fileName.substring(0, fileName.length() - ".json".length());
    }

    private static Path asPath(String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ScenarioLibrary.class.getClassLoader();
    }
}
