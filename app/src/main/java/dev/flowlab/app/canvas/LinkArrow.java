package dev.flowlab.app.canvas;

import dev.flowlab.app.geometry.BoxGeometry;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.TopologyProblem;
import java.util.List;
import java.util.stream.Collectors;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.scene.control.Tooltip;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;

/**
 * A link drawn as an arrow from one card's border to another's, following the cards when they
 * move or change size. Style classes {@code link}, {@code link-line}, {@code link-head}; a wide
 * invisible {@code link-hit} line makes it easy to click; pseudo-classes {@code :selected},
 * {@code :problem}, {@code :warning}.
 */
public final class LinkArrow extends Group {
    private static final double HEAD_LENGTH = 11;
    private static final double HEAD_HALF_WIDTH = 5.5;

    private final NodeCard from;
    private final NodeCard to;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");
    private static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");

    private final Line line = new Line();
    private final Line hit = new Line();
    private Tooltip tip;
    private LinkSpec spec;
    private final Polygon head = new Polygon();

    public LinkArrow(NodeCard from, NodeCard to) {
        this.from = from;
        this.to = to;
        setId("link-" + from.node().id() + "-" + to.node().id());
        getStyleClass().add("link");
        line.getStyleClass().add("link-line");
        head.getStyleClass().add("link-head");
        hit.getStyleClass().add("link-hit");
        getChildren().addAll(hit, line, head);
        setManaged(false);
        from.boundsInParentProperty().addListener((obs, was, now) -> update());
        to.boundsInParentProperty().addListener((obs, was, now) -> update());
        update();
    }

    private void update() {
        Bounds a = from.getBoundsInParent();
        Bounds b = to.getBoundsInParent();
        Point2D start = BoxGeometry.start(a, b);
        Point2D end = BoxGeometry.end(a, b);
        hit.setStartX(start.getX());
        hit.setStartY(start.getY());
        hit.setEndX(end.getX());
        hit.setEndY(end.getY());
        line.setStartX(start.getX());
        line.setStartY(start.getY());
        Point2D direction = end.subtract(start);
        double length = direction.magnitude();
        if (length < 1) {
            line.setEndX(start.getX());
            line.setEndY(start.getY());
            head.getPoints().clear();
            return;
        }
        Point2D unit = direction.multiply(1 / length);
        Point2D base = end.subtract(unit.multiply(HEAD_LENGTH));
        Point2D normal = new Point2D(-unit.getY(), unit.getX()).multiply(HEAD_HALF_WIDTH);
        line.setEndX(base.getX());
        line.setEndY(base.getY());
        head.getPoints().setAll(end.getX(), end.getY(),
                base.getX() + normal.getX(), base.getY() + normal.getY(),
                base.getX() - normal.getX(), base.getY() - normal.getY());
    }

    public LinkSpec spec() {
        return spec;
    }

    void setSpec(LinkSpec value) {
        spec = value;
    }

    public NodeCard from() {
        return from;
    }

    public NodeCard to() {
        return to;
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(SELECTED, selected);
    }

    void showProblems(List<TopologyProblem> problems) {
        boolean errors = problems.stream().anyMatch(TopologyProblem::isError);
        pseudoClassStateChanged(PROBLEM, errors);
        pseudoClassStateChanged(WARNING, !errors && !problems.isEmpty());
        if (problems.isEmpty()) {
            if (tip != null) {
                Tooltip.uninstall(hit, tip);
            }
        } else {
            if (tip == null) {
                tip = new Tooltip();
            }
            tip.setText(problems.stream().map(TopologyProblem::message).collect(Collectors.joining("\n")));
            Tooltip.install(hit, tip);
        }
    }
}
