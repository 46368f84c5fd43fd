package dev.flowlab.app;

import javafx.application.Platform;
import javafx.scene.control.TextArea;
import org.controlsfx.dialog.ExceptionDialog;
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

    /**
     * ControlsFX's {@link ExceptionDialog}: the header says what went wrong, the expandable part
     * holds the full trace with its causes (as a bug report needs it), in a text area styled
     * {@code error-details}.
     */
    public static ExceptionDialog show(Throwable error) {
        ExceptionDialog dialog = new ExceptionDialog(error);
        dialog.setTitle("Request Flow Lab — unexpected error");
        dialog.setHeaderText("Something went wrong: " + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()));
        dialog.setContentText("The lab may be in an odd state. The details below say where it happened.");
        javafx.scene.Node expandable = dialog.getDialogPane().getExpandableContent();
        if (expandable != null && expandable.lookup(".text-area") instanceof TextArea details) {
            details.getStyleClass().add("error-details");
        }
        dialog.show();
        return dialog;
    }
}
