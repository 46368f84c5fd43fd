package dev.flowlab.app.canvas.gesture;

import dev.flowlab.app.canvas.NodeCard;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;

/**
 * Press, drag and release on a card: a secondary press opens its menu; a primary press on its port
 * starts {@link LinkWiringGesture}, anywhere else {@link CardDragGesture} (select, move the selection).
 */
public final class CardGestures {
    private final GestureHost host;
    private final NodeCard card;
    private final CardDragGesture drag;
    private final LinkWiringGesture wiring;
    private Gesture active;

    private CardGestures(GestureHost host, NodeCard card) {
        this.host = host;
        this.card = card;
        this.drag = new CardDragGesture(host, card);
        this.wiring = new LinkWiringGesture(host, card);
    }

    /** Puts the gestures on the card. */
    public static void install(GestureHost host, NodeCard card) {
        new CardGestures(host, card).install();
    }

    private void install() {
        card.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        card.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        card.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        // The mouse opens the menu on a secondary press on every platform (and under a test robot,
        // which sends no context-menu event); the menu key comes as a keyboard-triggered request.
        card.setOnContextMenuRequested(e -> {
            if (e.isKeyboardTrigger()) {
                host.showNodeMenu(card, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() == MouseButton.SECONDARY) {
            host.canvas().requestFocus();
            e.consume();
            host.showNodeMenu(card, e.getScreenX(), e.getScreenY());
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        host.canvas().requestFocus();
        e.consume();
        active = e.getTarget() == card.port() ? wiring : drag;
        active.pressed(e);
    }

    private void dragged(MouseEvent e) {
        if (active == null) {
            return;
        }
        e.consume();
        active.dragged(e);
    }

    private void released(MouseEvent e) {
        if (active == null) {
            return;
        }
        e.consume();
        Gesture done = active;
        active = null;
        done.released(e);
    }
}
