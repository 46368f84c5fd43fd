package dev.flowlab.app;

import javafx.scene.control.Alert;
import javafx.stage.Window;

/** Help → About: what the lab is, its version and the runtime it runs on. */
final class AboutBox {
    private AboutBox() {
    }

    static Alert show(Window owner) {
        Alert about = new Alert(Alert.AlertType.INFORMATION);
        if (owner != null) {
            about.initOwner(owner);
        }
        about.setTitle("About Request Flow Lab");
        about.setHeaderText("Request Flow Lab " + version());
        about.setContentText("Build the answer to \"what happens between typing a keyword and the page showing up\" "
                + "and watch it run: every node is a real server on loopback.\n\n"
                + "Java " + System.getProperty("java.version") + " · JavaFX " + System.getProperty("javafx.runtime.version", "?")
                + "\nNetty, Jackson, JGraphT, HdrHistogram, AtlantaFX, ControlsFX, Ikonli.");
        about.getDialogPane().setId("about");
        about.show();
        return about;
    }

    private static String version() {
        String v = AboutBox.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
