package dev.flowlab.app;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the product's main window does beyond the editor: the app icon (the taskbar's and the
 * window's, from assets/icons), one log line when its first frame is laid out (the start-up
 * benchmark and the package's smoke test read it), and quitting on SIGTERM and SIGINT.
 */
final class AppWindow {
    private static final Logger log = LoggerFactory.getLogger(AppWindow.class);
    static final String FIRST_FRAME = "window shown";
    private static final int[] ICON_SIZES = {16, 24, 32, 48, 64, 128, 256};
    private static final AtomicBoolean SIGNALS = new AtomicBoolean();

    private AppWindow() {
    }

    /** Sets the icons and logs the first frame ("window shown after N ms of JVM time"). Call on the FX thread once shown. */
    static void decorate(Stage stage) {
        for (int size : ICON_SIZES) {
            try (InputStream in = AppWindow.class.getResourceAsStream("/flowlab/icons/flowlab-" + size + ".png")) {
                if (in != null) {
                    stage.getIcons().add(new Image(in));
                }
            } catch (java.io.IOException e) {
                log.debug("icon {} not read: {}", size, e.toString());
            }
        }
        Scene scene = stage.getScene();
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            // A post-layout pulse listener runs when the frame's scene graph is final, just before it is rendered.
            scene.removePostLayoutPulseListener(once[0]);
            long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            log.info("{} after {} ms (since the JVM started): {}", FIRST_FRAME, sinceJvmStart, stage.getTitle());
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /**
     * SIGTERM (logout, {@code kill}, a service manager) and SIGINT (Ctrl-C) quit as the window's
     * Quit does, without the unsaved-changes question: {@link FlowLabApp#stop} closes the lab and
     * releases every port, and {@link Main} exits with 0. Unsaved work stays in the autosave file,
     * which the next start recovers. A second signal while quitting halts at once.
     */
    static void quitOnSignals() {
        if (!SIGNALS.compareAndSet(false, true)) {
            return;
        }
        AtomicBoolean quitting = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (!quitting.compareAndSet(false, true)) {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    log.info("SIG{}: closing the lab and quitting", signal.getName());
                    Platform.exit();
                });
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (e.g. started with -Xrs): its default handling stays.
                log.debug("SIG{} stays with the JVM: {}", name, e.getMessage());
            }
        }
    }
}
