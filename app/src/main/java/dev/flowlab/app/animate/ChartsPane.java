package dev.flowlab.app.animate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * Per-node sparklines (requests/s and p99) and a detail chart of the selected node over the last
 * minutes: throughput, p99 latency, error share. Updated once a second from {@link MetricsHistory}.
 * The rows follow the topology ({@link LiveNodes}); the selected node stays selected while it is
 * listed (under its new name after a rename), else the first row is.
 */
public final class ChartsPane extends VBox {
    private final MetricsHistory history;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final NumberAxis time = new NumberAxis();
    private final LineChart<Number, Number> detail = new LineChart<>(time, new NumberAxis());
    private final XYChart.Series<Number, Number> rps = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> p99 = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> errors = new XYChart.Series<>();
    private String selected;

    public ChartsPane(MetricsHistory history, LiveNodes nodes) {
        this.history = history;
        setId("charts");
        getStyleClass().add("charts-pane");
        time.setLabel("seconds since start");
        time.setForceZeroInRange(false);
        detail.setAnimated(false);
        detail.setCreateSymbols(false);
        detail.setId("detail-chart");
        detail.setPrefHeight(260);
        rps.setName("req/s");
        p99.setName("p99 ms");
        errors.setName("errors %");
        detail.getData().addAll(List.of(rps, p99, errors));
        showNodes(List.copyOf(nodes.ids()), nodes::successor);
        nodes.ids().addListener((ListChangeListener<String>) c -> showNodes(List.copyOf(nodes.ids()), nodes::successor));
    }

    /** A row per node, in this order; rows of nodes still listed keep their sparklines. */
    private void showNodes(List<String> ids, UnaryOperator<String> successor) {
        Map<String, Row> next = new LinkedHashMap<>();
        for (String id : ids) {
            Row r = rows.get(id);
            if (r == null) {
                r = new Row(id);
                r.box.setOnMouseClicked(e -> select(id));
            }
            next.put(id, r);
        }
        rows.clear();
        rows.putAll(next);
        List<javafx.scene.Node> children = new ArrayList<>(rows.size() + 1);
        rows.values().forEach(r -> children.add(r.box));
        children.add(detail);
        getChildren().setAll(children);
        String keep = successor.apply(selected);
        select(keep != null ? keep : ids.isEmpty() ? null : ids.get(0));
    }

    /** The node the detail chart shows, or null when there is none. */
    public String selected() {
        return selected;
    }

    /** The nodes with a row, in order. */
    public List<String> nodes() {
        return List.copyOf(rows.keySet());
    }

    public void select(String node) {
        selected = node;
        detail.setTitle(node == null ? "" : node);
        rows.forEach((id, r) -> r.box.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"), id.equals(node)));
        refresh();
    }

    /** FX thread, once a second. */
    public void refresh() {
        for (Row r : rows.values()) {
            List<MetricsHistory.Point> points = history.of(r.node);
            r.rps.show(points, MetricsHistory.Point::rps);
            r.p99.show(points, MetricsHistory.Point::p99Ms);
            if (!points.isEmpty()) {
                MetricsHistory.Point last = points.get(points.size() - 1);
                r.figures.setText(String.format(Locale.ROOT, "%.0f req/s · p99 %.1f ms", last.rps(), last.p99Ms()));
            }
        }
        List<MetricsHistory.Point> points = selected == null ? List.of() : history.of(selected);
        rps.getData().setAll(points.stream().map(p -> new XYChart.Data<Number, Number>(p.tMillis() / 1000.0, p.rps())).toList());
        p99.getData().setAll(points.stream().map(p -> new XYChart.Data<Number, Number>(p.tMillis() / 1000.0, p.p99Ms())).toList());
        errors.getData().setAll(points.stream().map(p -> new XYChart.Data<Number, Number>(p.tMillis() / 1000.0, p.errorRate() * 100)).toList());
    }

    private static final class Row {
        final String node;
        final HBox box;
        final Sparkline rps = new Sparkline(90, 22, Color.web("#2563eb"));
        final Sparkline p99 = new Sparkline(90, 22, Color.web("#d97706"));
        final Label figures = new Label();

        Row(String node) {
            this.node = node;
            Label name = new Label(node);
            name.setMinWidth(80);
            figures.getStyleClass().add("chart-figures");
            box = new HBox(6, name, rps, p99, figures);
            box.setAlignment(Pos.CENTER_LEFT);
            box.setId("chart-row-" + node);
            box.getStyleClass().add("chart-row");
        }
    }
}
