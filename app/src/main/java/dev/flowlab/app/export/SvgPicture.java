package dev.flowlab.app.export;

import dev.flowlab.app.canvas.NodeCard;
import dev.flowlab.app.geometry.BoxGeometry;
import dev.flowlab.topology.LinkSpec;
import dev.flowlab.topology.NodeSpec;
import java.util.Locale;
import java.util.Optional;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.layout.Background;
import javafx.scene.layout.Border;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Text;

/**
 * The canvas as a vector picture: the same layout as its snapshot, written from the model: a line
 * with an arrowhead per link of the scenario (between the cards' borders, as the canvas draws it),
 * a rounded rectangle per node ({@code class="node" data-node="ID"}, the card's own fill and
 * border), every text shown on the cards, the live badges and the link labels, each where it is
 * drawn and in its colour. The dots are left out: a picture of a moment has no motion. FX thread.
 */
final class SvgPicture {
    private final ReplayRenderer renderer;
    private final StringBuilder svg = new StringBuilder();
    private Region view;

    SvgPicture(ReplayRenderer renderer) {
        this.renderer = renderer;
    }

    /** The picture, {@code width} pixels wide (0: the canvas's own width). */
    String write(int width) {
        view = renderer.view();
        view.applyCss();
        view.layout();
        double w = Math.max(1, view.getWidth());
        double h = Math.max(1, view.getHeight());
        double scale = width <= 0 ? 1 : width / w;
        svg.setLength(0);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %s %s\""
                + " font-family=\"sans-serif\">\n", Math.round(w * scale), Math.round(h * scale), num(w), num(h)));
        String scenarioName = renderer.scenario().name();
        svg.append("  <title>").append(esc(scenarioName == null ? "Request Flow Lab replay" : scenarioName))
                .append(String.format(Locale.ROOT, " at %.1f s", renderer.player().positionMillis() / 1000.0)).append("</title>\n");
        svg.append("  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\""
                + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#64748b\"/></marker></defs>\n");
        svg.append(String.format(Locale.ROOT, "  <rect class=\"background\" x=\"0\" y=\"0\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n",
                num(w), num(h), colour(renderer.background())));
        svg.append("  <g class=\"links\">\n");
        for (LinkSpec l : renderer.scenario().links()) {
            Bounds a = box(l.from());
            Bounds b = box(l.to());
            if (a == null || b == null) {
                continue;
            }
            Point2D p = BoxGeometry.start(a, b);
            Point2D q = BoxGeometry.end(a, b);
            svg.append(String.format(Locale.ROOT, "    <line class=\"link\" data-from=\"%s\" data-to=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\""
                    + " stroke=\"#64748b\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n",
                    esc(l.from()), esc(l.to()), num(p.getX()), num(p.getY()), num(q.getX()), num(q.getY())));
        }
        svg.append("  </g>\n  <g class=\"nodes\">\n");
        for (NodeSpec n : renderer.scenario().nodes()) {
            Optional<NodeCard> card = renderer.canvas().card(n.id());
            Bounds b = box(n.id());
            if (card.isEmpty() || b == null) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "    <g class=\"node-card\" data-node=\"%s\">\n", esc(n.id())));
            rect("node", n.id(), card.get(), b, "      ");
            texts(card.get(), "      ");
            svg.append("    </g>\n");
        }
        svg.append("  </g>\n  <g class=\"link-labels\">\n");
        for (Node label : renderer.live().linkLabels().getChildrenUnmodifiable()) {
            if (label instanceof Region r && shown(r)) {
                rect("link-label", null, r, layout(r), "    ");
                texts(r, "    ");
            } else if (label instanceof Parent p && shown(label)) {
                texts(p, "    ");
            }
        }
        svg.append("  </g>\n  <g class=\"badges\">\n");
        for (Node badge : renderer.live().badges().getChildrenUnmodifiable()) {
            if (badge instanceof Region r && shown(r)) {
                rect("badge", null, r, layout(r), "    ");
                texts(r, "    ");
            }
        }
        svg.append("  </g>\n");
        String legend = renderer.live().particles().legend();
        if (legend != null && !legend.isBlank()) {
            svg.append(String.format(Locale.ROOT, "  <text class=\"legend\" x=\"12\" y=\"24\" font-size=\"12\" fill=\"#0f172a\">%s</text>\n",
                    esc(legend.replace('\n', ' '))));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private Bounds box(String nodeId) {
        return renderer.canvas().card(nodeId).map(this::layout).orElse(null);
    }

    /** A region's own box (without its shadow or glow) in the view's coordinates. */
    private Bounds layout(Node n) {
        return view.sceneToLocal(n.localToScene(n.getLayoutBounds()));
    }

    /** A node's box in the view's coordinates (the picture's). */
    private Bounds local(Node n) {
        return view.sceneToLocal(n.localToScene(n.getBoundsInLocal()));
    }

    private void rect(String cls, String nodeId, Region r, Bounds b, String indent) {
        String fill = "#ffffff";
        Background bg = r.getBackground();
        double radius = 0;
        if (bg != null && !bg.getFills().isEmpty()) {
            var f = bg.getFills().get(bg.getFills().size() - 1);
            fill = paint(f.getFill(), "#ffffff");
            radius = f.getRadii().getTopLeftHorizontalRadius();
        }
        String stroke = "none";
        double strokeWidth = 0;
        Border border = r.getBorder();
        if (border != null && !border.getStrokes().isEmpty()) {
            var s = border.getStrokes().get(0);
            stroke = paint(s.getTopStroke(), "none");
            strokeWidth = s.getWidths().getTop();
            if (radius == 0) {
                radius = s.getRadii().getTopLeftHorizontalRadius();
            }
        }
        double scale = r.getWidth() > 0 ? b.getWidth() / r.getWidth() : 1;
        radius *= scale;
        strokeWidth *= scale;
        svg.append(indent).append(String.format(Locale.ROOT, "<rect class=\"%s\"%s x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"%s\""
                + " fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>\n", cls, nodeId == null ? "" : " data-node=\"" + esc(nodeId) + "\"",
                num(b.getMinX()), num(b.getMinY()), num(b.getWidth()), num(b.getHeight()), num(radius), fill, stroke, num(strokeWidth)));
    }

    /** Every shown text under {@code root} (not the icon glyphs: their font is the app's own). */
    private void texts(Parent root, String indent) {
        for (Node child : root.getChildrenUnmodifiable()) {
            if (!child.isVisible() || child.getOpacity() == 0) {
                continue;
            }
            if (child instanceof Text t) {
                if (!t.getClass().getName().contains("FontIcon") && t.getText() != null && !t.getText().isBlank()) {
                    text(t, indent);
                }
            } else if (child instanceof Parent p) {
                texts(p, indent);
            }
        }
    }

    private void text(Text t, String indent) {
        Bounds local = t.getBoundsInLocal();
        Bounds b = local(t);
        // the canvas's zoom (and any scale above the text): sizes are written in the picture's units
        double sx = local.getWidth() > 0 ? b.getWidth() / local.getWidth() : 1;
        double sy = local.getHeight() > 0 ? b.getHeight() / local.getHeight() : sx;
        java.util.List<String> lines = lines(t);
        Text measure = new Text("Xg");
        measure.setFont(t.getFont());
        double lineHeight = measure.getLayoutBounds().getHeight() * sy;
        double first = b.getMinY() + t.getBaselineOffset() * sy;
        boolean centred = t.getTextAlignment() == javafx.scene.text.TextAlignment.CENTER;
        double x = centred ? b.getMinX() + b.getWidth() / 2 : b.getMinX();
        String weight = t.getFont().getStyle().toLowerCase(Locale.ROOT).contains("bold") ? " font-weight=\"bold\"" : "";
        svg.append(indent).append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-size=\"%s\"%s%s fill=\"%s\">",
                num(x), num(first), num(t.getFont().getSize() * sy), weight, centred ? " text-anchor=\"middle\"" : "",
                paint(t.getFill(), "#000000")));
        if (lines.size() == 1) {
            svg.append(esc(lines.get(0)));
        } else {
            for (int i = 0; i < lines.size(); i++) {
                svg.append(String.format(Locale.ROOT, "<tspan x=\"%s\" y=\"%s\">%s</tspan>", num(x), num(first + i * lineHeight),
                        esc(lines.get(i))));
            }
        }
        svg.append("</text>\n");
    }

    /** The text's lines as the canvas shows them: its own line breaks, and its wrapping width's (words greedily, as JavaFX wraps). */
    private static java.util.List<String> lines(Text t) {
        java.util.List<String> out = new java.util.ArrayList<>();
        double wrap = t.getWrappingWidth();
        Text measure = new Text();
        measure.setFont(t.getFont());
        for (String paragraph : t.getText().split("\n", -1)) {
            if (wrap <= 0) {
                out.add(paragraph);
                continue;
            }
            String line = "";
            for (String word : paragraph.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                measure.setText(candidate);
                if (!line.isEmpty() && measure.getLayoutBounds().getWidth() > wrap) {
                    out.add(line);
                    line = word;
                } else {
                    line = candidate;
                }
            }
            out.add(line);
        }
        return out;
    }

    private boolean shown(Node n) {
        for (Node x = n; x != null && x != view; x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static String paint(Paint p, String otherwise) {
        return p instanceof Color c && c.getOpacity() > 0 ? colour(c) : otherwise;
    }

    private static String colour(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
