package dev.flowlab.app;

import dev.flowlab.cli.LabCli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code lab} entry point. With a command it is the headless command line ({@link LabCli});
 * without, it opens the desktop app on the default scenario ({@code lab FILE.json} opens it on a
 * scenario file: what a desktop's file association runs; {@value #START} also starts the lab, as
 * Start does). Where the app cannot open a window it says why in one line ({@link StartupDiagnosis})
 * and exits with {@link #NO_DESKTOP}, unless started with {@value #FALLBACK}: then it serves the
 * default scenario headless instead. SIGTERM (a session's logout, {@code kill}) and SIGINT (Ctrl-C
 * in the terminal) close the window as Quit does: the lab stops, its ports are released, exit 0.
 * Deliberately not an Application subclass: launched from the class path, such a main class fails
 * with "JavaFX runtime components are missing".
 */
public final class Main {
    /** Exit status when the desktop app cannot start here (the lab itself is fine: {@code lab serve} works). */
    static final int NO_DESKTOP = 3;
    static final String FALLBACK = "--headless-fallback";
    static final String START = "--start";

    /** How the desktop app was asked to start: {@code [--start] [--headless-fallback] [FILE.json]}, in any order. */
    record DesktopStart(boolean start, boolean fallback, Optional<Path> file) {
        /** The desktop start these arguments ask for; empty when they are a command for the CLI. */
        static Optional<DesktopStart> of(String... args) {
            boolean start = false;
            boolean fallback = false;
            Optional<Path> file = Optional.empty();
            for (String a : args) {
                if (a.equals(START) && !start) {
                    start = true;
                } else if (a.equals(FALLBACK) && !fallback) {
                    fallback = true;
                } else if (file.isEmpty() && scenarioFile(a).isPresent()) {
                    file = scenarioFile(a);
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(new DesktopStart(start, fallback, file));
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        Optional<DesktopStart> desktop = DesktopStart.of(args);
        if (desktop.isEmpty()) {
            System.exit(LabCli.execute(List.of("JavaFX " + javafxVersion()), args));
        }
        boolean fallback = desktop.get().fallback();
        StartupDiagnosis.Probe probe = StartupDiagnosis.Probe.system();
        Optional<String> cannot = StartupDiagnosis.beforeStart(probe);
        if (cannot.isPresent()) {
            System.exit(cannotStart(cannot.get(), fallback));
        }
        try {
            FlowLabApp.launch(DefaultScenario.load(), desktop.get().file().orElse(null), desktop.get().start());
        } catch (RuntimeException | LinkageError e) {
            if (FlowLabApp.toolkitStarted()) {
                // The display worked; the app itself failed to start. Falling back would hide that.
                System.err.println("lab: the app failed to start: " + e);
                System.exit(1);
            }
            System.exit(cannotStart(StartupDiagnosis.afterFailure(e.getMessage(), probe), fallback));
        }
        System.exit(0);
    }

    /**
     * An existing file with a scenario file's extension (a command name such as "serve" is none):
     * {@code .json} ({@code NAME.flowlab.json}, the type the Linux package registers, included), or
     * {@code .flowlab}, the extension the Windows and macOS packages associate (both OSes type a
     * file by its last extension only, so {@code .flowlab.json} would be any JSON file there).
     */
    static Optional<Path> scenarioFile(String arg) {
        String lower = arg.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".json") && !lower.endsWith(".flowlab")) {
            return Optional.empty();
        }
        Path p = Path.of(arg);
        return Files.isRegularFile(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
    }

    private static int cannotStart(String reason, boolean fallback) {
        System.err.println("lab: cannot open the desktop app: " + reason);
        if (!fallback) {
            return NO_DESKTOP;
        }
        System.err.println("lab: " + FALLBACK + ": serving the default scenario headless instead (Ctrl-C to stop).");
        return LabCli.execute("serve", DefaultScenario.NAME);
    }

    /** JavaFX's version as its jar declares it (javafx.properties), without starting the toolkit. */
    static String javafxVersion() {
        try (InputStream in = ClassLoader.getSystemResourceAsStream("javafx.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("javafx.runtime.version", p.getProperty("javafx.version", "unknown"));
            }
        } catch (IOException e) {
            // unknown below
        }
        return "unknown";
    }
}
