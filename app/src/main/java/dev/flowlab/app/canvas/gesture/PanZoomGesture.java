package dev.flowlab.app.canvas.gesture;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/** The view's gestures: the wheel pans (with the shortcut key, zooms around the pointer); a right or middle drag pans. */
public final class PanZoomGesture {
    private final GestureHost host;
    private Point2D panStart;

    private PanZoomGesture(GestureHost host) {
        this.host = host;
    }

    public static void install(GestureHost host) {
        PanZoomGesture g = new PanZoomGesture(host);
        host.canvas().addEventHandler(ScrollEvent.SCROLL, g::scrolled);
        host.canvas().addEventHandler(MouseEvent.MOUSE_PRESSED, g::pressed);
        host.canvas().addEventHandler(MouseEvent.MOUSE_DRAGGED, g::dragged);
        host.canvas().addEventHandler(MouseEvent.MOUSE_RELEASED, e -> g.panStart = null);
    }

    private void scrolled(ScrollEvent e) {
        if (e.isShortcutDown()) {
            host.zoomAround(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1, e.getX(), e.getY());
        } else {
            host.viewMoved();
            host.pan().setX(host.pan().getX() + e.getDeltaX());
            host.pan().setY(host.pan().getY() + e.getDeltaY());
        }
        e.consume();
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            panStart = new Point2D(e.getX() - host.pan().getX(), e.getY() - host.pan().getY());
        }
    }

    private void dragged(MouseEvent e) {
        if (panStart == null) {
            return;
        }
        host.viewMoved();
        host.pan().setX(e.getX() - panStart.getX());
        host.pan().setY(e.getY() - panStart.getY());
    }
}
