package dev.flowlab.app.files;

import java.nio.file.Path;

/** Where the app keeps its own state (recent files, autosave): {@code ~/.flowlab}, or {@code -Dflowlab.home=DIR}. */
public final class AppHome {
    private AppHome() {
    }

    public static Path dir() {
        String override = System.getProperty("flowlab.home");
        return override != null && !override.isBlank() ? Path.of(override) : Path.of(System.getProperty("user.home"), ".flowlab");
    }
}
