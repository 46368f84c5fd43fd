package dev.flowlab.app.canvas.gesture;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Rectangle;

/** A primary drag on the empty canvas: a rectangle that selects every card it touches (Shift or the shortcut key adds). */
public final class RubberBandGesture {
    private final GestureHost host;
    private final Rectangle band = new Rectangle();
    private Point2D start;
    private boolean adding;

    private RubberBandGesture(GestureHost host) {
        this.host = host;
    }

    public static void install(GestureHost host) {
        RubberBandGesture g = new RubberBandGesture(host);
        g.band.getStyleClass().add("rubber-band");
        host.canvas().addEventHandler(MouseEvent.MOUSE_PRESSED, g::pressed);
        host.canvas().addEventHandler(MouseEvent.MOUSE_DRAGGED, g::dragged);
        host.canvas().addEventHandler(MouseEvent.MOUSE_RELEASED, g::released);
    }

    private void pressed(MouseEvent e) {
        host.canvas().requestFocus();
        host.hideNodeMenu();
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        adding = e.isShiftDown() || e.isShortcutDown();
        if (!adding) {
            host.selection().clear();
        }
        start = host.content().sceneToLocal(e.getSceneX(), e.getSceneY());
        band.setX(start.getX());
        band.setY(start.getY());
        band.setWidth(0);
        band.setHeight(0);
        host.gestureLayer().getChildren().add(band);
    }

    private void dragged(MouseEvent e) {
        if (start == null) {
            return;
        }
        Point2D now = host.content().sceneToLocal(e.getSceneX(), e.getSceneY());
        band.setX(Math.min(start.getX(), now.getX()));
        band.setY(Math.min(start.getY(), now.getY()));
        band.setWidth(Math.abs(now.getX() - start.getX()));
        band.setHeight(Math.abs(now.getY() - start.getY()));
    }

    private void released(MouseEvent e) {
        if (start == null) {
            return;
        }
        start = null;
        host.gestureLayer().getChildren().remove(band);
        if (band.getWidth() < 2 && band.getHeight() < 2) {
            return;
        }
        Bounds area = band.getBoundsInParent();
        List<String> hit = new ArrayList<>();
        host.cards().forEach((id, c) -> {
            if (c.getBoundsInParent().intersects(area)) {
                hit.add(id);
            }
        });
        host.selection().selectNodes(hit, adding);
    }
}
