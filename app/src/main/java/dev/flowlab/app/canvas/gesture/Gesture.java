package dev.flowlab.app.canvas.gesture;

import javafx.scene.input.MouseEvent;

/** One mouse gesture, from the press that starts it to the release that ends it (the caller consumes the events). */
interface Gesture {
    void pressed(MouseEvent e);

    void dragged(MouseEvent e);

    void released(MouseEvent e);
}
