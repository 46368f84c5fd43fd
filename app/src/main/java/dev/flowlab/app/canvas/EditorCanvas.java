package dev.flowlab.app.canvas;

import dev.flowlab.app.canvas.gesture.CardGestures;
import dev.flowlab.app.canvas.gesture.GestureHost;
import dev.flowlab.app.canvas.gesture.PanZoomGesture;
import dev.flowlab.app.canvas.gesture.RubberBandGesture;
import dev.flowlab.app.edit.Edits;
import dev.flowlab.app.edit.ProblemIndex;
import dev.flowlab.app.edit.ScenarioDocument;
import dev.flowlab.app.edit.Selection;
import dev.flowlab.app.lab.NodeViewModel;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.Position;
import dev.flowlab.topology.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.SetChangeListener;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/**
 * The editable topology: a card per node, an arrow per link, drawn from the document's scenario
 * and redrawn (incrementally, by id) whenever it changes. Gestures turn into edits on the
 * document, never into changes of the drawing alone: a drag moves the cards while the mouse
 * moves and becomes one {@link Edits#move} on release; a drag from a card's port to another card
 * becomes a link; a drag on the background selects with a rubber band. Zoom (Ctrl+wheel,
 * {@link #zoomBy}) and pan (wheel, right or middle drag) transform one content pane whose layers
 * are, bottom to top: links, {@link #animationLayer()} (for the live traffic), cards, gestures.
 * The mouse gestures are their own classes in {@code canvas.gesture} (Scene Builder style), each
 * seeing the canvas through a {@link GestureHost}.
 */
public final class EditorCanvas extends Region {
    public static final double MIN_ZOOM = 0.1;
    public static final double MAX_ZOOM = 3;
    private static final double NUDGE = 10;
    /** Room left and right of the topology when fitting: little, the width is what a wide topology lacks. */
    private static final double FIT_MARGIN_X = 24;
    /** Room above and below: the top row's live badges sit above its cards. */
    private static final double FIT_MARGIN_Y = 40;
    /**
     * Below this zoom the cards show less, larger: their label, HA caption and figures (wrapped) at
     * {@code :compact}'s font size, so zoomed out to fit they still read at 11 px or more on screen
     * (down to about 69 %); the kind and the address hide. At 1:1 the full card.
     */
    public static final double COMPACT_BELOW = 0.95;
    private static final javafx.css.PseudoClass COMPACT = javafx.css.PseudoClass.getPseudoClass("compact");

    private final ScenarioDocument document;
    private final Selection selection;
    private final Function<String, Optional<NodeViewModel>> nodeModels;
    private final Pane content = new Pane();
    private final Group linkLayer = new Group();
    private final Pane animationLayer = new Pane();
    private final Pane cardLayer = new Pane();
    private final Group gestureLayer = new Group();
    private final Translate pan = new Translate();
    private final Scale scale = new Scale(1, 1);
    private final DoubleProperty zoom = new SimpleDoubleProperty(this, "zoom", 1);
    private final Map<String, NodeCard> cards = new LinkedHashMap<>();
    private final Map<LinkSpec, LinkArrow> arrows = new LinkedHashMap<>();
    private Function<String, ContextMenu> nodeMenu = id -> null;
    private boolean fitPending = true;
    /** True while the view is the one {@link #fitToView} chose: the canvas fits again when its size changes. */
    private boolean fitted;
    private boolean compact;
    private ContextMenu shownMenu;
    /** What the gestures (package canvas.gesture) see of this canvas. */
    private final GestureHost host = new Host();

    public EditorCanvas(ScenarioDocument document, Selection selection, Function<String, Optional<NodeViewModel>> nodeModels) {
        this.document = document;
        this.selection = selection;
        this.nodeModels = nodeModels;
        setId("topology");
        getStyleClass().addAll("topology", "editor-canvas");
        setFocusTraversable(true);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        linkLayer.getStyleClass().add("links");
        animationLayer.setMouseTransparent(true);
        animationLayer.getStyleClass().add("animation-layer");
        cardLayer.setPickOnBounds(false);
        gestureLayer.setMouseTransparent(true);
        content.setPickOnBounds(false);
        content.setManaged(false);
        content.getChildren().addAll(linkLayer, animationLayer, cardLayer, gestureLayer);
        content.getTransforms().addAll(pan, scale);
        scale.xProperty().bind(zoom);
        scale.yProperty().bind(zoom);
        getChildren().add(content);
        zoom.addListener((obs, was, now) -> showCompact(now.doubleValue() < COMPACT_BELOW));
        // The panels beside and below opened, closed or were dragged: a fitted view fits again.
        javafx.beans.InvalidationListener resized = o -> {
            if (fitted) {
                fitWhenLaidOut();
            }
        };
        widthProperty().addListener(resized);
        heightProperty().addListener(resized);

        RubberBandGesture.install(host);
        PanZoomGesture.install(host);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);

        sync(document.scenario());
        document.scenarioProperty().addListener((obs, was, now) -> sync(now));
        // Another scenario (New, Open, recovery): show all of it.
        document.fileProperty().addListener((obs, was, now) -> fitWhenLaidOut());
        document.generationProperty().addListener((obs, was, now) -> fitWhenLaidOut());
        selection.nodes().addListener((SetChangeListener<String>) c -> showSelection());
        selection.links().addListener((SetChangeListener<LinkSpec>) c -> showSelection());
    }

    /** Where the context menu of a node comes from (the run controls add kill, stop...). */
    public void setNodeMenu(Function<String, ContextMenu> factory) {
        nodeMenu = factory;
    }

    /** The node menu shown last (for tests), or null. */
    public ContextMenu shownMenu() {
        return shownMenu;
    }

    /** The layer for the live traffic's particles: above the links, beneath the cards, in canvas units, never takes the mouse. */
    public Pane animationLayer() {
        return animationLayer;
    }

    public Optional<NodeCard> card(String nodeId) {
        return Optional.ofNullable(cards.get(nodeId));
    }

    public Optional<LinkArrow> arrow(String from, String to) {
        return arrows.values().stream().filter(a -> a.spec().from().equals(from) && a.spec().to().equals(to)).findFirst();
    }

    public int cardCount() {
        return cards.size();
    }

    public DoubleProperty zoomProperty() {
        return zoom;
    }

    /** A point in the window's scene as a canvas position (for drops from the palette). */
    public Position toCanvas(double sceneX, double sceneY) {
        Point2D p = content.sceneToLocal(sceneX, sceneY);
        return new Position(Math.round(p.getX()), Math.round(p.getY()));
    }

    /** True when the scene point lies over the visible canvas. */
    public boolean containsScenePoint(double sceneX, double sceneY) {
        Point2D local = sceneToLocal(sceneX, sceneY);
        return local != null && local.getX() >= 0 && local.getY() >= 0 && local.getX() <= getWidth() && local.getY() <= getHeight();
    }

    /** The canvas position at the middle of what is visible (where a palette click adds a node). */
    public Position visibleCenter() {
        Point2D p = content.parentToLocal(getWidth() / 2, getHeight() / 2);
        return new Position(Math.round(p.getX()), Math.round(p.getY()));
    }

    /** Current canvas positions (the document's, or the layered place for nodes without one). */
    public Map<String, Position> positions() {
        Map<String, Position> out = new LinkedHashMap<>();
        cards.forEach((id, c) -> out.put(id, new Position(c.getLayoutX(), c.getLayoutY())));
        return out;
    }

    /** Card sizes {width, height} for alignment. */
    public Map<String, double[]> sizes() {
        Map<String, double[]> out = new HashMap<>();
        cards.forEach((id, c) -> out.put(id, new double[] {c.getWidth(), c.getHeight()}));
        return out;
    }

    public void zoomBy(double factor) {
        zoomAround(factor, getWidth() / 2, getHeight() / 2);
    }

    public void resetZoom() {
        zoomAround(1 / zoom.get(), getWidth() / 2, getHeight() / 2);
    }

    /** True while the cards are drawn compact (zoomed out below {@link #COMPACT_BELOW}). */
    public boolean isCompact() {
        return compact;
    }

    /** True while the view is what Fit chose (no zoom or pan since): a resize fits again. */
    public boolean isFitted() {
        return fitted;
    }

    private void showCompact(boolean on) {
        if (on != compact) {
            compact = on;
            pseudoClassStateChanged(COMPACT, on);
        }
    }

    /** Zooms and pans so every node is visible (never closer than 1:1). */
    public void fitToView() {
        Bounds all = contentBounds();
        if (all == null || getWidth() <= 0 || getHeight() <= 0) {
            return;
        }
        double z = fitZoom(all);
        if (z < COMPACT_BELOW != compact) {
            // The compact cards have another height: measure them as they will be drawn.
            showCompact(z < COMPACT_BELOW);
            cardLayer.applyCss();
            all = contentBounds();
            z = fitZoom(all);
        }
        zoom.set(z);
        pan.setX((getWidth() - all.getWidth() * z) / 2 - all.getMinX() * z);
        pan.setY((getHeight() - all.getHeight() * z) / 2 - all.getMinY() * z);
        fitted = true;
    }

    private double fitZoom(Bounds all) {
        return clamp(Math.min(1, Math.min((getWidth() - 2 * FIT_MARGIN_X) / all.getWidth(), (getHeight() - 2 * FIT_MARGIN_Y) / all.getHeight())));
    }

    /** Fits the topology in view at the next layout (once the canvas has a size). */
    public void fitWhenLaidOut() {
        fitPending = true;
        requestLayout();
    }

    private Bounds contentBounds() {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (NodeCard c : cards.values()) {
            // Preferred sizes, not bounds: right after an open the cards have not been laid out yet.
            minX = Math.min(minX, c.getLayoutX());
            minY = Math.min(minY, c.getLayoutY());
            double w = c.prefWidth(-1);
            maxX = Math.max(maxX, c.getLayoutX() + w);
            maxY = Math.max(maxY, c.getLayoutY() + c.prefHeight(w));
        }
        return cards.isEmpty() ? null : new BoundingBox(minX, minY, Math.max(1, maxX - minX), Math.max(1, maxY - minY));
    }

    private void zoomAround(double factor, double x, double y) {
        fitted = false;
        double old = zoom.get();
        double next = clamp(old * factor);
        // Keep the canvas point under (x, y) where it is.
        double cx = (x - pan.getX()) / old;
        double cy = (y - pan.getY()) / old;
        zoom.set(next);
        pan.setX(x - cx * next);
        pan.setY(y - cy * next);
    }

    private static double clamp(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    private void onKey(KeyEvent e) {
        double dx = 0;
        double dy = 0;
        KeyCode code = e.getCode();
        double step = e.isShiftDown() ? NUDGE * 5 : NUDGE;
        switch (code) {
            case LEFT -> dx = -step;
            case RIGHT -> dx = step;
            case UP -> dy = -step;
            case DOWN -> dy = step;
            default -> {
                return;
            }
        }
        if (!selection.nodes().isEmpty()) {
            document.execute(Edits.nudge(selection.nodeList(), positions(), dx, dy));
            e.consume();
        }
    }

    // ---- drawing the scenario ----

    private void sync(Scenario scenario) {
        Map<String, Position> placed = LayeredLayout.positions(scenario);
        Set<String> ids = new HashSet<>(placed.keySet());
        cards.entrySet().removeIf(entry -> {
            NodeCard card = entry.getValue();
            boolean gone = !ids.contains(entry.getKey()) || nodeModels.apply(entry.getKey()).map(vm -> vm != card.node()).orElse(true);
            if (gone) {
                cardLayer.getChildren().remove(card);
            }
            return gone;
        });
        List<NodeCard> added = new ArrayList<>();
        for (Map.Entry<String, Position> entry : placed.entrySet()) {
            NodeCard card = cards.get(entry.getKey());
            if (card == null) {
                Optional<NodeViewModel> vm = nodeModels.apply(entry.getKey());
                if (vm.isEmpty()) {
                    continue;
                }
                card = new NodeCard(vm.get());
                CardGestures.install(host, card);
                cards.put(entry.getKey(), card);
                added.add(card);
            }
            Position p = entry.getValue();
            if (card.getLayoutX() != p.x() || card.getLayoutY() != p.y()) {
                card.relocate(p.x(), p.y());
            }
        }
        cardLayer.getChildren().addAll(added);

        Set<LinkSpec> links = new HashSet<>(scenario.links());
        arrows.entrySet().removeIf(entry -> {
            LinkArrow a = entry.getValue();
            boolean gone = !links.contains(entry.getKey()) || cards.get(a.from().node().id()) != a.from() || cards.get(a.to().node().id()) != a.to();
            if (gone) {
                linkLayer.getChildren().remove(a);
            }
            return gone;
        });
        for (LinkSpec l : scenario.links()) {
            NodeCard from = cards.get(l.from());
            NodeCard to = cards.get(l.to());
            if (from != null && to != null && !arrows.containsKey(l)) {
                LinkArrow arrow = new LinkArrow(from, to);
                arrow.setSpec(l);
                arrow.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
                    if (e.getButton() == MouseButton.PRIMARY) {
                        requestFocus();
                        selection.selectOnly(arrow.spec());
                        e.consume();
                    }
                });
                arrows.put(l, arrow);
                linkLayer.getChildren().add(arrow);
            }
        }
        selection.retainExisting(scenario);
        showHaGroups(scenario);
        showProblems(document.problems());
        showSelection();
    }

    private void showHaGroups(Scenario scenario) {
        Map<String, String> groupOf = new HashMap<>();
        scenario.haGroups().forEach(g -> g.members().forEach(m -> groupOf.putIfAbsent(m.node(), g.id() == null ? "?" : g.id())));
        cards.forEach((id, c) -> c.showHaGroup(groupOf.get(id)));
    }

    private void showProblems(ProblemIndex problems) {
        cards.forEach((id, c) -> c.showProblems(problems.ofNode(id)));
        arrows.forEach((l, a) -> a.showProblems(problems.ofLink(l)));
    }

    private void showSelection() {
        cards.forEach((id, c) -> c.setSelected(selection.nodes().contains(id)));
        arrows.forEach((l, a) -> a.setSelected(selection.links().contains(l)));
    }

    private Optional<NodeCard> cardAt(double sceneX, double sceneY) {
        Point2D p = cardLayer.sceneToLocal(sceneX, sceneY);
        NodeCard hit = null;
        for (NodeCard c : cards.values()) {
            if (c.getBoundsInParent().contains(p)) {
                hit = c;
            }
        }
        return Optional.ofNullable(hit);
    }

    private void showMenu(NodeCard card, double screenX, double screenY) {
        String id = card.node().id();
        if (!selection.nodes().contains(id)) {
            selection.selectOnly(id);
        }
        if (shownMenu != null) {
            shownMenu.hide();
        }
        shownMenu = nodeMenu.apply(id);
        if (shownMenu != null) {
            shownMenu.show(card, screenX, screenY);
        }
    }

    private final class Host implements GestureHost {
        private final Map<String, NodeCard> cardsView = java.util.Collections.unmodifiableMap(cards);

        @Override
        public Region canvas() {
            return EditorCanvas.this;
        }

        @Override
        public ScenarioDocument document() {
            return document;
        }

        @Override
        public Selection selection() {
            return selection;
        }

        @Override
        public Pane content() {
            return content;
        }

        @Override
        public Group gestureLayer() {
            return gestureLayer;
        }

        @Override
        public Map<String, NodeCard> cards() {
            return cardsView;
        }

        @Override
        public Optional<NodeCard> cardAt(double sceneX, double sceneY) {
            return EditorCanvas.this.cardAt(sceneX, sceneY);
        }

        @Override
        public double zoom() {
            return zoom.get();
        }

        @Override
        public Translate pan() {
            return pan;
        }

        @Override
        public void zoomAround(double factor, double x, double y) {
            EditorCanvas.this.zoomAround(factor, x, y);
        }

        @Override
        public void viewMoved() {
            fitted = false;
        }

        @Override
        public void showNodeMenu(NodeCard card, double screenX, double screenY) {
            showMenu(card, screenX, screenY);
        }

        @Override
        public void hideNodeMenu() {
            if (shownMenu != null) {
                shownMenu.hide();
            }
        }
    }

    @Override
    protected void layoutChildren() {
        // The content pane is unmanaged: it keeps its own size; cards lay themselves out.
        content.autosize();
        if (fitPending && getWidth() > 0 && getHeight() > 0) {
            fitPending = false;
            fitToView();
        }
    }

    /** For tests and benchmarks: every card and arrow on the canvas. */
    public List<Node> drawnItems() {
        List<Node> out = new ArrayList<>(cards.values());
        out.addAll(arrows.values());
        return out;
    }
}
