package dev.flowlab.app;

import dev.flowlab.cli.LabCli;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code lab} entry point. With arguments it is the headless command line ({@link LabCli});
 * without, it opens the desktop app on the default scenario, or, where no display exists, serves
 * that scenario headless. Deliberately not an Application subclass: launched from the class path,
 * such a main class fails with "JavaFX runtime components are missing".
 */
public final class Main {
    static final String NO_DISPLAY = "No display found: serving the default scenario headless instead (Ctrl-C to stop). Set DISPLAY to open the app.";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(LabCli.execute(args));
        }
        if (!displayAvailable(System.getProperty("os.name", ""), System.getenv())) {
            System.exit(serveHeadless());
        }
        try {
            FlowLabApp.launch(DefaultScenario.load());
        } catch (RuntimeException | LinkageError e) {
            if (FlowLabApp.toolkitStarted()) {
                // The display worked; the app itself failed to start. Falling back would hide that.
                System.err.println("lab: the app failed to start: " + e);
                System.exit(1);
            }
            System.err.println("lab: the JavaFX toolkit did not start (" + e.getMessage() + ")");
            System.exit(serveHeadless());
        }
        System.exit(0);
    }

    private static int serveHeadless() {
        System.out.println(NO_DISPLAY);
        return LabCli.execute("serve", DefaultScenario.NAME);
    }

    /** On X11/Wayland systems a window needs DISPLAY or WAYLAND_DISPLAY; macOS and Windows always have a screen. */
    static boolean displayAvailable(String osName, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        boolean usesX11OrWayland = os.contains("linux") || os.contains("bsd") || os.contains("sunos") || os.contains("aix");
        if (!usesX11OrWayland) {
            return true;
        }
        return isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
