package dev.flowlab.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** The look: AtlantaFX Primer, light or dark; app.css builds on its -color-* palette, so it follows. */
final class Themes {
    private static boolean dark;

    private Themes() {
    }

    static void apply(boolean useDark) {
        dark = useDark;
        Application.setUserAgentStylesheet(useDark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    static boolean isDark() {
        return dark;
    }
}
