package dev.flowlab.app.canvas.gesture;

import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import java.util.Map;
import java.util.Optional;
import javafx.scene.Group;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.transform.Translate;

/**
 * What the canvas's gestures see of it (Scene Builder's gesture/ package is the model): the
 * document their edits go to, the selection, the content pane (canvas units), the layer their
 * previews draw on, the cards, the view's pan and zoom, and the node menu.
 */
public interface GestureHost {
    /** The canvas itself: gestures on the background are installed on it. */
    Region canvas();

    ScenarioDocument document();

    Selection selection();

    /** The pane the cards and links are drawn in, in canvas units. */
    Pane content();

    /** The top layer, for a gesture's preview (the rubber band, the link being wired). */
    Group gestureLayer();

    /** The cards by node id, in drawing order (read only). */
    Map<String, NodeCard> cards();

    /** The top-most card under a scene point. */
    Optional<NodeCard> cardAt(double sceneX, double sceneY);

    double zoom();

    Translate pan();

    /** Zooms by {@code factor} keeping the canvas point under (x, y) (canvas-local coordinates) in place. */
    void zoomAround(double factor, double x, double y);

    /** The user moved the view: it is no longer the fitted one. */
    void viewMoved();

    void showNodeMenu(NodeCard card, double screenX, double screenY);

    void hideNodeMenu();
}
