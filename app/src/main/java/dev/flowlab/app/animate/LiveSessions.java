package dev.flowlab.app.animate;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * Hands the sessions a {@link LiveTrafficDriver} opens (on the lab's background thread) to the
 * window, on the UI thread: one hop per Start or Stop, never per event. The lab view-model is made
 * before the window, so the driver gets this and the window listens to {@link #currentProperty()}.
 */
public final class LiveSessions implements Consumer<LiveSession> {
    private final Executor uiThread;
    private final ReadOnlyObjectWrapper<LiveSession> current = new ReadOnlyObjectWrapper<>(this, "current");

    public LiveSessions(Executor uiThread) {
        this.uiThread = Objects.requireNonNull(uiThread, "uiThread");
    }

    /** On any thread: the session just opened, or {@code null} when it is about to close. */
    @Override
    public void accept(LiveSession session) {
        uiThread.execute(() -> current.set(session));
    }

    /** The open session, or {@code null} while stopped; changes on the UI thread only. */
    public ReadOnlyObjectProperty<LiveSession> currentProperty() {
        return current.getReadOnlyProperty();
    }
}
