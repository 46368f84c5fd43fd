package dev.flowlab.app.canvas.gesture;

import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.app.edit.Edits;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Line;

/** A drag from a card's port: a line follows the mouse; released over another card, it becomes {@link Edits#addLink}. */
final class LinkWiringGesture implements Gesture {
    private final GestureHost host;
    private final NodeCard card;
    private Line preview;

    LinkWiringGesture(GestureHost host, NodeCard card) {
        this.host = host;
        this.card = card;
    }

    @Override
    public void pressed(MouseEvent e) {
        Point2D start = host.content().sceneToLocal(card.localToScene(card.port().getCenterX(), card.port().getCenterY()));
        preview = new Line(start.getX(), start.getY(), start.getX(), start.getY());
        preview.getStyleClass().add("link-preview");
        host.gestureLayer().getChildren().add(preview);
    }

    @Override
    public void dragged(MouseEvent e) {
        Point2D end = host.content().sceneToLocal(e.getSceneX(), e.getSceneY());
        preview.setEndX(end.getX());
        preview.setEndY(end.getY());
    }

    @Override
    public void released(MouseEvent e) {
        host.gestureLayer().getChildren().remove(preview);
        preview = null;
        host.cardAt(e.getSceneX(), e.getSceneY()).filter(target -> target != card)
                .ifPresent(target -> host.document().execute(Edits.addLink(card.node().id(), target.node().id())));
    }
}
