package dev.flowlab.app.animate;

import dev.flowlab.app.geometry.BoxGeometry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.InvalidationListener;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;

/**
 * Geometry read from a topology canvas's node cards (the editor's canvas, under its pan and zoom):
 * each card's box mapped through the scene into the coordinates of {@code reference} (the canvas
 * node, which the layer overlays at the same origin), links from border to border between their
 * centres (as the canvas draws its arrows).
 *
 * <p>The live layers ask for the same boxes many times a frame; each is mapped once and kept until
 * the card, its place in the scene, or the reference's changes (JavaFX's own invalidation).
 */
public final class TopologyViewGeometry implements LinkGeometry, NodeBounds {
    private final Function<String, ? extends Optional<? extends Node>> cards;
    private final Node reference;

    private final Map<String, Mapped> mapped = new HashMap<>();
    private final InvalidationListener referenceMoved = o -> mapped.values().forEach(m -> m.box = null);

    public TopologyViewGeometry(Function<String, ? extends Optional<? extends Node>> cards, Node reference) {
        this.cards = cards;
        this.reference = reference;
        reference.localToSceneTransformProperty().addListener(referenceMoved);
    }

    /** FX thread. */
    @Override
    public Bounds of(String nodeId) {
        Optional<? extends Node> card = cards.apply(nodeId);
        Mapped m = mapped.get(nodeId);
        if (card.isEmpty()) {
            if (m != null) {
                mapped.remove(nodeId).detach();
            }
            return null;
        }
        if (m == null || m.card != card.get()) {
            if (m != null) {
                m.detach();
            }
            m = new Mapped(nodeId, card.get());
            mapped.put(nodeId, m);
        }
        if (m.box == null) {
            // Reading the properties re-arms their invalidation for the next change.
            reference.getLocalToSceneTransform();
            m.card.getLocalToSceneTransform();
            m.box = reference.sceneToLocal(m.card.localToScene(m.card.getBoundsInLocal()));
        }
        return m.box;
    }

    /** How many cards are mapped (and listened to) now. */
    int mappedCount() {
        return mapped.size();
    }

    /**
     * One card's box in the reference's coordinates, forgotten when the card moves or changes size;
     * the whole entry (and its listeners) when the card leaves the canvas, as a deleted node's does.
     */
    private final class Mapped {
        final String nodeId;
        final Node card;
        final InvalidationListener changed = o -> changed();
        Bounds box;

        Mapped(String nodeId, Node card) {
            this.nodeId = nodeId;
            this.card = card;
            card.localToSceneTransformProperty().addListener(changed);
            card.boundsInLocalProperty().addListener(changed);
        }

        private void changed() {
            box = null;
            if (card.getParent() == null && mapped.get(nodeId) == this) {
                mapped.remove(nodeId);
                detach();
            }
        }

        void detach() {
            card.localToSceneTransformProperty().removeListener(changed);
            card.boundsInLocalProperty().removeListener(changed);
        }
    }

    @Override
    public Point2D start(String from, String to) {
        Bounds a = of(from);
        Bounds b = of(to);
        return a == null || b == null ? null : BoxGeometry.start(a, b);
    }

    @Override
    public Point2D end(String from, String to) {
        Bounds a = of(from);
        Bounds b = of(to);
        return a == null || b == null ? null : BoxGeometry.end(a, b);
    }

    static Point2D center(Bounds b) {
        return BoxGeometry.center(b);
    }

    /** Where the segment from the box's centre towards {@code toward} leaves the box. */
    static Point2D borderPoint(Bounds box, Point2D center, Point2D toward) {
        return BoxGeometry.borderPoint(box, center, toward);
    }
}
