package dev.flowlab.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.app.StartupDiagnosis.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupDiagnosisTest {
    private static final Path GTK = Path.of("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0");

    private static Probe linux(Map<String, String> env, Set<Path> libraries, Set<Path> files) {
        return new Probe("Linux", env, libraries::contains, files::contains);
    }

    private static Probe linuxWithGtk(Map<String, String> env) {
        return linux(env, Set.of(GTK), Set.of());
    }

    @Test
    void noDisplayNamesDisplayAndTheHeadlessCommand() {
        Optional<String> why = StartupDiagnosis.beforeStart(linuxWithGtk(Map.of()));
        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("DISPLAY is not set").contains("./lab serve default"));
        assertThat(StartupDiagnosis.beforeStart(linuxWithGtk(Map.of("DISPLAY", " ")))).isPresent();
    }

    @Test
    void aWaylandOnlySessionAsksForXWayland() {
        Optional<String> why = StartupDiagnosis.beforeStart(linuxWithGtk(Map.of("WAYLAND_DISPLAY", "wayland-0")));
        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("Wayland session without XWayland")
                .contains("apt-get install -y xwayland").contains("xorg-x11-server-Xwayland"));
    }

    @Test
    void waylandWithXWaylandIsWorthTrying() {
        assertThat(StartupDiagnosis.beforeStart(linuxWithGtk(Map.of("WAYLAND_DISPLAY", "wayland-0", "DISPLAY", ":0")))).isEmpty();
    }

    @Test
    void missingGtkNamesTheDebianAndFedoraPackages() {
        Optional<String> why = StartupDiagnosis.beforeStart(linux(Map.of("DISPLAY", ":0"), Set.of(), Set.of()));
        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("GTK 3 is missing")
                .contains("sudo apt-get install -y libgtk-3-0 (Debian/Ubuntu)").contains("sudo dnf install -y gtk3 (Fedora)"));
    }

    @Test
    void gtkOnTheLibraryPathCounts() {
        Path own = Path.of("/opt/gtk/lib/libgtk-3.so.0");
        Map<String, String> env = new HashMap<>(Map.of("DISPLAY", ":0", "LD_LIBRARY_PATH", "/opt/gtk/lib"));
        assertThat(StartupDiagnosis.beforeStart(linux(env, Set.of(own), Set.of()))).isEmpty();
    }

    @Test
    void macAndWindowsAlwaysTry() {
        assertThat(StartupDiagnosis.beforeStart(new Probe("Mac OS X", Map.of(), p -> false, p -> false))).isEmpty();
        assertThat(StartupDiagnosis.beforeStart(new Probe("Windows 11", Map.of(), p -> false, p -> false))).isEmpty();
    }

    @Test
    void glassFailingToLoadGtkIsGtk() {
        String why = StartupDiagnosis.afterFailure("Unable to load glass GTK library.", linux(Map.of("DISPLAY", ":0"), Set.of(), Set.of()));
        assertThat(why).contains("GTK 3 is missing").contains("libgtk-3-0").contains("gtk3");
        String present = StartupDiagnosis.afterFailure("Unable to load glass GTK library.", linuxWithGtk(Map.of("DISPLAY", ":0")));
        assertThat(present).contains("installed (" + GTK + ") but did not load").contains("ldd " + GTK);
    }

    @Test
    void aDisplayWithoutAServerSaysWhichDisplay() {
        String why = StartupDiagnosis.afterFailure("Unable to open DISPLAY", linuxWithGtk(Map.of("DISPLAY", ":55")));
        assertThat(why).contains("no X server answers on DISPLAY=:55").contains("Xvfb :99");
    }

    @Test
    void aServerThatRefusesIsAnAuthorisationProblem() {
        String why = StartupDiagnosis.afterFailure("Unable to open DISPLAY",
                linux(Map.of("DISPLAY", ":7.0"), Set.of(GTK), Set.of(Path.of("/tmp/.X11-unix/X7"))));
        assertThat(why).contains("refused the connection").contains("XAUTHORITY");
    }

    @Test
    void anythingElseKeepsJavaFxsMessage() {
        String why = StartupDiagnosis.afterFailure("Something new", linuxWithGtk(Map.of("DISPLAY", ":0")));
        assertThat(why).contains("(Something new)").contains("./lab serve default");
        assertThat(why).doesNotContain("\n");
    }

    @Test
    void x11SocketsOfLocalDisplaysOnly() {
        assertThat(StartupDiagnosis.x11Socket(":99")).contains(Path.of("/tmp/.X11-unix/X99"));
        assertThat(StartupDiagnosis.x11Socket(":0.1")).contains(Path.of("/tmp/.X11-unix/X0"));
        assertThat(StartupDiagnosis.x11Socket("remote:10.0")).isEmpty();
    }

    @Test
    void onlyAnElfFileIsALibrary(@TempDir Path dir) throws Exception {
        Path elf = Files.write(dir.resolve("libgtk-3.so.0"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
        Path empty = Files.write(dir.resolve("empty.so"), new byte[0]);
        assertThat(StartupDiagnosis.isElf(elf)).isTrue();
        assertThat(StartupDiagnosis.isElf(empty)).isFalse();
        assertThat(StartupDiagnosis.isElf(dir.resolve("absent.so"))).isFalse();
        assertThat(StartupDiagnosis.isElf(Path.of("/dev/null"))).isFalse();
    }

    @Test
    void everyDiagnosisIsOneLine() {
        Probe none = linux(Map.of(), Set.of(), Set.of());
        assertThat(StartupDiagnosis.beforeStart(none).orElseThrow()).doesNotContain("\n");
        assertThat(StartupDiagnosis.afterFailure("Unable to open DISPLAY", none)).doesNotContain("\n");
    }

    @Test
    void aScenarioFileArgumentOpensTheApp(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("shop.json"), "{}");
        assertThat(Main.scenarioFile(file.toString())).contains(file.toAbsolutePath());
        Path windows = Files.writeString(dir.resolve("shop.flowlab"), "{}");
        assertThat(Main.scenarioFile(windows.toString())).contains(windows.toAbsolutePath());
        assertThat(Main.scenarioFile(Files.writeString(dir.resolve("notes.txt"), "").toString())).isEmpty();
        assertThat(Main.scenarioFile("serve")).isEmpty();
        assertThat(Main.scenarioFile(dir.resolve("absent.json").toString())).isEmpty();
    }

    @Test
    void desktopStartTakesStartFallbackAndOneFileInAnyOrder(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("shop.flowlab.json"), "{}");
        assertThat(Main.DesktopStart.of()).contains(new Main.DesktopStart(false, false, Optional.empty()));
        assertThat(Main.DesktopStart.of("--start", file.toString()))
                .contains(new Main.DesktopStart(true, false, Optional.of(file.toAbsolutePath())));
        assertThat(Main.DesktopStart.of(file.toString(), "--headless-fallback", "--start"))
                .contains(new Main.DesktopStart(true, true, Optional.of(file.toAbsolutePath())));
        // Anything else is a command line for the CLI (which explains it): a command, a second file, a repeat.
        assertThat(Main.DesktopStart.of("serve", "default")).isEmpty();
        assertThat(Main.DesktopStart.of("--start", "--start")).isEmpty();
        assertThat(Main.DesktopStart.of(file.toString(), file.toString())).isEmpty();
        assertThat(Main.DesktopStart.of("--start", dir.resolve("absent.json").toString())).isEmpty();
    }

    @Test
    void javafxVersionComesFromItsJar() {
        assertThat(Main.javafxVersion()).startsWith("21.");
    }
}
