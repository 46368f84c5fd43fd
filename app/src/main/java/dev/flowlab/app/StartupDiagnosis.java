package dev.flowlab.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why the desktop app cannot open a window here, in one line a person can act on. JavaFX 21 on
 * Linux draws with GTK 3 through X11 (under Wayland it needs XWayland), so it needs a display, an
 * X server that answers there, and libgtk-3.so.0. {@link #beforeStart} checks what can be checked
 * without starting the toolkit; {@link #afterFailure} explains the toolkit's own error. Pure: the
 * environment and the file system come in as arguments (see {@link Probe}).
 */
final class StartupDiagnosis {
    static final String GTK_PACKAGES = "sudo apt-get install -y libgtk-3-0 (Debian/Ubuntu) or sudo dnf install -y gtk3 (Fedora)";
    static final String XWAYLAND_PACKAGES = "sudo apt-get install -y xwayland (Debian/Ubuntu) or sudo dnf install -y xorg-x11-server-Xwayland (Fedora)";
    static final String HEADLESS = "./lab serve default runs the lab headless";

    /** What the diagnosis may look at: the OS name, the environment, and whether a file is a real library or socket. */
    record Probe(String osName, Map<String, String> env, Predicate<Path> isSharedLibrary, Predicate<Path> exists) {
        static Probe system() {
            return new Probe(System.getProperty("os.name", ""), System.getenv(), StartupDiagnosis::isElf, Files::exists);
        }

        boolean usesX11() {
            String os = osName.toLowerCase(Locale.ROOT);
            return os.contains("linux") || os.contains("bsd") || os.contains("sunos") || os.contains("aix");
        }

        boolean set(String name) {
            String v = env.get(name);
            return v != null && !v.isBlank();
        }
    }

    private StartupDiagnosis() {
    }

    /** The reason a window cannot open, known before starting JavaFX; empty when it is worth trying. */
    static Optional<String> beforeStart(Probe probe) {
        if (!probe.usesX11()) {
            return Optional.empty();
        }
        if (!probe.set("DISPLAY")) {
            if (probe.set("WAYLAND_DISPLAY")) {
                return Optional.of("this is a Wayland session without XWayland (WAYLAND_DISPLAY is set, DISPLAY is not), and JavaFX"
                        + " draws through X11: install XWayland with " + XWAYLAND_PACKAGES + ", or log in to an X11 session; " + HEADLESS);
            }
            return Optional.of("no display: DISPLAY is not set (no desktop session here; over ssh use ssh -X; a virtual display:"
                    + " Xvfb :99 & DISPLAY=:99 ./lab); " + HEADLESS);
        }
        if (gtkLibrary(probe).isEmpty()) {
            return Optional.of(gtkMissing());
        }
        return Optional.empty();
    }

    /** Explains the toolkit's failure to start ({@code message} is JavaFX's own, e.g. "Unable to open DISPLAY"). */
    static String afterFailure(String message, Probe probe) {
        String m = message == null ? "" : message;
        if (m.contains("Unable to load glass GTK library") || m.contains("libgtk") || m.contains("glassgtk")) {
            return gtkLibrary(probe).map(lib -> "GTK 3 is installed (" + lib + ") but did not load (JavaFX: " + m.trim()
                    + "); ldd " + lib + " lists what it lacks; " + HEADLESS).orElseGet(StartupDiagnosis::gtkMissing);
        }
        if (m.contains("Unable to open DISPLAY") || m.contains("cannot open display")) {
            String display = probe.env().getOrDefault("DISPLAY", "");
            Optional<Path> socket = x11Socket(display);
            if (socket.isPresent() && probe.exists().test(socket.get())) {
                return "the X server on DISPLAY=" + display + " refused the connection (not authorised: check XAUTHORITY, or xhost"
                        + " on that display); " + HEADLESS;
            }
            return "no X server answers on DISPLAY=" + display + " (is that session still running? a virtual display:"
                    + " Xvfb :99 & DISPLAY=:99 ./lab); " + HEADLESS;
        }
        return "the JavaFX toolkit did not start (" + (m.isBlank() ? "no message" : m.trim()) + "); " + HEADLESS;
    }

    private static String gtkMissing() {
        return "GTK 3 is missing (libgtk-3.so.0), which JavaFX draws its windows with: install it with " + GTK_PACKAGES + "; " + HEADLESS;
    }

    /** The local socket of an X display such as ":0" or ":99.0" (a display on another host has none). */
    static Optional<Path> x11Socket(String display) {
        if (display == null || !display.startsWith(":")) {
            return Optional.empty();
        }
        String number = display.substring(1);
        int dot = number.indexOf('.');
        if (dot >= 0) {
            number = number.substring(0, dot);
        }
        return number.matches("\\d+") ? Optional.of(Path.of("/tmp/.X11-unix/X" + number)) : Optional.empty();
    }

    /** libgtk-3.so.0 where the dynamic loader looks for it (LD_LIBRARY_PATH, then the system's library directories). */
    static Optional<Path> gtkLibrary(Probe probe) {
        List<String> dirs = new ArrayList<>();
        String ld = probe.env().get("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        dirs.addAll(List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib", "/usr/lib/arm-linux-gnueabihf"));
        for (String dir : dirs) {
            if (dir.isBlank()) {
                continue;
            }
            Path lib = Path.of(dir, "libgtk-3.so.0");
            if (probe.isSharedLibrary().test(lib)) {
                return Optional.of(lib);
            }
        }
        return Optional.empty();
    }

    /** A readable ELF file (a symlink to one counts; a leftover empty file or a device does not). */
    static boolean isElf(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
