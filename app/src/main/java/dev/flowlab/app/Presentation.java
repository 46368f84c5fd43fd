package dev.flowlab.app;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Parent;

/**
 * Presentation mode, for an interviewer on a shared screen: everything the window draws grows by
 * the chosen scale (150 to 200 %: the controls, the panels, the status line; the canvas refits, its
 * cards already sized to read when fitted), and what the talk does not need steps aside (the
 * problems list, the palette and the property sheet). The canvas, its legend and one live panel of
 * the presenter's choice stay. Leaving it puts every piece back as it was.
 */
public final class Presentation {
    /** The scales the View menu offers. */
    public static final List<Double> SCALES = List.of(1.5, 1.75, 2.0);

    /** What the window lets presentation mode change. */
    public interface Window {
        /** The window's root: its font size scales the controls (every size in the theme is in em). */
        Parent root();

        /** Hides (false) or shows the problems list. */
        void showProblems(boolean shown);

        /** Hides (false) or shows the palette and the property sheet. */
        void showSidePanels(boolean shown);

        /** Whether the side panels are shown now (restored on leaving). */
        boolean sidePanelsShown();

        /** Shows only the live panel named {@code name}, or every panel again (null). */
        void showOnlyPanel(String name);

        /** Re-fits the canvas once the window has laid out its new sizes. */
        void refit();
    }

    private final Window window;
    private final BooleanProperty on = new SimpleBooleanProperty(this, "on");
    private final DoubleProperty scale = new SimpleDoubleProperty(this, "scale", SCALES.get(0));
    private final StringProperty panel = new SimpleStringProperty(this, "panel", "Trace");
    /** The theme's font size (AtlantaFX sets {@code .root { -fx-font-size: 14px }}), which presenting scales. */
    static final double THEME_FONT_PX = 14;
    private String styleBefore;
    private boolean sidePanelsBefore;

    public Presentation(Window window) {
        this.window = window;
        on.addListener((o, was, now) -> {
            if (now) {
                enter();
            } else {
                leave();
            }
        });
        scale.addListener((o, was, now) -> {
            if (on.get()) {
                applyScale();
            }
        });
        panel.addListener((o, was, now) -> {
            if (on.get()) {
                window.showOnlyPanel(now);
                window.refit();
            }
        });
    }

    public BooleanProperty onProperty() {
        return on;
    }

    public boolean isOn() {
        return on.get();
    }

    public void toggle() {
        on.set(!on.get());
    }

    /** The UI scale while presenting: 1.5 to 2. */
    public DoubleProperty scaleProperty() {
        return scale;
    }

    /** The live panel kept while presenting (its tab name: Trace, Step, Events, Charts, Script). */
    public StringProperty panelProperty() {
        return panel;
    }

    /** The root's font size while presenting, in px. */
    public double fontSize() {
        return THEME_FONT_PX * scale.get();
    }

    private void enter() {
        styleBefore = window.root().getStyle();
        sidePanelsBefore = window.sidePanelsShown();
        window.root().getStyleClass().add("presenting");
        applyScale();
        window.showProblems(false);
        window.showSidePanels(false);
        window.showOnlyPanel(panel.get());
        window.refit();
    }

    private void leave() {
        window.root().getStyleClass().remove("presenting");
        window.root().setStyle(styleBefore == null ? "" : styleBefore);
        window.showProblems(true);
        window.showSidePanels(sidePanelsBefore);
        window.showOnlyPanel(null);
        window.refit();
    }

    private void applyScale() {
        String before = styleBefore == null ? "" : styleBefore;
        window.root().setStyle(before + String.format(Locale.ROOT, "-fx-font-size: %.1fpx;", fontSize()));
        window.refit();
    }
}
