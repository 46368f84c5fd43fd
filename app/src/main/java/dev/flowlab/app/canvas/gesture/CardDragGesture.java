package dev.flowlab.app.canvas.gesture;

import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.app.edit.Edits;
import dev.flowlab.topology.Position;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;

/**
 * A primary drag on a card: the press selects it (Shift or the shortcut key toggles), the drag
 * moves every selected card with the mouse, the release becomes one {@link Edits#move} (or, without
 * a move, selects only this card).
 */
final class CardDragGesture implements Gesture {
    private final GestureHost host;
    private final NodeCard card;
    private Point2D pressedAt;
    private Map<String, Point2D> startPositions = Map.of();
    private boolean moved;

    CardDragGesture(GestureHost host, NodeCard card) {
        this.host = host;
        this.card = card;
    }

    private String id() {
        return card.node().id();
    }

    @Override
    public void pressed(MouseEvent e) {
        pressedAt = new Point2D(e.getSceneX(), e.getSceneY());
        moved = false;
        if (e.isShiftDown() || e.isShortcutDown()) {
            host.selection().toggle(id());
        } else if (!host.selection().nodes().contains(id())) {
            host.selection().selectOnly(id());
        }
        Map<String, Point2D> starts = new LinkedHashMap<>();
        for (String id : host.selection().nodes()) {
            NodeCard c = host.cards().get(id);
            if (c != null) {
                starts.put(id, new Point2D(c.getLayoutX(), c.getLayoutY()));
            }
        }
        startPositions = starts;
    }

    @Override
    public void dragged(MouseEvent e) {
        double dx = (e.getSceneX() - pressedAt.getX()) / host.zoom();
        double dy = (e.getSceneY() - pressedAt.getY()) / host.zoom();
        moved = moved || Math.abs(dx) > 1 || Math.abs(dy) > 1;
        if (moved) {
            startPositions.forEach((id, p) -> host.cards().get(id).relocate(Math.round(p.getX() + dx), Math.round(p.getY() + dy)));
        }
    }

    @Override
    public void released(MouseEvent e) {
        pressedAt = null;
        if (moved) {
            Map<String, Position> to = new LinkedHashMap<>();
            startPositions.keySet().forEach(id -> {
                NodeCard c = host.cards().get(id);
                to.put(id, new Position(c.getLayoutX(), c.getLayoutY()));
            });
            host.document().execute(Edits.move(to));
        } else if (!e.isShiftDown() && !e.isShortcutDown() && e.isStillSincePress()) {
            host.selection().selectOnly(id());
        }
        startPositions = Map.of();
    }
}
