package dev.flowlab.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows an unexpected failure to the user, with the details one would paste into a bug report. */
public final class ErrorDialog {
    private static final Logger log = LoggerFactory.getLogger(ErrorDialog.class);

    private ErrorDialog() {
    }

    /** For {@link Thread#setDefaultUncaughtExceptionHandler}: logs once, then shows the dialog on the FX thread. */
    public static void uncaught(Thread thread, Throwable error) {
        log.error("uncaught exception on {}", thread.getName(), error);
        if (Platform.isFxApplicationThread()) {
            show(error);
        } else {
            Platform.runLater(() -> show(error));
        }
    }

    public static Alert show(Throwable error) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("Request Flow Lab — unexpected error");
        alert.setHeaderText("Something went wrong: " + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()));
        alert.setContentText("The lab may be in an odd state. The details below say where it happened.");
        StringWriter trace = new StringWriter();
        // Into the dialog, not stderr: the full trace with causes, as a bug report needs it.
        error.printStackTrace(new PrintWriter(trace));
        TextArea details = new TextArea(trace.toString());
        details.setEditable(false);
        details.setWrapText(false);
        details.getStyleClass().add("error-details");
        VBox.setVgrow(details, Priority.ALWAYS);
        alert.getDialogPane().setExpandableContent(new VBox(details));
        alert.show();
        return alert;
    }
}
