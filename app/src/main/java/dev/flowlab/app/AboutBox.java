package dev.flowlab.app;

import dev.flowlab.cli.BuildInfo;
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
        BuildInfo build = BuildInfo.current();
        about.setHeaderText("Request Flow Lab " + build.version());
        about.setContentText("Build the answer to \"what happens between typing a keyword and the page showing up\" "
                + "and watch it run: every node is a real server on loopback.\n\n"
                + details(build)
                + "\n\nJackson, JGraphT, HdrHistogram, AtlantaFX, ControlsFX, Ikonli.");
        about.getDialogPane().setId("about");
        about.show();
        return about;
    }

    /** The same facts as {@code lab --version}: version, commit, JDK, JavaFX, Netty and the transport. */
    static String details(BuildInfo build) {
        return "Version " + build.version() + " · commit " + build.commit()
                + "\nJDK " + BuildInfo.jdk()
                + "\nJavaFX " + System.getProperty("javafx.runtime.version", Main.javafxVersion())
                + "\nNetty " + BuildInfo.netty() + " · transport " + BuildInfo.transport();
    }
}
